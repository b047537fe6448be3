import Networks

/// How a structural method scores the channels of a group: higher means more important.
public enum ImportanceCriterion: String, Sendable, Codable, CaseIterable {
    /// Σ|W| over each filter or neuron (a row of the producing weight), as Li et al.
    case filterL1Norm = "filter L1 norm"
    /// |γ| of the BatchNorm that scales each channel, as network slimming.
    case batchNormScale = "BN |γ|"

    /// One score per channel of `group`, or nil when the group has nothing to score by.
    public func scores(of group: ChannelGroup) -> [Float]? {
        switch self {
        case .filterL1Norm: return group.filterL1Norms
        case .batchNormScale: return group.scaleMagnitudes
        }
    }

    /// Scores of every group in `network` that this criterion can score, by group name.
    public func scores(of network: Network) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for group in network.channelGroups {
            if let scores = scores(of: group) { result[group.name] = scores }
        }
        return result
    }
}

/// Positions of the `count` highest scores, returned in increasing order.
///
/// Ties go to the lower position, so the choice is deterministic.
func positionsOfLargest(_ scores: [Float], count: Int) -> [Int] {
    let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    return order.prefix(max(0, min(count, scores.count))).sorted()
}
