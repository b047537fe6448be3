import Foundation
import Networks
import Pruning

/// The budgets of *Rethinking the Value of Network Pruning*'s other comparisons (weight-level
/// pruning, lottery tickets), beside the structured ones in Protocols.swift.
extension Protocols {
    /// Fine-tuning after weight-level pruning, as rethinking-network-pruning's
    /// `cifar/weight-level/cifar_finetune.py`: 40 epochs at a constant 0.001 after 160 at 0.1,
    /// that is a quarter of the training epochs at a hundredth of its rate (at least one epoch),
    /// the masks kept. `epochs` overrides the quarter.
    public static func weightLevelFineTuning(after training: TrainingConfig, epochs: Int? = nil) -> TrainingConfig {
        l1FineTuning(after: training, epochs: epochs)
    }

    /// Multiply-accumulates of `network` counting only the weights its masks keep: a layer
    /// whose weight keeps k of its n entries does k/n of its MACs (a conv uses each weight at
    /// every output position, a Linear once). rethinking-network-pruning's weight-level
    /// `count_flops.py` counts a conv's FLOPs from its non-zero weights the same way; it
    /// counts Linear layers in full, as here for unmasked ones.
    public static func nonzeroMultiplyAccumulates(of network: Network) -> Int {
        let masks = Dictionary(network.parameters.compactMap { parameter in parameter.mask.map { (parameter.name, $0) } },
                               uniquingKeysWith: { first, _ in first })
        return ModelCost(network).layers.reduce(0) { total, layer in
            guard let mask = masks[layer.name + ".weight"], mask.count > 0 else { return total + layer.multiplyAccumulates }
            let kept = Double(mask.sum()) / Double(mask.count)
            return total + Int((Double(layer.multiplyAccumulates) * kept).rounded())
        }
    }

    /// Scratch-B after weight-level pruning: ⌊E · MACs(dense) / MACs(non-zero)⌋ epochs (never
    /// fewer than E, at most `cap`), the sparse network's MACs counted from its kept weights as
    /// `count_flops.py` does. (`cifar_B.py` as published counts both models before the pruned
    /// weights are loaded, so its ratio would be 1; the count of non-zero weights shows the intent.)
    public static func weightLevelScratchBEpochs(baselineEpochs: Int, dense: Network, pruned: Network,
                                                 cap: Int? = nil) -> (epochs: Int, uncapped: Int) {
        scratchBEpochs(baselineEpochs: baselineEpochs, baselineMACs: ModelCost(dense).multiplyAccumulates,
                       prunedMACs: nonzeroMultiplyAccumulates(of: pruned), cap: cap)
    }

    /// Fraction of the prunable weights pruned after `round` rounds (from 0) of iterative
    /// pruning that each remove `fraction` of the weights left: 1 − (1 − p)^r.
    public static func lotterySparsity(afterRound round: Int, fraction: Double) -> Double {
        1 - pow(1 - fraction, Double(round))
    }

    /// The per-round fraction p that reaches `target` sparsity in `rounds` rounds:
    /// 1 − (1 − target)^(1/k) (Frankle & Carbin prune p = 20 % a round; 5 rounds reach 67 %).
    public static func lotteryRoundFraction(target: Double, rounds: Int) -> Double {
        precondition(rounds > 0 && (0..<1).contains(target), "rounds must be positive and the target in [0, 1)")
        return 1 - pow(1 - target, 1 / Double(rounds))
    }
}
