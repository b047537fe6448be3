import Networks

/// Network slimming's sparsity penalty (Liu et al., ICCV 2017): training minimises
/// loss + s·Σ|γ| over every BatchNorm scale, so channels that do not matter get γ ≈ 0 and a
/// global threshold on |γ| can remove them.
public struct BatchNormL1Penalty: Sendable, CustomStringConvertible {
    /// s, the strength of the penalty.
    public let strength: Float

    public init(strength: Float) { self.strength = strength }

    /// Adds the subgradient of s·Σ|γ| to every BatchNorm's γ gradient: grad(γ) += s·sign(γ),
    /// with sign(0) = 0 as `torch.sign` (network-slimming's `updateBN`). Called after each
    /// backward pass, before the optimiser step.
    public func addGradient(to network: Network) {
        for norm in network.batchNorms {
            let (gamma, grad, n) = (norm.weight.value.data, norm.weight.grad.data, norm.weight.value.count)
            for i in 0..<n {
                let g = gamma[i]
                grad[i] += g > 0 ? strength : (g < 0 ? -strength : 0)
            }
        }
    }

    /// How the stage cache tells a penalised stage from a plain one.
    public var description: String { "l1-gamma:\(strength)" }
}
