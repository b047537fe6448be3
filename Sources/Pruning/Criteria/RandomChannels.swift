import Networks
import Tensors

/// Random channel pruning: every channel gets a random score, so a plan keeps channels by
/// chance. It is the floor every criterion must beat (a method that does no better than
/// chance at the same widths has not shown that its scores matter). Scores depend only on
/// the seed and the group's name, so a run is reproducible.
public struct RandomChannels: ChannelCriterion {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }
    public var name: String { "random" }

    public func scores(of group: ChannelGroup) -> [Float]? {
        var generator = SeededGenerator(seed: seed ^ stableHash(group.name))
        return (0..<group.channelCount).map { _ in Float.random(in: 0..<1, using: &generator) }
    }

    /// FNV-1a of the name: unlike `hashValue`, the same in every process.
    private func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

extension ChannelCriterion where Self == RandomChannels {
    /// Random scores from `seed` (the chance floor).
    public static func random(seed: UInt64) -> RandomChannels { RandomChannels(seed: seed) }
}
