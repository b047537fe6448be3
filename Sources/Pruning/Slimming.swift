import Networks

// Network slimming (Liu et al., ICCV 2017): train with an L1 penalty s·Σ|γ| on every BatchNorm
// scale so unimportant channels get γ ≈ 0, then drop the channels whose |γ| is below one
// global percentile threshold (`PruningPlan.globalPercentile`), keeping a floor per group.

/// Adds the subgradient of the sparsity penalty s·Σ|γ| to every BatchNorm's γ gradient:
/// grad(γ) += s·sign(γ), with sign(0) = 0 as `torch.sign` (the reference `updateBN`).
/// Call it after each backward pass, before the optimiser step (`Trainer.afterBackward`).
public func addL1SparsityGradient(to network: Network, strength s: Float) {
    for norm in network.batchNorms {
        let (gamma, grad, n) = (norm.weight.value.data, norm.weight.grad.data, norm.weight.value.count)
        for i in 0..<n {
            let g = gamma[i]
            grad[i] += g > 0 ? s : (g < 0 ? -s : 0)
        }
    }
}

/// |γ| of every channel of every group that has a BatchNorm scale, in group order (the values
/// the global threshold is taken over; for the γ histograms).
public func scaleMagnitudes(of network: Network) -> [Float] {
    network.channelGroups.compactMap(\.scaleMagnitudes).flatMap { $0 }
}

/// |γ| of every BatchNorm channel in the network (including BatchNorms no group scores).
public func allBatchNormScaleMagnitudes(of network: Network) -> [Float] {
    network.batchNorms.flatMap { $0.weight.value.values.map(abs) }
}
