import Networks
import Pruning

/// What network slimming produced: the compact network (not yet fine-tuned) and the numbers
/// a report needs.
public struct SlimmingOutcome {
    /// The compact network rebuilt from the surviving channels.
    public let network: Network
    /// One plan per pass; `combinedPlan` expresses them all on the original network.
    public let plans: [PruningPlan]
    public var combinedPlan: PruningPlan { PruningPlan.composed(plans) }
    /// Test accuracy after the (last) sparsity training, and right after the (last) pruning.
    public let sparseAccuracy: Float
    public let prunedAccuracy: Float
}

extension Notebook {
    /// Network slimming (Liu et al., ICCV 2017), `passes` times: sparsity training with the
    /// L1 penalty s·Σ|γ| (first pass with `config`, later passes with `laterConfig`), one global
    /// threshold at the `percent` quantile of all |γ| (a per-layer floor keeps every layer
    /// alive), and the compact rebuild through the one surgery. Draws the |γ| histogram of
    /// `baseline` against the first sparsity-trained network, with the threshold.
    public func slim(_ start: Network, baseline: Network, on data: LabData, config: TrainingConfig,
                     laterConfig: TrainingConfig, sparsity: Float, percent: Double, passes: Int) throws -> SlimmingOutcome {
        var network = start
        var plans: [PruningPlan] = []
        var sparseAccuracy: Float = 0, prunedAccuracy: Float = 0
        for pass in 1...passes {
            let suffix = passes > 1 ? " (pass \(pass))" : ""
            try train("sparsity training\(suffix)", network, on: data, config: pass == 1 ? config : laterConfig,
                      sparsity: sparsity)
            sparseAccuracy = evaluate("sparsity_trained", network, on: data)
            let plan = try PruningPlan.globalPercentile(percent, for: network, criterion: .batchNormScale)
            if pass == 1 {
                try gammaHistogram("gamma-histogram", caption: "|γ| of every BatchNorm that scores a prunable channel, after baseline training and after sparsity training; the dashed line is the global threshold at percent \(percent).",
                                   networks: [("baseline", baseline), ("sparsity-trained", network)],
                                   threshold: plan.threshold ?? 0)
            }
            let pruned = network.clone()
            try applySurgery(plan, to: pruned)
            prunedAccuracy = evaluate("pruned", pruned, on: data)
            let alive = plan.groupsKeptAliveByFloor
            prose(String(format: "Pass %d: the threshold |γ| > %.4g keeps %d of %d prunable channels; accuracy right after pruning %.2f%%. %@",
                         pass, plan.threshold ?? 0, plan.keptChannelCount, plan.originalChannelCount, prunedAccuracy * 100,
                         alive.isEmpty ? "No layer lost all its channels."
                            : "The threshold would have emptied \(alive.count) layer(s); the per-layer floor kept the best channel of each alive: "
                              + alive.joined(separator: ", ") + " (network-slimming's reference code stops with an error here)."))
            explainPruningDrop(before: sparseAccuracy, after: prunedAccuracy)
            plans.append(plan)
            network = pruned
        }
        metric("threshold", Double(plans[0].threshold ?? 0))
        metric("kept_alive_by_floor", plans.flatMap(\.groupsKeptAliveByFloor))
        return SlimmingOutcome(network: network, plans: plans, sparseAccuracy: sparseAccuracy, prunedAccuracy: prunedAccuracy)
    }
}
