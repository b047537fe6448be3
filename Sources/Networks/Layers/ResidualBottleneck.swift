import Tensors

/// The pre-activation bottleneck block of network-slimming's ResNet-164:
///
///     main = conv3(ReLU(BN3( conv2(ReLU(BN2( conv1(ReLU(select(BN1(x)))) ))) )))
///     out  = main + (downsample(x) or x)
///
/// `select` (a `ChannelSelection`) sits between BN1 and the first ReLU: BN1's channels are
/// the block input, shared with the shortcut, so slimming cannot remove them; it shrinks the
/// selection instead and conv1 reads fewer channels. conv1 is 1×1, conv2 3×3 with the block's
/// stride, conv3 1×1 up to `outputChannels` (planes × 4). Where shapes change the shortcut is
/// a 1×1 conv with the stride (`downsample`), as in the reference.
public final class Bottleneck: Layer {
    /// The block's name in the model, e.g. `layer2.0` (the prefix of its parameters' names).
    public let name: String
    public let bn1: BatchNorm2d
    public let select: ChannelSelection
    public let conv1: Conv2d
    public let bn2: BatchNorm2d
    public let conv2: Conv2d
    public let bn3: BatchNorm2d
    public let conv3: Conv2d
    /// The 1×1 shortcut conv where shapes change; nil for an identity shortcut.
    public let downsample: Conv2d?
    private let reLU1 = ReLU(), reLU2 = ReLU(), reLU3 = ReLU()

    /// Builds the block from its three cfg numbers, as network-slimming's `Bottleneck`:
    /// `cfg[0]` channels kept by the selection (the first `cfg[0]` of the input at first),
    /// `cfg[1]` filters of conv1, `cfg[2]` filters of conv2. Initialisation as the reference:
    /// Kaiming normal (fan-out) for every conv, BN γ = 0.5, β = 0. Parameters are named
    /// `<name>.bn1.weight`, `<name>.conv1.weight`, `<name>.downsample.0.weight`, ….
    public init(inputChannels: Int, outputChannels: Int, cfg: [Int], stride: Int = 1,
                name: String, rng: inout SeededGenerator) {
        self.name = name
        precondition(cfg.count == 3 && cfg.allSatisfy { $0 > 0 } && cfg[0] <= inputChannels,
                     "a Bottleneck needs three positive cfg numbers with cfg[0] ≤ \(inputChannels), got \(cfg)")
        bn1 = BatchNorm2d(inputChannels, gamma: 0.5)
        select = ChannelSelection(inputChannels)
        select.indices = Array(0..<cfg[0])
        conv1 = Conv2d(cfg[0], cfg[1], kernel: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(cfg[1], gamma: 0.5)
        conv2 = Conv2d(cfg[1], cfg[2], kernel: 3, stride: stride, padding: 1, bias: false, rng: &rng)
        bn3 = BatchNorm2d(cfg[2], gamma: 0.5)
        conv3 = Conv2d(cfg[2], outputChannels, kernel: 1, bias: false, rng: &rng)
        if stride != 1 || inputChannels != outputChannels {
            downsample = Conv2d(inputChannels, outputChannels, kernel: 1, stride: stride, bias: false, rng: &rng)
        } else {
            downsample = nil
        }
        for conv in [conv1, conv2, conv3] + (downsample.map { [$0] } ?? []) { conv.kaimingNormalInit(rng: &rng) }
        bn1.nameParameters("\(name).bn1")
        conv1.nameParameters("\(name).conv1")
        bn2.nameParameters("\(name).bn2")
        conv2.nameParameters("\(name).conv2")
        bn3.nameParameters("\(name).bn3")
        conv3.nameParameters("\(name).conv3")
        downsample?.nameParameters("\(name).downsample.0")
    }

    public var inputChannels: Int { bn1.channels }
    public var outputChannels: Int { conv3.outChannels }

    /// E.g. `Bottleneck(64 → 128, cfg 60/30/32, stride 2)`: input and output channels, then
    /// the block's cfg numbers (channels selected, conv1 filters, conv2 filters). The shortcut
    /// is a conv exactly where the input and output differ.
    public var summary: String {
        "Bottleneck(\(inputChannels) → \(outputChannels), cfg \(select.indices.count)/\(conv1.outChannels)/\(conv2.outChannels)"
            + (conv2.stride != 1 ? ", stride \(conv2.stride)" : "") + ")"
    }

    public var children: [any Layer] {
        [bn1, select, reLU1, conv1, bn2, reLU2, conv2, bn3, reLU3, conv3] + (downsample.map { [$0] } ?? [])
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        if !training {  // BN and ReLU in one pass; conv → BN → ReLU fused where the conv allows
            var main = select.isIdentity ? bn1.inferenceForward(input, relu: true)
                                         : reLU1.forward(select.forward(bn1.forward(input, training: false), training: false),
                                                         training: false)
            main = inferConvBatchNorm(main, conv1, bn2, reLU2)
            main = inferConvBatchNorm(main, conv2, bn3, reLU3)
            // conv3's sums start from the shortcut where it runs on the direct 1×1 kernels.
            return conv3.forward(main, training: false, adding: downsample?.forward(input, training: false) ?? input)
        }
        // Each BN → ReLU pair in one pass (BN1's too when the selection passes every channel);
        // their outputs are kept for backward, which runs each pair's backward as one pass.
        var main: Tensor
        if let fused = fusedTrainingActivation(input, bn1, select, training: training) {
            activation1 = fused
            main = fused
        } else {
            activation1 = nil
            main = bn1.forward(input, training: training)
            main = select.forward(main, training: training)
            main = reLU1.forward(main, training: training)
        }
        main = conv1.forward(main, training: training)
        activation2 = bn2.forward(main, training: training, relu: true)
        main = conv2.forward(activation2!, training: training)
        activation3 = bn3.forward(main, training: training, relu: true)
        let identity = downsample?.forward(input, training: training) ?? input
        return conv3.forward(activation3!, training: training, adding: identity)
    }

    /// The BN → ReLU outputs of the latest training forward (`activation1` nil when BN1, the
    /// selection and ReLU1 ran one by one).
    private var activation1: Tensor?, activation2: Tensor?, activation3: Tensor?

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let activation2, let activation3 else { fatalError("Bottleneck.backward called before a training forward") }
        var gradMain = conv3.backward(gradOutput)
        gradMain = bn3.backward(gradMain, reluOutput: activation3, adding: nil)
        gradMain = conv2.backward(gradMain)
        gradMain = bn2.backward(gradMain, reluOutput: activation2, adding: nil)
        gradMain = conv1.backward(gradMain)
        let gradShortcut = downsample?.backward(gradOutput) ?? gradOutput
        if let activation1 {
            // The shortcut's gradient is added as BN1's backward writes.
            return bn1.backward(gradMain, reluOutput: activation1, adding: gradShortcut)
        }
        gradMain = reLU1.backward(gradMain)
        gradMain = select.backward(gradMain)
        gradMain = bn1.backward(gradMain)
        return residualSum(gradMain, gradShortcut)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        let selected = select.outputShape(for: inputShape)
        return conv3.outputShape(for: conv2.outputShape(for: conv1.outputShape(for: selected)))
    }
}
