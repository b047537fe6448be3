import Networks

extension PruningPlan {
    /// The uniform L1-norm ratio whose pruned network has about `targetMACs` multiply-accumulates:
    /// to compare two methods at the same cost. Found by bisection on the ratio (MACs fall as
    /// the ratio grows); each trial prunes a clone, so `network` is untouched.
    public static func ratio(matchingMACs targetMACs: Int, of network: Network,
                             criterion: any ChannelCriterion = .filterL1Norm) throws -> PruningPlan {
        func macs(at fraction: Double) throws -> Int {
            let trial = network.clone()
            try applySurgery(ratio(fraction, for: trial, criterion: criterion), to: trial)
            return ModelCost(trial).multiplyAccumulates
        }
        var (low, high) = (0.0, 0.99)
        for _ in 0..<14 {
            let middle = (low + high) / 2
            if try macs(at: middle) > targetMACs { low = middle } else { high = middle }
        }
        return try ratio(high, for: network, criterion: criterion)
    }

    /// Several plans applied one after another (multi-pass slimming), expressed as one plan on
    /// the original network: the later plans' positions index the earlier plans' survivors.
    public static func composed(_ plans: [PruningPlan]) -> PruningPlan {
        guard var result = plans.first else { return PruningPlan(keptPositions: [:]) }
        for plan in plans.dropFirst() {
            for (group, positions) in plan.keptPositions {
                let earlier = result.keptPositions[group] ?? Array(0..<(plan.originalCounts[group] ?? 0))
                result.keptPositions[group] = positions.map { earlier[$0] }
                if result.originalCounts[group] == nil { result.originalCounts[group] = plan.originalCounts[group] }
            }
            result.floorAdjustments += plan.floorAdjustments
        }
        return result
    }
}
