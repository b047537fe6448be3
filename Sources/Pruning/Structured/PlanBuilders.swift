import Networks

// Every structural method ends in a `PruningPlan`; these builders differ only in how many
// channels each group keeps. All of them choose the best-scored channels and apply the floor.

extension PruningPlan {
    /// Keeps the `counts[name]` best-scored channels of each listed group (scores by group name).
    ///
    /// A count below the floor is raised to the floor, and the plan records the group.
    /// Groups without an entry in `scores` are left out of the plan.
    public static func keepingTop(_ counts: [String: Int], scores: [String: [Float]],
                                  floor: ChannelFloor = ChannelFloor()) -> PruningPlan {
        var plan = PruningPlan(keptPositions: [:])
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
            guard let groupScores = scores[name] else { continue }
            plan.add(group: name, scores: groupScores, wanted: count, floor: floor)
        }
        return plan
    }

    /// Keeps, in every scored group, the channels whose score is strictly above `threshold`
    /// (as network slimming's `weight.abs().gt(thre)`), subject to the floor.
    public static func keepingAbove(_ threshold: Float, scores: [String: [Float]],
                                    floor: ChannelFloor = ChannelFloor()) -> PruningPlan {
        var plan = PruningPlan(keptPositions: [:], threshold: threshold)
        for (name, groupScores) in scores.sorted(by: { $0.key < $1.key }) {
            let above = groupScores.indices.filter { groupScores[$0] > threshold }
            plan.add(group: name, scores: groupScores, wanted: above.count, floor: floor, exactly: above)
        }
        return plan
    }

    /// Shrinks the network to a target cfg (same length as `network.cfg`), keeping the
    /// best channels of each group by `criterion` — the seed's "prune to [8, 16, 32]".
    ///
    /// Entries of the cfg that no group controls (e.g. the class count) must stay unchanged.
    public static func fixedCfg(_ target: [Int], for network: Network, criterion: any ChannelCriterion = .filterL1Norm,
                                floor: ChannelFloor = ChannelFloor()) throws -> PruningPlan {
        guard target.count == network.cfg.count else {
            throw PruningError.invalidTargetCfg("it has \(target.count) entries but the network's cfg \(network.cfg) has \(network.cfg.count)")
        }
        var counts: [String: Int] = [:], scores: [String: [Float]] = [:]
        var controlled = Set<Int>()
        for group in network.channelGroups {
            guard let index = group.cfgIndex else { continue }
            controlled.insert(index)
            guard target[index] <= group.channelCount else {
                throw PruningError.invalidTargetCfg("entry \(index) asks for \(target[index]) channels but group '\(group.name)' has only \(group.channelCount)")
            }
            guard target[index] < group.channelCount else { continue }
            counts[group.name] = target[index]
            scores[group.name] = try criterion.requiredScores(of: group)
        }
        for index in target.indices where !controlled.contains(index) && target[index] != network.cfg[index] {
            throw PruningError.invalidTargetCfg("entry \(index) (\(network.cfg[index])) is not a prunable width; keep it at \(network.cfg[index])")
        }
        return keepingTop(counts, scores: scores, floor: floor)
    }

    /// Removes the same fraction of channels from each group (all groups the criterion can
    /// score when `groups` is nil): a group of n channels keeps ⌊n·(1 − fraction)⌋, as
    /// rethinking-network-pruning's `int(n * (1 - ratio))`.
    public static func ratio(_ fraction: Double, for network: Network, groups: [String]? = nil,
                             criterion: any ChannelCriterion = .filterL1Norm,
                             floor: ChannelFloor = ChannelFloor()) throws -> PruningPlan {
        let names = groups ?? network.channelGroups.filter { criterion.scores(of: $0) != nil }.map(\.name)
        return try ratios(Dictionary(uniqueKeysWithValues: names.map { ($0, fraction) }), for: network,
                          criterion: criterion, floor: floor)
    }

    /// Removes a different fraction of channels per group (group name → fraction removed).
    public static func ratios(_ fractions: [String: Double], for network: Network,
                              criterion: any ChannelCriterion = .filterL1Norm,
                              floor: ChannelFloor = ChannelFloor()) throws -> PruningPlan {
        var counts: [String: Int] = [:], scores: [String: [Float]] = [:]
        for (name, fraction) in fractions {
            guard (0...1).contains(fraction) else { throw PruningError.invalidFraction(fraction) }
            let group = try network.channelGroup(named: name)
            counts[name] = keptCount(of: group.channelCount, removing: fraction)
            scores[name] = try criterion.requiredScores(of: group)
        }
        return keepingTop(counts, scores: scores, floor: floor)
    }

    /// Network slimming's global threshold: over the scores of every scored group (|γ| by
    /// default), the value at index ⌊total·percent⌋ of the ascending sort; channels strictly
    /// above it stay (vggprune.py / resprune.py). The floor keeps every group alive.
    public static func globalPercentile(_ percent: Double, for network: Network,
                                        criterion: any ChannelCriterion = .batchNormScale,
                                        floor: ChannelFloor = ChannelFloor()) throws -> PruningPlan {
        guard (0...1).contains(percent) else { throw PruningError.invalidFraction(percent) }
        let scores = criterion.scores(of: network)
        let all = network.channelGroups.compactMap { scores[$0.name] }.flatMap { $0 }
        guard !all.isEmpty else { return PruningPlan(keptPositions: [:]) }
        return keepingAbove(globalPercentileThreshold(all, percent: percent), scores: scores, floor: floor)
    }

    /// Adds one group: keeps `exactly` if given (else the `wanted` best), raised to the floor.
    mutating func add(group name: String, scores: [Float], wanted: Int, floor: ChannelFloor, exactly: [Int]? = nil) {
        let minimum = floor.minimum(for: scores.count)
        var kept = exactly ?? positionsOfLargest(scores, count: wanted)
        if kept.count < minimum {
            floorAdjustments.append(FloorAdjustment(group: name, wanted: kept.count, kept: minimum, channelCount: scores.count))
            kept = positionsOfLargest(scores, count: minimum)
        }
        keptPositions[name] = kept
        originalCounts[name] = scores.count
    }
}

/// Channels a group of `count` keeps when `fraction` of them are removed: ⌊count·(1 − fraction)⌋
/// (a tiny epsilon absorbs rounding such as 10·0.7 = 6.999…).
public func keptCount(of count: Int, removing fraction: Double) -> Int {
    max(0, min(count, Int(Double(count) * (1 - fraction) + 1e-9)))
}

/// The global threshold of network slimming: sort all magnitudes ascending and take the value
/// at index ⌊total·percent⌋ (clamped to the last one). Channels strictly above it are kept.
public func globalPercentileThreshold(_ magnitudes: [Float], percent: Double) -> Float {
    precondition(!magnitudes.isEmpty, "globalPercentileThreshold needs at least one value")
    let sorted = magnitudes.sorted()
    let index = min(max(Int(Double(sorted.count) * percent), 0), sorted.count - 1)
    return sorted[index]
}

extension Network {
    /// The channel group called `name`, or a `PruningError.unknownGroup` naming the ones there are.
    public func channelGroup(named name: String) throws -> ChannelGroup {
        guard let group = channelGroups.first(where: { $0.name == name }) else {
            throw PruningError.unknownGroup(name, available: channelGroups.map(\.name))
        }
        return group
    }
}
