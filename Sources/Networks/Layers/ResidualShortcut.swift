import Tensors

/// The parameter-free shortcut of the CIFAR ResNets ("option A"), used where a stage
/// halves the resolution and widens the channels: average-pool by `stride` (window =
/// stride), then append zero channels up to `outputChannels`.
///
/// As rethinking-network-pruning's `downsample_basic_block`. It has nothing to learn, so
/// pruning a block's inner channels never touches it. Backward spreads the gradient of the
/// first `inputChannels` channels over their pooling windows; the zero channels have no
/// source and their gradient is dropped. (The reference builds its output from `x.data`,
/// which stops the gradient there; this layer passes the true gradient.)
public final class ZeroPaddingShortcut: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let stride: Int
    private let pool: AvgPool2d

    public init(inputChannels: Int, outputChannels: Int, stride: Int = 2) {
        precondition(outputChannels >= inputChannels, "the shortcut can only add channels")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.stride = stride
        pool = AvgPool2d(stride)
    }

    public var summary: String {
        "ZeroPaddingShortcut(\(inputChannels) → \(outputChannels), avgpool \(stride))"
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels,
                     "ZeroPaddingShortcut expects N×\(inputChannels)×H×W, got \(input.shape)")
        let pooled = pool.forward(input, training: training)
        let (n, plane) = (pooled.shape[0], pooled.shape[2] * pooled.shape[3])
        let output = Tensor(shape: [n, outputChannels, pooled.shape[2], pooled.shape[3]])
        let block = inputChannels * plane
        for image in 0..<n {
            (output.data + image * outputChannels * plane).update(from: pooled.data + image * block, count: block)
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (n, plane) = (gradOutput.shape[0], gradOutput.shape[2] * gradOutput.shape[3])
        let kept = Tensor(shape: [n, inputChannels, gradOutput.shape[2], gradOutput.shape[3]])
        let block = inputChannels * plane
        for image in 0..<n {
            (kept.data + image * block).update(from: gradOutput.data + image * outputChannels * plane, count: block)
        }
        return pool.backward(kept)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], outputChannels, inputShape[2] / stride, inputShape[3] / stride]
    }
}
