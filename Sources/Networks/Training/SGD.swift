import Tensors

/// Stochastic gradient descent exactly as `torch.optim.SGD` (no dampening):
///
///     g ← ∇ + λ·w                 (weight decay)
///     b ← μ·b + g                 (momentum buffer; b = g on the first step)
///     g ← g + μ·b  if Nesterov, else g ← b
///     w ← w − lr·g
///
/// Masked parameters keep their pruned entries at zero: the gradient is masked before the
/// update and the weight after it.
public final class SGD {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// The momentum buffer of each parameter (nil before its first step); saved with a
    /// partial training stage so a resumed run continues exactly.
    public var velocity: [Tensor?]

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters.filter(\.isTrainable)
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        velocity = Array(repeating: nil, count: self.parameters.count)
    }

    /// Sets every gradient to zero (call before each backward pass).
    public func zeroGradients() {
        for p in parameters { p.grad.zero() }
    }

    /// Applies one update to every parameter from its current gradient.
    public func step() {
        let (lr, mu, wd, nesterov) = (learningRate, momentum, weightDecay, nesterov)
        for (index, p) in parameters.enumerated() {
            let n = p.value.count
            let (w, g) = (p.value.data, p.grad.data)
            if let mask = p.mask {
                for i in 0..<n { g[i] *= mask.data[i] }
            }
            if mu == 0 {
                for i in 0..<n { w[i] -= lr * (g[i] + wd * w[i]) }
            } else {
                // A fresh buffer on the first step, and after structural surgery changed the shape.
                let isFirst = velocity[index]?.shape != p.value.shape
                if isFirst { velocity[index] = Tensor(shape: p.value.shape) }
                let b = velocity[index]!.data
                for i in 0..<n {
                    let d = g[i] + wd * w[i]
                    let v = isFirst ? d : mu * b[i] + d
                    b[i] = v
                    w[i] -= lr * (nesterov ? d + mu * v : v)
                }
            }
            p.applyMask()
        }
    }
}
