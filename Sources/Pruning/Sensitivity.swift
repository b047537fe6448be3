import Networks

/// Accuracy after removing one fraction of one group's channels, without fine-tuning.
public struct SensitivityPoint: Sendable, Codable, Equatable {
    public var group: String
    /// Fraction of the group's channels asked to be removed.
    public var fraction: Double
    /// Channels actually removed (⌊·⌋ rule of `keptCount`, never all of them).
    public var removedChannels: Int
    public var channelCount: Int
    public var accuracy: Float
}

/// The result of a sensitivity analysis: one curve per group (Li et al., Figure 2b).
public struct SensitivityTable: Sendable, Codable, Equatable {
    /// Accuracy of the unpruned network.
    public var baselineAccuracy: Float
    public var points: [SensitivityPoint]

    /// Group names in the order they were analysed.
    public var groups: [String] {
        var seen = Set<String>()
        return points.map(\.group).filter { seen.insert($0).inserted }
    }

    /// (fraction removed, accuracy) for one group, in increasing fraction.
    public func curve(for group: String) -> [(fraction: Double, accuracy: Float)] {
        points.filter { $0.group == group }.map { ($0.fraction, $0.accuracy) }
    }
}

/// Prunes each group alone by `fractions` of its channels (lowest scores first) and evaluates
/// without fine-tuning — which layers tolerate pruning and which do not (Li et al., Fig. 2b).
///
/// Instead of copying the network, each trial zeroes the producer slices of the removed
/// channels (`zeroChannels`), calls `evaluate`, then restores the saved values. For conv+bias
/// and conv+BN groups (and the selection groups of pre-activation ResNets) a zeroed channel
/// outputs exactly 0, so the network computes what the surgically pruned one would. Running
/// statistics and masks are not touched. `evaluate` must run the network in eval mode.
///
/// - Parameters:
///   - groups: names of the groups to analyse (default: every group the criterion scores).
///   - fractions: fractions of channels to remove (default 0.1, 0.2, …, 0.9).
///   - evaluate: accuracy (or any score) of the network as it is now.
public func sensitivityAnalysis(of network: Network, groups: [String]? = nil,
                                fractions: [Double] = (1...9).map { Double($0) / 10 },
                                criterion: any ChannelCriterion = .filterL1Norm,
                                evaluate: (Network) throws -> Float) throws -> SensitivityTable {
    let names = groups ?? network.channelGroups.filter { criterion.scores(of: $0) != nil }.map(\.name)
    for fraction in fractions where !(0...1).contains(fraction) { throw PruningError.invalidFraction(fraction) }
    var table = SensitivityTable(baselineAccuracy: try evaluate(network), points: [])
    for name in names {
        let group = try network.channelGroup(named: name)
        let scores = try criterion.requiredScores(of: group)
        let count = group.channelCount
        let snapshot = ParameterSnapshot(parametersZeroed(by: group))
        for fraction in fractions {
            let kept = Set(positionsOfLargest(scores, count: max(1, keptCount(of: count, removing: fraction))))
            let removed = (0..<count).filter { !kept.contains($0) }
            zeroChannels(removed, of: group)
            defer { snapshot.restore() }
            let accuracy = try evaluate(network)
            table.points.append(SensitivityPoint(group: name, fraction: fraction, removedChannels: removed.count,
                                                 channelCount: count, accuracy: accuracy))
        }
    }
    return table
}
