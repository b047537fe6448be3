/// Mistakes a caller can make when asking for a pruning: each one names the problem and the fix.
public enum PruningError: Error, Equatable, CustomStringConvertible {
    /// The plan names a channel group the network does not have.
    case unknownGroup(String, available: [String])
    /// The plan would leave a group without any channel.
    case emptyGroup(String)
    /// Kept positions must be distinct, increasing and inside the group.
    case invalidPositions(group: String, channelCount: Int)
    /// A target cfg has the wrong length or asks for more channels than a group has.
    case invalidTargetCfg(String)
    /// A fraction or percentile outside 0...1.
    case invalidFraction(Double)
    /// The chosen importance criterion has no scores for a group (e.g. BN |γ| on a group without BatchNorm).
    case missingScores(group: String, criterion: String)

    public var description: String {
        switch self {
        case .unknownGroup(let name, let available):
            return "the network has no channel group named '\(name)'; use one of: \(available.joined(separator: ", "))"
        case .emptyGroup(let name):
            return "the plan keeps no channel of group '\(name)'; keep at least one (use a ChannelFloor)"
        case .invalidPositions(let name, let count):
            return "the kept positions of group '\(name)' must be distinct, increasing and below \(count); sort them and drop duplicates"
        case .invalidTargetCfg(let reason):
            return "the target cfg does not fit this network: \(reason)"
        case .invalidFraction(let value):
            return "the fraction \(value) is outside 0...1; pass a value such as 0.5 for 50 %"
        case .missingScores(let name, let criterion):
            return "group '\(name)' has no \(criterion) scores; choose another criterion or leave the group out"
        }
    }
}
