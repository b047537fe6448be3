import Foundation
import Networks

/// One prune → fine-tune cycle of an iterative schedule.
public struct PruningCycle: Sendable, Codable, Equatable {
    public var cycle: Int
    public var targetSparsity: Double
    /// Sparsity right after pruning (before fine-tuning).
    public var report: SparsityReport
}

extension MagnitudePruning {
    /// Iterative magnitude pruning: for each target sparsity in `schedule` (increasing), prune
    /// to it and then call `fineTune(network, cycle)` — masks keep pruned weights at zero while
    /// fine-tuning. Pruning gradually and retraining in between loses less accuracy than
    /// pruning once to the final sparsity (Han et al., 2015).
    @discardableResult
    public static func iterate(_ network: Network, schedule: [Double], scope: PruningScope,
                               fineTune: (Network, Int) throws -> Void) rethrows -> [PruningCycle] {
        var cycles: [PruningCycle] = []
        for (cycle, target) in schedule.enumerated() {
            let report = prune(network, sparsity: target, scope: scope)
            cycles.append(PruningCycle(cycle: cycle, targetSparsity: target, report: report))
            try fineTune(network, cycle)
        }
        return cycles
    }

    /// Sparsities that remove the same fraction of the remaining weights each cycle, ending at
    /// `finalSparsity`: sᵢ = 1 − (1 − s)^(i/n) for i = 1…n.
    public static func geometricSchedule(finalSparsity: Double, cycles: Int) -> [Double] {
        precondition(cycles >= 1 && (0...1).contains(finalSparsity), "need cycles ≥ 1 and a sparsity in 0...1")
        return (1...cycles).map { i in
            i == cycles ? finalSparsity : 1 - pow(1 - finalSparsity, Double(i) / Double(cycles))
        }
    }
}
