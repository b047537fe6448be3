import Networks
import Tensors

/// Frankle & Carbin (ICLR 2019), the lottery ticket hypothesis: iterative magnitude pruning
/// with rewinding to the original initialisation.
///
/// A lab drives it round by round with its own training:
///
///     var ticket = LotteryTicket(initial: network)           // snapshot θ₀ before any training
///     for round in 1...k {
///         train(network)                                       // masked weights stay zero (SGD)
///         ticket.pruneRound(network: network, fraction: 0.2)   // 20 % of the remaining weights
///         ticket.rewind(network)                               // the winning ticket: θ₀ ⊙ mask
///     }
///     let control = network.clone(); ticket.randomReinit(control, seed: 7)   // same mask, new θ
///
/// Each round prunes ⌊p·r⌋ of the r weights that survived the earlier rounds, by the |w| of
/// the trained weights, so after k rounds (1 − p)^k of them remain (up to the floors).
///
/// **Global or per layer.** rethinking-network-pruning's weight-level lottery-ticket code
/// (`cifar/lottery-ticket/weight-level/cifar_prune_iterative.py`) prunes *globally*: one
/// threshold over the |w| of all conv weights together, at ⌊p·(non-zero conv weights)⌋ above the
/// zeros; it prunes no Linear or BatchNorm parameter. That is the default here (`scope:
/// .global`, `layers: .convolutions`). Frankle & Carbin prune VGG-19 and ResNet-18 globally
/// over the conv layers too, and their small Conv-2/4/6 and LeNet nets layer by layer:
/// `scope: .layerwise` prunes ⌊p·r_l⌋ of each layer's own remaining weights.
///
/// **What rewinding restores.** Every parameter and buffer of the network (conv and Linear
/// weights and biases, BatchNorm γ, β and running statistics) goes back to its value at the
/// snapshot, bit for bit, and the masks are applied: the reference loads the whole saved
/// initial state dict and then masks the conv weights. The optimiser's momentum is not part of
/// the ticket: train each round with a new `SGD` (`Trainer.fit` makes one).
///
/// **The control.** `randomReinit` keeps the masks and draws every parameter afresh from the
/// model's initialiser with another seed (the paper's control, `.model`), or, as the
/// reference's `cifar_scratch_no_longer.py`, draws the masked conv weights from the
/// density-scaled N(0, 2/n) (`.densityScaled`).
///
/// The reference ranks by `|w| > threshold`, so ties at the threshold are all pruned and a
/// round removes at least one weight more than ⌊p·r⌋; here exactly ⌊p·r⌋ go, ties broken by
/// position.
public struct LotteryTicket {
    /// One threshold over all prunable weights (`.global`) or one per weight tensor (`.layerwise`).
    public let scope: PruningScope
    /// The weights that are pruned: the conv weights (default, as the reference) or conv and Linear.
    public let layers: WeightLayers
    /// Copies of every parameter and buffer of the network when the ticket was made, in
    /// `network.state` order: what `rewind` restores.
    public let initialState: [Tensor]
    /// The keep-masks (1 = kept, 0 = pruned) of the prunable weights, in
    /// `MagnitudePruning.prunableWeights(of:layers:)` order; all ones before the first round.
    public private(set) var masks: [Tensor]
    /// Rounds pruned so far.
    public private(set) var rounds = 0

    /// Snapshots `network`'s current values as the initialisation to rewind to (call it before
    /// training). Masks the network already carries become the starting masks.
    public init(initial network: Network, scope: PruningScope = .global, layers: WeightLayers = .convolutions) {
        self.scope = scope
        self.layers = layers
        initialState = network.state.map { $0.value.copy() }
        masks = MagnitudePruning.prunableWeights(of: network, layers: layers).map {
            $0.mask?.copy() ?? Tensor(shape: $0.shape, repeating: 1)
        }
    }

    /// Weights the masks cover, and how many of them are still kept.
    public var totalCount: Int { masks.reduce(0) { $0 + $1.count } }
    public var remainingCount: Int { masks.reduce(0) { $0 + Int($1.sum().rounded()) } }
    /// Fraction of the covered weights pruned so far.
    public var sparsity: Double { totalCount == 0 ? 0 : 1 - Double(remainingCount) / Double(totalCount) }

    /// One round of iterative magnitude pruning on the trained `network`: its prunable weights
    /// get the ticket's masks, then ⌊fraction·r⌋ of the r remaining weights with the smallest
    /// trained |w| are masked (globally or per layer, see the type's comment). The network keeps
    /// its trained values (the pruned ones zero); call `rewind` for the ticket.
    @discardableResult
    public mutating func pruneRound(network: Network, fraction: Double) -> SparsityReport {
        let weights = checkedWeights(of: network)
        for (weight, mask) in zip(weights, masks) {
            weight.mask = mask.copy()
            weight.applyMask()
        }
        MagnitudePruning.pruneRemaining(weights, fraction: fraction, scope: scope)
        masks = weights.map { $0.mask!.copy() }
        rounds += 1
        return SparsityReport(weights)
    }

    /// The winning ticket: every parameter and buffer back to its value at the snapshot, then
    /// the masks on the prunable weights (kept entries equal θ₀ exactly, pruned ones zero).
    public func rewind(_ network: Network) {
        let state = network.state
        precondition(state.count == initialState.count, "rewind: the network has \(state.count) parameters and buffers, the ticket \(initialState.count)")
        for (parameter, initial) in zip(state, initialState) {
            precondition(parameter.shape == initial.shape, "rewind: \(parameter.name) has shape \(parameter.shape), the ticket \(initial.shape)")
            parameter.value.assign(initial)
        }
        applyMasks(to: network)
    }

    /// The control: the same masks on a fresh random initialisation of the same architecture
    /// (`seed`), written into `network` in place. Needs a model of the zoo (it rebuilds the
    /// network from its spec).
    public func randomReinit(_ network: Network, seed: UInt64, initialisation: MaskedInitialisation = .model) {
        let fresh = network.reinitialized(seed: seed)
        let (targets, sources) = (network.state, fresh.state)
        precondition(targets.count == sources.count, "randomReinit: the rebuilt network has other parameters")
        for (target, source) in zip(targets, sources) { target.value.assign(source.value) }
        let weights = checkedWeights(of: network)
        for (weight, mask) in zip(weights, masks) { weight.mask = mask.copy() }
        if initialisation == .densityScaled { MagnitudePruning.drawMaskedConvolutionsDensityScaled(network, seed: seed) }
        for weight in weights { weight.applyMask() }
    }

    /// Puts (copies of) the ticket's masks on `network`'s prunable weights and zeroes the pruned entries.
    public func applyMasks(to network: Network) {
        for (weight, mask) in zip(checkedWeights(of: network), masks) {
            weight.mask = mask.copy()
            weight.applyMask()
        }
    }

    private func checkedWeights(of network: Network) -> [Parameter] {
        let weights = MagnitudePruning.prunableWeights(of: network, layers: layers)
        precondition(weights.count == masks.count && zip(weights, masks).allSatisfy { $0.shape == $1.shape },
                     "the lottery ticket was made for another architecture (\(masks.count) prunable weights, the network has \(weights.count))")
        return weights
    }
}
