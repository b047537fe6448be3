import Networks

/// The smallest number of channels a plan may leave in a group.
///
/// Network slimming's reference code stops with an error when a global threshold empties a
/// layer; here the floor keeps the best-scored channels instead and the plan records it.
public struct ChannelFloor: Sendable, Equatable, Codable {
    /// Absolute minimum (at least 1).
    public var minimumChannels: Int
    /// Minimum as a fraction of the group's width, rounded up (0 = none).
    public var minimumFraction: Double

    public init(minimumChannels: Int = 1, minimumFraction: Double = 0) {
        self.minimumChannels = max(1, minimumChannels)
        self.minimumFraction = min(max(0, minimumFraction), 1)
    }

    /// The floor for a group of `channelCount` channels.
    public func minimum(for channelCount: Int) -> Int {
        let byFraction = Int((minimumFraction * Double(channelCount)).rounded(.up))
        return min(channelCount, max(minimumChannels, byFraction))
    }
}

/// A group where the criterion alone would have kept fewer channels than the floor allows.
public struct FloorAdjustment: Sendable, Equatable, Codable {
    public var group: String
    /// Channels the criterion would have kept.
    public var wanted: Int
    /// Channels kept because of the floor.
    public var kept: Int
    /// Channels the group had.
    public var channelCount: Int
}

/// Which channels of which groups to keep: the output of every structural method and the input
/// of the one surgery (`applySurgery(_:to:)`). Groups not listed stay whole.
public struct PruningPlan: Sendable, Equatable, Codable {
    /// Kept positions per group name, distinct and increasing.
    public var keptPositions: [String: [Int]]
    /// Width of each listed group when the plan was made.
    public var originalCounts: [String: Int]
    /// Groups the floor kept alive (the lab reports them).
    public var floorAdjustments: [FloorAdjustment]
    /// The score threshold the plan came from, for threshold plans.
    public var threshold: Float?

    public init(keptPositions: [String: [Int]], originalCounts: [String: Int] = [:],
                floorAdjustments: [FloorAdjustment] = [], threshold: Float? = nil) {
        self.keptPositions = keptPositions
        self.originalCounts = originalCounts
        self.floorAdjustments = floorAdjustments
        self.threshold = threshold
    }

    /// Positions of `group` that the plan removes (empty if the group is not in the plan).
    public func removedPositions(of group: String) -> [Int] {
        guard let kept = keptPositions[group], let count = originalCounts[group] else { return [] }
        let keptSet = Set(kept)
        return (0..<count).filter { !keptSet.contains($0) }
    }

    /// Channels kept per group: the widths of the pruned network, whichever channels they are.
    public var keptCounts: [String: Int] { keptPositions.mapValues(\.count) }

    /// Total channels kept and total channels before, over the listed groups.
    public var keptChannelCount: Int { keptPositions.values.reduce(0) { $0 + $1.count } }
    public var originalChannelCount: Int { originalCounts.values.reduce(0, +) }

    /// Names of groups the floor kept alive.
    public var groupsKeptAliveByFloor: [String] { floorAdjustments.map(\.group) }

    /// (group, channels before, channels kept) in the network's group order, for tables and charts.
    public func widths(in network: Network) -> [(group: String, original: Int, kept: Int)] {
        network.channelGroups.map { group in
            let original = originalCounts[group.name] ?? group.channelCount
            return (group.name, original, keptPositions[group.name]?.count ?? original)
        }
    }
}
