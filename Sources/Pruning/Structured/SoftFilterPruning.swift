import Networks
import Tensors

/// Which convolutions soft filter pruning zeroes.
public enum SoftPrunedLayers: String, Sendable, Codable, CaseIterable {
    /// The convs that produce a channel group, i.e. the filters the surgery can remove (every
    /// conv of VGG and SmallCNN; the inner conv1 of each ResNet block). The hard prune at the
    /// end then computes exactly what the soft model computes.
    case channelGroups = "channel-groups"
    /// Every Conv2d, as the SFP paper and its reference code do (for the CIFAR ResNet also the
    /// stem and each block's conv2, whose outputs feed the residual sums). The filters of convs
    /// outside the channel groups stay in the hard-pruned model as zero filters.
    case allConvolutions = "all-convolutions"
}

/// He et al. (IJCAI 2018), soft filter pruning (SFP): train the full network, and at the end
/// of every epoch zero, in each conv layer, the `ratio` of its filters with the smallest L2
/// norm. The zeroed filters are *not* masked: the next epoch's updates may grow them back, and
/// the next zeroing chooses again. After the last epoch the zeroed filters are removed for real
/// by the one surgery.
///
/// A lab drives it with the trainer's end-of-epoch hook:
///
///     let sfp = SoftFilterPruning(ratio: 0.3)
///     sfp.zeroFilters(in: network)                       // the reference also zeroes before epoch 1
///     var trainer = Trainer(label: "sfp")
///     trainer.endOfEpoch = sfp.endOfEpochHook(epochs: config.epochs)
///     try trainer.fit(network, train: …, test: …, config: config)
///     let plan = try sfp.prune(network)                  // hard prune through applySurgery
///
/// **What is zeroed.** Per conv layer of n filters, ⌊n·ratio⌋ filters (the reference's
/// `int(n * (1 - rate))` with its keep rate `rate` = 1 − ratio), the lowest L2 norms
/// (`FilterL2Norm`, ties go to the higher position); their weight rows and, for a conv with a
/// bias, their bias entries. At least one filter of a layer stays. As the reference
/// (rethinking-network-pruning `cifar/soft-filter-pruning`, from He et al.'s code) the
/// BatchNorm behind the conv is not touched, and the optimiser's momentum buffers are kept
/// (the reference's PyTorch optimiser keeps them; `Trainer.fit` uses one `SGD` for all epochs).
///
/// **How a zeroed filter grows back.** In training mode a zero filter's BatchNorm sees a
/// constant zero channel and outputs exactly its β. The filter then moves again through the
/// momentum of its earlier updates (the usual way in the middle of training), and through its
/// gradient wherever the channel passes something on: β > 0 before a ReLU, or a residual sum.
/// With a fresh optimiser and β ≤ 0 before a ReLU it gets no gradient and stays zero until the
/// next zeroing chooses again. Zeroing γ as well would cut the gradient off for good (the
/// BatchNorm's input gradient is γ-scaled), so that is done only for the hard prune.
///
/// **The hard prune.** `prune` zeroes once more (a no-op right after the last epoch's zeroing:
/// the same filters are chosen again) and applies the plan of those filters' channel groups
/// with `applySurgery`, which removes the whole channel, its BatchNorm entries included. The
/// pruned network therefore equals the soft model *with the removed channels' BatchNorm γ and β
/// set to zero as well* (`zeroRemovedChannels(plan, in:)`), not the soft model as the reference
/// keeps it, whose zero filters still pass a constant β-dependent channel on: the accuracy of
/// both is worth reporting. The reference never removes the filters; it trains and evaluates the
/// full-size model with zero filters, and its scratch runs reuse the zero pattern as a mask.
///
/// **ResNet.** The SFP paper and the reference prune every conv layer of the CIFAR ResNets at
/// the same rate (`--layer_begin 0 --layer_end 162 --layer_inter 3` for ResNet-56 walks every
/// conv weight: the stem, and both convs of every block), `layers: .allConvolutions` here. The
/// surgery can remove only the channel groups: each block's inner channels (conv1's filters,
/// bn1, conv2's input slices). The output channels of the stem and of each block's conv2 are
/// added to the shortcut, so one channel is shared by every block of a stage: removing it from
/// one conv2 alone is not a smaller network, and the per-layer rankings do not agree on a
/// channel across the stage. Those zero filters stay in the pruned model. The default,
/// `.channelGroups`, zeroes only the block's inner conv, so the soft model is the one that is
/// finally pruned.
public struct SoftFilterPruning: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Fraction of each conv layer's filters zeroed (the paper's pruning rate P; the reference's
    /// `--rate` is the kept fraction 1 − P).
    public var ratio: Double
    public var layers: SoftPrunedLayers
    /// Zero after every `interval`-th epoch (the reference's `--epoch_prune`, 1 in its runs)
    /// and after the last one.
    public var interval: Int

    public init(ratio: Double, layers: SoftPrunedLayers = .channelGroups, interval: Int = 1) {
        precondition((0..<1).contains(ratio), "the soft filter pruning ratio must be in 0..<1, got \(ratio)")
        precondition(interval >= 1, "the soft filter pruning interval must be at least 1 epoch, got \(interval)")
        self.ratio = ratio
        self.layers = layers
        self.interval = interval
    }

    /// For reports and the stage cache key.
    public var description: String {
        "soft filter pruning: \(Int((ratio * 100).rounded())) % of the filters of each conv (\(layers.rawValue)) zeroed"
            + (interval == 1 ? " every epoch" : " every \(interval) epochs")
    }

    /// Filters zeroed in a layer of `filters`: ⌊filters·ratio⌋, at most filters − 1.
    public func zeroedCount(of filters: Int) -> Int {
        max(0, min(filters - 1, Int(Double(filters) * ratio + 1e-9)))
    }

    /// Whether the reference zeroes after epoch `epoch` (from 0) of `epochs`:
    /// `epoch % interval == 0 or epoch == epochs - 1`.
    public func zeroes(afterEpoch epoch: Int, of epochs: Int) -> Bool {
        epoch % interval == 0 || epoch == epochs - 1
    }

    /// A `Trainer.endOfEpoch` hook that zeroes the filters after the epochs `zeroes(afterEpoch:of:)` names.
    public func endOfEpochHook(epochs: Int) -> (Network, Int) -> Void {
        { network, epoch in
            if zeroes(afterEpoch: epoch, of: epochs) { zeroFilters(in: network) }
        }
    }

    /// The convolutions this zeroes, in network order.
    public func targetConvolutions(of network: Network) -> [Conv2d] {
        let convolutions = network.body.allLayers.compactMap { $0 as? Conv2d }
        guard layers == .channelGroups else { return convolutions }
        let producers = Set(network.channelGroups.compactMap { $0.producer.map(ObjectIdentifier.init) })
        return convolutions.filter { producers.contains(ObjectIdentifier($0.weight)) }
    }

    /// Zeroes the `zeroedCount` lowest-L2-norm filters (weight rows and bias entries) of every
    /// target conv, and returns the plan that removes them: one entry per channel group produced
    /// by a target conv, keeping its other filters.
    @discardableResult
    public func zeroFilters(in network: Network) -> PruningPlan {
        var keptByWeight: [ObjectIdentifier: [Int]] = [:]
        for conv in targetConvolutions(of: network) {
            let norms = FilterL2Norm.rowNorms(of: conv.weight.value)
            let kept = positionsOfLargest(norms, count: norms.count - zeroedCount(of: norms.count))
            let keptSet = Set(kept)
            let zeroed = norms.indices.filter { !keptSet.contains($0) }
            conv.weight.value.zeroSlices(zeroed, axis: 0)
            conv.bias?.value.zeroSlices(zeroed, axis: 0)
            keptByWeight[ObjectIdentifier(conv.weight)] = kept
        }
        var plan = PruningPlan(keptPositions: [:])
        for group in network.channelGroups {
            guard let producer = group.producer, let kept = keptByWeight[ObjectIdentifier(producer)] else { continue }
            plan.keptPositions[group.name] = kept
            plan.originalCounts[group.name] = group.channelCount
        }
        return plan
    }

    /// The hard prune after the last epoch: zeroes once more (choosing the filters the last
    /// zeroing chose, if the network was not trained since) and removes those filters' channels
    /// with `applySurgery`. Returns the plan. Create a new `SGD` to train the pruned network.
    @discardableResult
    public func prune(_ network: Network) throws -> PruningPlan {
        let plan = zeroFilters(in: network)
        try applySurgery(plan, to: network)
        return plan
    }
}
