import Tensors

/// One layer of a DenseNet dense block without bottleneck (network-slimming's `densenet`
/// `BasicBlock`):
///
///     new = conv1(ReLU(select(BN1(x))))        (3×3, `growthRate` filters)
///     out = [x; new]                           (channel-wise concatenation)
///
/// The layer's input is every feature map produced before it in the block; they are passed on
/// unchanged and read by every later layer, so no channel of `x` can be removed. Slimming
/// shrinks `select` instead: BN1 (whose channels are `x`'s) stays whole, and conv1 reads fewer
/// input channels. The concatenated features themselves are never pruned.
///
/// Backward (see `ChannelConcatenation.swift`): ∂L/∂out splits into the part that belongs to
/// `x` and the part that belongs to `new`; the latter goes back through conv1, ReLU, select and
/// BN1, and ∂L/∂x is the sum of the two, as for any input that feeds two paths.
public final class DenseLayer: Layer {
    /// The layer's name in the model, e.g. `dense2.5` (the prefix of its parameters' names).
    public let name: String
    public let bn1: BatchNorm2d
    public let select: ChannelSelection
    public let conv1: Conv2d
    private let reLU = ReLU()

    /// Builds the layer reading `selectedChannels` of its `inputChannels` (the first ones at
    /// first; surgery or a checkpoint sets the real indices) and adding `growthRate` channels.
    /// Initialisation as the reference: conv1 Kaiming normal (fan-out), BN γ = 0.5, β = 0.
    /// Parameters are named `<name>.bn1.weight`, `<name>.conv1.weight`, ….
    public init(inputChannels: Int, selectedChannels: Int, growthRate: Int, name: String, rng: inout SeededGenerator) {
        precondition(growthRate > 0 && (1...inputChannels).contains(selectedChannels),
                     "a dense layer reads 1…\(inputChannels) channels and adds at least one, got \(selectedChannels) and \(growthRate)")
        self.name = name
        bn1 = BatchNorm2d(inputChannels, gamma: 0.5)
        select = ChannelSelection(inputChannels)
        select.indices = Array(0..<selectedChannels)
        conv1 = Conv2d(selectedChannels, growthRate, kernel: 3, padding: 1, bias: false, rng: &rng)
        conv1.kaimingNormalInit(rng: &rng)
        bn1.nameParameters("\(name).bn1")
        conv1.nameParameters("\(name).conv1")
    }

    public var inputChannels: Int { bn1.channels }
    public var growthRate: Int { conv1.outChannels }
    public var outputChannels: Int { inputChannels + growthRate }

    /// E.g. `DenseLayer(36 → 48, reads 30)`: channels in and out, and how many the selection passes to conv1.
    public var summary: String {
        "DenseLayer(\(inputChannels) → \(outputChannels), reads \(select.indices.count))"
    }

    public var children: [any Layer] { [bn1, select, reLU, conv1] }

    /// ReLU(BN1(x)) of the latest training forward when BN1 and the ReLU ran as one pass (the
    /// selection passing every channel); nil after a forward that ran them one by one.
    private var fusedActivation: Tensor?

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        fusedActivation = fusedTrainingActivation(input, bn1, select, training: training)
        let activated = fusedActivation ?? selectedActivation(input, bn1, select, reLU, training: training)
        return concatenateChannels(input, conv1.forward(activated, training: training))
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        if let fusedActivation {
            // ∂L/∂x = the concatenation's first channels + the path through conv1, ReLU and BN1,
            // summed by BN1's backward as it writes.
            let gradMain = conv1.backward(trailingChannels(gradOutput, from: inputChannels))
            return bn1.backward(gradMain, reluOutput: fusedActivation, adding: gradOutput)
        }
        let (gradInput, gradNew) = splitChannels(gradOutput, at: inputChannels)
        var gradMain = conv1.backward(gradNew)
        gradMain = reLU.backward(gradMain)
        gradMain = select.backward(gradMain)
        gradMain = bn1.backward(gradMain)
        gradInput.add(gradMain)
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], inputShape[1] + growthRate, inputShape[2], inputShape[3]]
    }
}

/// ReLU(norm(x)) in one pass when training and the selection passes every channel (then
/// backward goes through `norm.backward(_:reluOutput:adding:)`); nil otherwise.
func fusedTrainingActivation(_ input: Tensor, _ norm: BatchNorm2d, _ select: ChannelSelection, training: Bool) -> Tensor? {
    guard training && select.isIdentity else { return nil }
    return norm.forward(input, training: true, relu: true)
}

/// ReLU(select(norm(x))): the pre-activation of DenseNet's layers and transitions. In
/// inference BatchNorm and ReLU run as one pass when the selection passes every channel.
func selectedActivation(_ input: Tensor, _ norm: BatchNorm2d, _ select: ChannelSelection, _ reLU: ReLU,
                        training: Bool) -> Tensor {
    if !training && select.isIdentity { return norm.inferenceForward(input, relu: true) }
    let normalized = norm.forward(input, training: training)
    return reLU.forward(select.forward(normalized, training: training), training: training)
}
