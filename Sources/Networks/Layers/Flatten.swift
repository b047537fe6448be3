import Tensors

/// Reshapes N×C×H×W to N×(C·H·W), channel-major as PyTorch's `view(N, -1)`:
/// channel c owns the block of columns c·H·W ..< (c+1)·H·W of the next Linear layer.
public final class Flatten: Layer {
    private var inputShape: [Int] = []

    public init() {}
    public var summary: String { "Flatten()" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        inputShape = input.shape
        return input.reshaped(outputShape(for: input.shape))
    }

    public func backward(_ gradOutput: Tensor) -> Tensor { gradOutput.reshaped(inputShape) }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], inputShape.dropFirst().reduce(1, *)]
    }
}
