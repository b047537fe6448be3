import Tensors

/// max(0, x). Backward passes the gradient where the output was positive.
public final class ReLU: Layer {
    private var output: Tensor?

    public init() {}
    public var summary: String { "ReLU()" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let y = Tensor(uninitializedShape: input.shape)
        let (x, out, n) = (input.data, y.data, input.count)
        parallelFor(n, minimumPerWorker: 1 << 15) { r in
            for i in r { out[i] = max(x[i], 0) }
        }
        if training { output = y }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let output else { fatalError("ReLU.backward called before a training forward") }
        let g = Tensor(uninitializedShape: gradOutput.shape)
        let (dy, y, dx) = (gradOutput.data, output.data, g.data)
        parallelFor(g.count, minimumPerWorker: 1 << 15) { r in
            reluBackward(r.count, dy + r.lowerBound, y + r.lowerBound, dx + r.lowerBound)
        }
        return g
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }
}
