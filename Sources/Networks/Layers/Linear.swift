import Tensors

/// y = x·Wᵀ + b with W of shape [out, in], as `torch.nn.Linear`.
///
/// Gradients (x is N×in, dy is N×out): ∂W = dyᵀ·x, ∂b = Σₙ dy, ∂x = dy·W.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    private var input: Tensor?

    /// In eval mode a masked weight with at most this fraction of nonzero entries is
    /// multiplied through its nonzeros only (`SparseRows`), which is faster and gives the same
    /// outputs up to rounding. Set 0 to always use the dense product. Training is always dense.
    public var sparseInferenceMaxDensity = Linear.defaultSparseInferenceMaxDensity
    let sparseCache = DerivedWeightCache<Double, SparseRows?>()

    /// When this is the network's first layer nobody needs ∂L/∂input (the data is not learned):
    /// set true and backward skips that product and returns zeros, as PyTorch skips it for an
    /// input that does not require a gradient. The parameter gradients are unchanged.
    public var skipsInputGradient = false

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// PyTorch's default initialisation: U(−1/√in, 1/√in) for weight and bias.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout SeededGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(.uniform([outFeatures, inFeatures], low: -bound, high: bound, using: &rng), name: "weight")
        self.bias = bias ? Parameter(.uniform([outFeatures], low: -bound, high: bound, using: &rng), name: "bias") : nil
    }

    public var summary: String { "Linear(in=\(inFeatures), out=\(outFeatures)\(bias == nil ? ", bias=False" : ""))" }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let n = input.shape[0]
        precondition(input.count == n * inFeatures, "Linear expects \(inFeatures) features, got shape \(input.shape)")
        if !training, let y = sparseForward(input) { return y }
        let y = bias == nil ? Tensor(shape: [n, outFeatures]) : Tensor(uninitializedShape: [n, outFeatures])
        if let bias {
            for r in 0..<n { (y.data + r * outFeatures).update(from: bias.value.data, count: outFeatures) }
        }
        gemm(.none, .transposed, m: n, n: outFeatures, k: inFeatures,
             a: input.data, b: weight.value.data, beta: bias == nil ? 0 : 1, c: y.data)
        if training { self.input = input }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let input else { fatalError("Linear.backward called before a training forward") }
        let n = gradOutput.shape[0]
        gemm(.transposed, .none, m: outFeatures, n: inFeatures, k: n,
             a: gradOutput.data, b: input.data, beta: 1, c: weight.grad.data)
        if let bias {
            for r in 0..<n { axpy(outFeatures, alpha: 1, gradOutput.data + r * outFeatures, bias.grad.data) }
        }
        if skipsInputGradient { return Tensor(shape: input.shape) }
        let gradInput = Tensor(uninitializedShape: input.shape)
        gemm(.none, .none, m: n, n: inFeatures, k: outFeatures,
             a: gradOutput.data, b: weight.value.data, c: gradInput.data)
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], outFeatures] }
}
