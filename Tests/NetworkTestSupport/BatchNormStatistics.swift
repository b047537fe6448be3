import Networks
import Tensors

/// Sets γ, β, the running mean and the running variance of every channel of `norms` to random
/// values away from their defaults (1, 0, 0, 1): |γ| ∈ [0.5, 1.5] with either sign (equally
/// likely), β ∈ [−0.2, 0.2], mean ∈ [−0.2, 0.2], variance ∈ [0.5, 2].
///
/// Then eval-mode BatchNorm is not the identity, a fused inference that mixed up scale and
/// shift or used batch statistics is off by far more than any test's tolerance, the channels
/// differ in |γ| (so thresholds have something to choose), and nearly every channel matters to
/// the output: |γ| is bounded away from zero and β and the mean stay small next to the
/// activations, so few channels are silenced by the ReLU after them, and an equivalence test
/// (a pruned model against its zeroed twin) sees the channels it compares.
public func randomizeStatistics(of norms: [BatchNorm2d], rng: inout SeededGenerator) {
    for norm in norms {
        for channel in 0..<norm.channels {
            norm.weight.value[channel] = rng.uniform(0.5, 1.5) * (rng.nextUnitFloat() < 0.5 ? -1 : 1)
            norm.bias.value[channel] = rng.uniform(-0.2, 0.2)
            norm.runningMean.value[channel] = rng.uniform(-0.2, 0.2)
            norm.runningVar.value[channel] = rng.uniform(0.5, 2)
        }
    }
}
