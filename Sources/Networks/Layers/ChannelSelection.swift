import Tensors

/// Passes on only the channels listed in `indices`, as network-slimming's `channel_selection`.
///
/// It sits after a BatchNorm whose channels are shared through a residual connection and
/// cannot be removed; pruning shrinks `indices` instead, and the next conv takes fewer inputs.
/// Backward scatters each gradient back to the channel it came from (others get zero).
public final class ChannelSelection: Layer {
    /// Kept input channels, in increasing order. All channels at first.
    public var indices: [Int]
    /// How many channels arrive at this layer.
    public let inputChannels: Int
    private var inputShape: [Int] = []

    public init(_ channels: Int) {
        inputChannels = channels
        indices = Array(0..<channels)
    }

    public var summary: String { "ChannelSelection(\(indices.count) of \(inputChannels))" }

    /// Whether every channel passes, in order (nothing pruned yet).
    public var isIdentity: Bool { indices.count == inputChannels && indices == Array(0..<inputChannels) }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels,
                     "ChannelSelection expects N×\(inputChannels)×H×W, got \(input.shape)")
        inputShape = input.shape
        if isIdentity { return input }
        return input.gathering(indices, axis: 1)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        if isIdentity { return gradOutput }
        let gradInput = Tensor(shape: inputShape)
        let (n, plane) = (inputShape[0], inputShape[2] * inputShape[3])
        for img in 0..<n {
            for (j, ch) in indices.enumerated() {
                (gradInput.data + (img * inputChannels + ch) * plane)
                    .update(from: gradOutput.data + (img * indices.count + j) * plane, count: plane)
            }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], indices.count, inputShape[2], inputShape[3]]
    }
}
