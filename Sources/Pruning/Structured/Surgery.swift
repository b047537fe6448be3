import Networks
import Tensors

// The one structural surgery. Every method (neuron pruning of an MLP, L1 filter pruning,
// network slimming) produces a `PruningPlan`; this applies it to any model that describes its
// channel groups, so no model family needs its own rebuild code.
//
// For each group in the plan, every slice (a conv's filters, its bias, its BatchNorm's four
// vectors, the next layer's input slices, a Linear's H·W-column blocks behind a flatten) is
// replaced by the gathered kept positions, its mask too; every channel selection keeps
// `old[kept[p]]`; and the group's cfg entry becomes the kept count. Parameters are replaced in
// place, so the layers that hold them see the new shapes. Optimiser state (momentum buffers)
// refers to the old shapes: create a new `SGD` after surgery (`Trainer.fit` does).

/// Removes the channels `plan` drops from `network`, in place: the one surgery. Throws before
/// changing anything when the plan names an unknown group, keeps no channel of a group, or
/// lists invalid positions.
public func applySurgery(_ plan: PruningPlan, to network: Network) throws {
    // Validate everything first, so a bad plan leaves the network untouched.
    var work: [(ChannelGroup, [Int])] = []
    for (name, kept) in plan.keptPositions {
        let group = try network.channelGroup(named: name)
        let count = group.channelCount
        guard !kept.isEmpty else { throw PruningError.emptyGroup(name) }
        guard kept.first! >= 0, kept.last! < count, zip(kept, kept.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PruningError.invalidPositions(group: name, channelCount: count)
        }
        checkConsistency(of: group)
        if kept.count < count { work.append((group, kept)) }
    }
    checkNoSliceIsShared(work.map(\.0))
    // Network order, so the result does not depend on dictionary order.
    let order = Dictionary(uniqueKeysWithValues: network.channelGroups.enumerated().map { ($1.name, $0) })
    work.sort { order[$0.0.name]! < order[$1.0.name]! }

    for (group, kept) in work {
        for slice in group.slices {
            let parameter = slice.parameter
            let value = parameter.value.gathering(kept, axis: slice.axis, blockSize: slice.blockSize)
            let mask = parameter.mask?.gathering(kept, axis: slice.axis, blockSize: slice.blockSize)
            parameter.replace(with: value, mask: mask)
        }
        for selection in group.selections {
            let old = selection.indices
            selection.indices = kept.map { old[$0] }
        }
        if let index = group.cfgIndex { network.cfg[index] = kept.count }
    }
}

/// Every slice and selection of a group must agree on the channel count (a model bug otherwise).
private func checkConsistency(of group: ChannelGroup) {
    let count = group.channelCount
    for slice in group.slices {
        let size = slice.parameter.shape[slice.axis]
        precondition(size % slice.blockSize == 0 && size / slice.blockSize == count,
                     "channel group '\(group.name)': slice \(slice.parameter.name) has \(size) entries on axis \(slice.axis) in blocks of \(slice.blockSize), expected \(count) channels")
    }
    for selection in group.selections {
        precondition(selection.indices.count == count,
                     "channel group '\(group.name)': a selection lists \(selection.indices.count) channels, expected \(count)")
    }
}

/// Two groups slicing the same parameter along the same axis would each shrink it by their own
/// positions and corrupt it: a model that describes its groups that way has a bug.
private func checkNoSliceIsShared(_ groups: [ChannelGroup]) {
    var seen: [ObjectIdentifier: [Int: String]] = [:]
    for group in groups {
        for slice in group.slices {
            let key = ObjectIdentifier(slice.parameter)
            if let other = seen[key]?[slice.axis], other != group.name {
                preconditionFailure("channel groups '\(other)' and '\(group.name)' both slice \(slice.parameter.name) on axis \(slice.axis)")
            }
            seen[key, default: [:]][slice.axis] = group.name
        }
    }
}
