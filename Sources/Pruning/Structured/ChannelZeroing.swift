import Networks
import Tensors

// Zeroing a channel instead of removing it: the "masked twin" of a surgically pruned model,
// used by the sensitivity analysis (prune, evaluate, restore) and by the equivalence tests.
//
// Only the *producer* side of a channel is zeroed: the slices on axis 0 of trainable
// parameters (a conv's or Linear's weight rows and bias, its BatchNorm's γ and β). Then the
// channel's activation is exactly zero — conv+bias: 0 + 0; conv+BN: γ·x̂ + β = 0·x̂ + 0 — and
// stays zero through ReLU and pooling, so every consumer sees what it would see without the
// channel. Running statistics are left alone (γ = β = 0 already silences the channel).
//
// A group whose channels are picked by a ChannelSelection after a whole BatchNorm
// (pre-activation ResNet) has no producer slice; there γ and β of that BatchNorm are zeroed at
// the selected positions (`batchNormSelection`). This is exact because that BatchNorm feeds only
// the selection. A group with neither (no producer slice, no scale) has its consumer slices
// zeroed instead, which is always exact.

/// A saved copy of some parameters' values, to undo a temporary change.
public struct ParameterSnapshot {
    private let saved: [(Parameter, Tensor)]

    /// Copies the current values of `parameters` (each parameter once).
    public init(_ parameters: [Parameter]) {
        var seen = Set<ObjectIdentifier>()
        saved = parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }.map { ($0, $0.value.copy()) }
    }

    /// Writes the saved values back (the shapes must not have changed).
    public func restore() {
        for (parameter, value) in saved { parameter.value.assign(value) }
    }
}

/// The parameters whose slices `zeroChannels` writes for a group (to snapshot them first).
public func parametersZeroed(by group: ChannelGroup) -> [Parameter] {
    zeroingTargets(of: group).map(\.parameter)
}

/// Sets the producer slices of `positions` of `group` to zero (see the file comment), so the
/// network computes what the network without those channels computes.
public func zeroChannels(_ positions: [Int], of group: ChannelGroup) {
    for target in zeroingTargets(of: group) {
        let mapped = target.positionMap.map { map in positions.map { map[$0] } } ?? positions
        target.parameter.value.zeroSlices(mapped, axis: target.axis, blockSize: target.blockSize)
    }
}

/// Zeroes, for every group in `plan`, the channels the plan would remove: the masked twin of
/// `applySurgery(plan, to: network)`.
public func zeroRemovedChannels(_ plan: PruningPlan, in network: Network) throws {
    for name in plan.keptPositions.keys.sorted() {
        let group = try network.channelGroup(named: name)
        let keep = Set(plan.keptPositions[name]!)
        zeroChannels((0..<group.channelCount).filter { !keep.contains($0) }, of: group)
    }
}

/// One slice that zeroing writes, with an optional map from group position to slice position.
private struct ZeroingTarget {
    let parameter: Parameter
    let axis: Int
    let blockSize: Int
    let positionMap: [Int]?
}

private func zeroingTargets(of group: ChannelGroup) -> [ZeroingTarget] {
    let producers = group.slices.filter { $0.axis == 0 && $0.parameter.isTrainable }
    if !producers.isEmpty {
        return producers.map { ZeroingTarget(parameter: $0.parameter, axis: 0, blockSize: $0.blockSize, positionMap: nil) }
    }
    if let norm = group.batchNorm, let selection = group.batchNormSelection {
        return [norm.weight, norm.bias].map {
            ZeroingTarget(parameter: $0, axis: 0, blockSize: 1, positionMap: selection.indices)
        }
    }
    return group.slices.map { ZeroingTarget(parameter: $0.parameter, axis: $0.axis, blockSize: $0.blockSize, positionMap: nil) }
}

extension Tensor {
    /// Sets the slices at `positions` along `axis` (in blocks of `blockSize`) to zero.
    func zeroSlices(_ positions: [Int], axis: Int, blockSize: Int = 1) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let dim = shape[axis]
        let span = blockSize * inner
        for o in 0..<outer {
            let base = data + o * dim * inner
            for position in positions {
                precondition(position >= 0 && (position + 1) * blockSize <= dim, "zeroSlices: position \(position) out of range")
                (base + position * span).update(repeating: 0, count: span)
            }
        }
    }
}
