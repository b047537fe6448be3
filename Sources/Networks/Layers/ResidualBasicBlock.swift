import Tensors

/// The residual block of the CIFAR ResNets (rethinking-network-pruning's `BasicBlock`):
///
///     out = ReLU( BN2(conv2( ReLU(BN1(conv1(x))) )) + shortcut(x) )
///
/// conv1 is 3×3 with the block's stride and maps the input to `innerChannels` (the cfg
/// entry, which pruning shrinks); conv2 is 3×3 back to `outputChannels`. Where the shape
/// changes the shortcut is the parameter-free `ZeroPaddingShortcut`, otherwise identity.
/// The inner channels are free to prune; the output channels are tied to the shortcut.
public final class BasicBlock: Layer {
    /// The block's name in the model, e.g. `layer2.0` (the prefix of its parameters' names).
    public let name: String
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    /// Nil for an identity shortcut.
    public let shortcut: ZeroPaddingShortcut?
    private let innerReLU = ReLU()
    private let outputReLU = ReLU()

    /// Builds the block with the reference initialisation (Kaiming normal, fan-out, for the
    /// convs; BN γ = 1, β = 0) and names its parameters `<name>.conv1.weight`, `<name>.bn1.weight`, ….
    public init(inputChannels: Int, innerChannels: Int, outputChannels: Int, stride: Int = 1,
                name: String, rng: inout SeededGenerator) {
        self.name = name
        conv1 = Conv2d(inputChannels, innerChannels, kernel: 3, stride: stride, padding: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(innerChannels)
        conv2 = Conv2d(innerChannels, outputChannels, kernel: 3, padding: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(outputChannels)
        conv1.kaimingNormalInit(rng: &rng)
        conv2.kaimingNormalInit(rng: &rng)
        if stride != 1 || inputChannels != outputChannels {
            shortcut = ZeroPaddingShortcut(inputChannels: inputChannels, outputChannels: outputChannels, stride: stride)
        } else {
            shortcut = nil
        }
        conv1.nameParameters("\(name).conv1")
        bn1.nameParameters("\(name).bn1")
        conv2.nameParameters("\(name).conv2")
        bn2.nameParameters("\(name).bn2")
    }

    public var inputChannels: Int { conv1.inChannels }
    public var innerChannels: Int { conv1.outChannels }
    public var outputChannels: Int { conv2.outChannels }

    public var summary: String {
        "BasicBlock(\(inputChannels) → \(outputChannels), inner \(innerChannels)"
            + (conv1.stride != 1 ? ", stride \(conv1.stride)" : "") + ")"
    }

    public var children: [any Layer] {
        [conv1, bn1, innerReLU, conv2, bn2] + (shortcut.map { [$0] } ?? []) + [outputReLU]
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        if !training {  // conv → BN (→ ReLU) fused where the convolutions allow it
            let main = inferConvBatchNorm(inferConvBatchNorm(input, conv1, bn1, innerReLU), conv2, bn2, nil)
            let identity = shortcut?.forward(input, training: false) ?? input
            return outputReLU.forward(residualSum(main, identity), training: false)
        }
        var main = conv1.forward(input, training: training)
        // BN1 → ReLU in one pass; its output is kept for backward, which runs both as one pass.
        activation1 = bn1.forward(main, training: training, relu: true)
        main = conv2.forward(activation1!, training: training)
        main = bn2.forward(main, training: training)
        let identity = shortcut?.forward(input, training: training) ?? input
        return outputReLU.forward(residualSum(main, identity), training: training)
    }

    /// BN1 → ReLU's output in the latest training forward.
    private var activation1: Tensor?

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let activation1 else { fatalError("BasicBlock.backward called before a training forward") }
        let gradSum = outputReLU.backward(gradOutput)
        var gradMain = bn2.backward(gradSum)
        gradMain = conv2.backward(gradMain)
        gradMain = bn1.backward(gradMain, reluOutput: activation1, adding: nil)
        gradMain = conv1.backward(gradMain)
        let gradShortcut = shortcut?.backward(gradSum) ?? gradSum
        return residualSum(gradMain, gradShortcut)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        conv2.outputShape(for: conv1.outputShape(for: inputShape))
    }
}
