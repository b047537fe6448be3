import Networks

/// The training budgets of the comparisons the labs make, as the reference code runs them,
/// in one place so that the labs, their reports and the tests agree.
public enum Protocols {
    /// Scratch-E: the pruned architecture, freshly initialised, trained for the baseline's epochs.
    public static func scratchEEpochs(baselineEpochs: Int) -> Int { baselineEpochs }

    /// Scratch-B: as many epochs as give the pruned architecture the baseline's compute,
    /// ⌊E · MACs(baseline) / MACs(pruned)⌋, never fewer than E (rethinking-network-pruning's
    /// CIFAR `main_B.py`, which has no cap). A `cap` (for people in a hurry) bounds it;
    /// `uncapped` keeps the rule's value so a report can say when the cap bit.
    public static func scratchBEpochs(baselineEpochs: Int, baselineMACs: Int, prunedMACs: Int,
                                      cap: Int? = nil) -> (epochs: Int, uncapped: Int) {
        let ratio = Double(baselineMACs) / Double(max(prunedMACs, 1))
        let uncapped = max(baselineEpochs, Int((Double(baselineEpochs) * ratio).rounded(.down)))
        return (cap.map { min(uncapped, max($0, baselineEpochs)) } ?? uncapped, uncapped)
    }

    /// Fine-tuning after L1-norm filter pruning, as Li et al. and rethinking-network-pruning:
    /// a constant learning rate of a hundredth of the training rate, for a quarter of the
    /// training epochs (40 of 160 in the papers), at least one. `epochs` overrides the quarter.
    public static func l1FineTuning(after training: TrainingConfig, epochs: Int? = nil) -> TrainingConfig {
        var config = training
        config.epochs = epochs ?? max(1, training.epochs / 4)
        config.learningRate = training.learningRate / 100
        config.schedule = .constant
        return config
    }

    /// The pruning-ratio sweep's short fine-tuning, one for every method and fraction so that
    /// the curves compare: Li et al.'s, a constant hundredth of the training rate for a quarter
    /// of the training epochs (at least one); `--fine-tune-epochs` does not lengthen it.
    public static func sweepFineTuning(after training: TrainingConfig) -> TrainingConfig {
        l1FineTuning(after: training)
    }

    /// Fine-tuning after network slimming (network-slimming's `--refine`): the training
    /// schedule and rate, for `epochs` epochs (the training's by default).
    public static func slimmingFineTuning(after training: TrainingConfig, epochs: Int? = nil) -> TrainingConfig {
        training.fineTuning(epochs: epochs ?? training.epochs)
    }
}
