import Networks
import Tensors

// Weight-level (unstructured) pruning of conv nets, as rethinking-network-pruning's
// `cifar/weight-level` runs Han et al. (2015) on VGG and ResNets:
//
// 1. prune: one threshold on |w| over all conv weights together, `MagnitudePruning.prune(network,
//    sparsity: p, scope: .global, layers: .convolutions)`;
// 2. fine-tune: the masks live on the parameters and `SGD.step` keeps the pruned entries at
//    zero, with momentum and weight decay (the reference multiplies the gradient by `|w| > 0`
//    before each step; here the gradient is masked and the weight re-masked after the update,
//    which also holds when the optimiser's momentum buffers predate the pruning);
// 3. scratch: `MagnitudePruning.scratch(from: pruned, seed:)`, the same masks on a freshly
//    initialised network (cifar_B.py / cifar_E.py).
//
// Where this differs from the reference: its threshold is the value at index ⌊p·N⌋ of the
// ascending |w| and it keeps the entries strictly above it, so it prunes ⌊p·N⌋ + 1 entries plus
// any ties; here exactly round(p·N) entries go (ties at the threshold broken by position), so
// the requested sparsity is the measured one.

/// Which layers' weights unstructured pruning acts on.
public enum WeightLayers: String, Sendable, Codable, CaseIterable {
    /// Every Conv2d and Linear weight (Han et al. prune the classifier too; the MLP lab).
    case convolutionsAndLinear = "conv-and-linear"
    /// The Conv2d weights only, as rethinking-network-pruning's weight-level and lottery-ticket
    /// code ("We prune only the weights in the convolutional layer").
    case convolutions = "conv"
}

/// How the surviving weights of a mask are drawn again, to train the masked network from scratch.
public enum MaskedInitialisation: String, Sendable, Codable, CaseIterable {
    /// The model's own initialiser (`Network.reinitialized(seed:)`), then the mask: Frankle &
    /// Carbin's "randomly reinitialised" control, sampled from the original distribution.
    case model
    /// rethinking-network-pruning's scratch runs (weight-level `cifar_B.py`/`cifar_E.py`,
    /// lottery-ticket `cifar_scratch_no_longer.py`): every masked conv weight is drawn from
    /// N(0, 2/n) with n = kept entries / input channels (Kaiming's fan-out variance with the
    /// fan-out counted over the surviving weights, so a sparser layer starts with larger
    /// weights); every other parameter keeps the model's initialiser.
    case densityScaled = "density-scaled"
}

extension MagnitudePruning {
    /// One round of iterative pruning: masks ⌊fraction·r⌋ more entries, r being the entries not
    /// masked yet (per weight tensor for `.layerwise`, over all `weights` together otherwise),
    /// the smallest |w| first (|w|/σ for `.perLayerStd`). rethinking-network-pruning's
    /// `cifar_prune_iterative.py` takes the same count, `int(total_nonzero * percent)`; a tiny
    /// epsilon absorbs products such as 0.29·100 = 28.999…. Returns how many entries it masked.
    @discardableResult
    public static func pruneRemaining(_ weights: [Parameter], fraction: Double, scope: PruningScope) -> Int {
        precondition((0...1).contains(fraction), "fraction must be in 0...1, got \(fraction)")
        func newlyPruned(_ remaining: Int) -> Int { min(remaining, Int(fraction * Double(remaining) + 1e-9)) }
        let before = SparsityReport(weights).prunedCount
        switch scope {
        case .layerwise:
            for weight in weights {
                let masked = SparsityReport([weight]).prunedCount
                maskSmallest(magnitudeScores([weight]), count: masked + newlyPruned(weight.value.count - masked), of: [weight])
            }
        case .global, .perLayerStd:
            let total = weights.reduce(0) { $0 + $1.value.count }
            let scores = scope == .global ? magnitudeScores(weights) : layerStdScores(weights)
            maskSmallest(scores, count: before + newlyPruned(total - before), of: weights)
        }
        return SparsityReport(weights).prunedCount - before
    }

    /// Weight-level pruning's scratch baseline: a freshly initialised network of `pruned`'s
    /// architecture carrying a copy of every mask of `pruned`, its masked entries zero. With
    /// `.densityScaled` (the reference's scratch runs) the masked conv weights are drawn
    /// from N(0, 2/n), n = kept entries / input channels; with `.model` the model's initialiser
    /// is kept. Needs a model of the zoo (it rebuilds the network from its spec).
    public static func scratch(from pruned: Network, seed: UInt64,
                               initialisation: MaskedInitialisation = .densityScaled) -> Network {
        let fresh = pruned.reinitialized(seed: seed)
        let (targets, sources) = (fresh.parameters, pruned.parameters)
        precondition(targets.count == sources.count, "scratch: the rebuilt network has other parameters")
        for (target, source) in zip(targets, sources) {
            precondition(target.shape == source.shape, "scratch: \(source.name) has shape \(source.shape), rebuilt \(target.shape)")
            target.mask = source.mask?.copy()
        }
        if initialisation == .densityScaled { drawMaskedConvolutionsDensityScaled(fresh, seed: seed) }
        for parameter in fresh.parameters { parameter.applyMask() }
        return fresh
    }

    /// Redraws each masked conv weight from N(0, 2/n), n = mask.sum() / input channels (the
    /// mask itself is applied by the caller).
    static func drawMaskedConvolutionsDensityScaled(_ network: Network, seed: UInt64) {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_DE45_17D5_CA1E)
        for case let conv as Conv2d in network.body.allLayers {
            guard let mask = conv.weight.mask else { continue }
            let n = Double(mask.sum()) / Double(conv.inChannels)
            guard n > 0 else { continue }
            conv.weight.value.assign(.normal(conv.weight.shape, std: Float((2 / n).squareRoot()), using: &rng))
        }
    }
}
