/// Whether sparsity training separated the channels, the condition network slimming relies
/// on: the threshold divided by the median score of the channels the plan keeps. Near zero
/// (under 0.1) the pruned channels' |γ| sat near zero, far below the kept ones, so removing
/// them changes little; near one the threshold cut through a single peak. Nil for a plan
/// without a threshold or that keeps nothing.
public func thresholdSeparation(of plan: PruningPlan, scores: [String: [Float]]) -> Double? {
    guard let threshold = plan.threshold else { return nil }
    let kept = plan.keptPositions.flatMap { group, positions in positions.compactMap { scores[group]?[$0] } }.sorted()
    guard !kept.isEmpty else { return nil }
    let middle = kept.count / 2
    let median = kept.count % 2 == 1 ? Double(kept[middle]) : (Double(kept[middle - 1]) + Double(kept[middle])) / 2
    return median > 0 ? Double(threshold) / median : nil
}
