/// Whether sparsity training separated the channels, the condition network slimming relies
/// on: the threshold divided by the median score of the channels the plan keeps. Near zero
/// (under 0.1) the pruned channels' |γ| sat near zero, far below the kept ones, so removing
/// them changes little; near one the threshold cut through a single peak. Nil for a plan
/// without a threshold or that keeps nothing.
public func thresholdSeparation(of plan: PruningPlan, scores: [String: [Float]]) -> Double? {
    guard let threshold = plan.threshold else { return nil }
    let kept = plan.keptPositions.flatMap { group, positions in positions.compactMap { scores[group]?[$0] } }.sorted()
    guard !kept.isEmpty else { return nil }
    let keptMedian = median(ofSorted: kept)
    return keptMedian > 0 ? Double(threshold) / keptMedian : nil
}

/// The fractions of channels one global threshold over `magnitudes` would remove and separate them
/// (`thresholdSeparation` under `bound`), tried at every whole percent from 1 to 99 with
/// `globalPercentileThreshold` and ignoring the per-layer floor: the widest run of consecutive such
/// fractions, or nil when none separates, so sparsity training left no gap near zero. A threshold
/// that does not separate at the chosen fraction may still have a gap to fall in, when many more
/// factors than it removes sit near zero.
public func separatingFractions(_ magnitudes: [Float], bound: Double = 0.1) -> ClosedRange<Double>? {
    guard !magnitudes.isEmpty else { return nil }
    let sorted = magnitudes.sorted()
    let separating = (1...99).filter { percent in
        let threshold = globalPercentileThreshold(sorted, percent: Double(percent) / 100)
        let kept = sorted.drop { $0 <= threshold }
        guard !kept.isEmpty else { return false }
        let keptMedian = median(ofSorted: kept)
        return keptMedian > 0 && Double(threshold) / keptMedian < bound
    }
    var runs: [ClosedRange<Int>] = []
    for percent in separating {
        if let last = runs.last, last.upperBound + 1 == percent { runs[runs.count - 1] = last.lowerBound...percent }
        else { runs.append(percent...percent) }
    }
    let widest = runs.max { $0.count < $1.count }
    return widest.map { Double($0.lowerBound) / 100...Double($0.upperBound) / 100 }
}

/// The median of values sorted in increasing order (not empty).
func median(ofSorted values: some RandomAccessCollection<Float>) -> Double {
    let middle = values.index(values.startIndex, offsetBy: values.count / 2)
    return values.count % 2 == 1 ? Double(values[middle])
        : (Double(values[values.index(before: middle)]) + Double(values[middle])) / 2
}
