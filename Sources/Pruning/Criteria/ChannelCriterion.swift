import Networks

/// How a structural method scores the channels of a group: a higher score means a more
/// important channel. Each criterion is one small type in this folder; a new method that
/// ranks channels differently is a new conforming type (see `RandomChannels`).
public protocol ChannelCriterion: Sendable {
    /// What the score is, for reports and errors, e.g. "filter L1 norm".
    var name: String { get }
    /// One score per channel of `group`, or nil when the group has nothing to score by.
    func scores(of group: ChannelGroup) -> [Float]?
}

extension ChannelCriterion {
    /// Scores of every group in `network` that this criterion can score, by group name.
    public func scores(of network: Network) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for group in network.channelGroups {
            if let scores = scores(of: group) { result[group.name] = scores }
        }
        return result
    }

    /// The scores of `group`, or the error that says the criterion cannot score it.
    func requiredScores(of group: ChannelGroup) throws -> [Float] {
        guard let scores = scores(of: group) else { throw PruningError.missingScores(group: group.name, criterion: name) }
        return scores
    }
}

/// Positions of the `count` highest scores, returned in increasing order.
///
/// Ties go to the lower position, so the choice is deterministic.
func positionsOfLargest(_ scores: [Float], count: Int) -> [Int] {
    let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    return order.prefix(max(0, min(count, scores.count))).sorted()
}
