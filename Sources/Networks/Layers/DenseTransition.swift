import Tensors

/// The transition between two dense blocks of network-slimming's `densenet`:
///
///     out = avgpool2×2(conv1(ReLU(select(BN1(x)))))      (conv1 1×1)
///
/// As in a dense layer, BN1's channels are the whole block's features and stay; slimming
/// shrinks `select`, and conv1 reads fewer input channels. conv1's filters (`outputChannels`,
/// the input count times the compression, 1 in the reference) are the next block's first
/// features and are not pruned either. Backward runs the same layers in reverse.
public final class DenseTransition: Layer {
    /// The transition's name in the model, e.g. `trans1` (the prefix of its parameters' names).
    public let name: String
    public let bn1: BatchNorm2d
    public let select: ChannelSelection
    public let conv1: Conv2d
    public let pool = AvgPool2d(2)
    private let reLU = ReLU()

    /// Builds the transition reading `selectedChannels` of its `inputChannels` (the first ones
    /// at first). Initialisation as the reference: conv1 Kaiming normal (fan-out), BN γ = 0.5,
    /// β = 0. Parameters are named `<name>.bn1.weight`, `<name>.conv1.weight`, ….
    public init(inputChannels: Int, selectedChannels: Int, outputChannels: Int, name: String, rng: inout SeededGenerator) {
        precondition(outputChannels > 0 && (1...inputChannels).contains(selectedChannels),
                     "a transition reads 1…\(inputChannels) channels and has at least one filter, got \(selectedChannels) and \(outputChannels)")
        self.name = name
        bn1 = BatchNorm2d(inputChannels, gamma: 0.5)
        select = ChannelSelection(inputChannels)
        select.indices = Array(0..<selectedChannels)
        conv1 = Conv2d(selectedChannels, outputChannels, kernel: 1, bias: false, rng: &rng)
        conv1.kaimingNormalInit(rng: &rng)
        bn1.nameParameters("\(name).bn1")
        conv1.nameParameters("\(name).conv1")
    }

    public var inputChannels: Int { bn1.channels }
    public var outputChannels: Int { conv1.outChannels }

    /// E.g. `Transition(168 → 168, reads 120)`.
    public var summary: String {
        "Transition(\(inputChannels) → \(outputChannels), reads \(select.indices.count))"
    }

    public var children: [any Layer] { [bn1, select, reLU, conv1, pool] }

    /// ReLU(BN1(x)) of the latest training forward when they ran as one pass (see `DenseLayer`).
    private var fusedActivation: Tensor?

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        fusedActivation = fusedTrainingActivation(input, bn1, select, training: training)
        let activated = fusedActivation ?? selectedActivation(input, bn1, select, reLU, training: training)
        return pool.forward(conv1.forward(activated, training: training), training: training)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        var gradient = pool.backward(gradOutput)
        gradient = conv1.backward(gradient)
        if let fusedActivation { return bn1.backward(gradient, reluOutput: fusedActivation, adding: nil) }
        gradient = reLU.backward(gradient)
        gradient = select.backward(gradient)
        return bn1.backward(gradient)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        pool.outputShape(for: [inputShape[0], outputChannels, inputShape[2], inputShape[3]])
    }
}
