import Networks

/// What a lab's preset runs: every lab's `Recipe` has these four settings, and the common
/// options override them the same way in every lab (`overridden(by:)`).
public protocol LabRecipe {
    /// Epochs of every training from scratch (baseline, sparsity training, scratch-E).
    var epochs: Int { get set }
    /// Epochs of every fine-tuning of a pruned network; nil: each method's own protocol
    /// (`Protocols`: slimming fine-tunes for the training epochs, L1-norm pruning for a quarter).
    var fineTuneEpochs: Int? { get set }
    var batchSize: Int { get set }
    var learningRate: Float { get set }
    /// At most this many epochs for scratch-B (nil: the rule's ⌊E · MACs ratio⌋).
    var scratchBCap: Int? { get set }
    /// Training images, a stratified subset (nil: the whole training set); the test set is always whole.
    var trainLimit: Int? { get set }
}

extension LabRecipe {
    /// The recipe with `--epochs`, `--fine-tune-epochs`, `--batch-size` and `--lr` applied.
    public func overridden(by options: CommonOptions) -> Self {
        var recipe = self
        if let epochs = options.epochs { recipe.epochs = epochs }
        if let epochs = options.fineTuneEpochs { recipe.fineTuneEpochs = epochs }
        if let batchSize = options.batchSize { recipe.batchSize = batchSize }
        if let lr = options.lr { recipe.learningRate = Float(lr) }
        if let cap = options.scratchBCap { recipe.scratchBCap = cap }
        if let limit = options.trainLimit { recipe.trainLimit = limit }
        return recipe
    }
}

extension TrainingConfig {
    /// The same settings for a fine-tuning stage of `epochs` epochs, at `learningRate` and on
    /// `schedule` if given (else the training's).
    public func fineTuning(epochs: Int, learningRate: Float? = nil, schedule: LearningRateSchedule? = nil) -> TrainingConfig {
        var config = self
        config.epochs = epochs
        if let learningRate { config.learningRate = learningRate }
        if let schedule { config.schedule = schedule }
        return config
    }

    /// The leading epochs in which a run with these settings and one with `other`'s, from the same
    /// weights, train alike, batch for batch: all the settings but the epochs must agree (each
    /// epoch's shuffle is seeded by its index), and the runs part where their schedules first give
    /// another rate (network-slimming's steps at 50 % and 75 %: 24 and 48 epochs share 12).
    public func epochsShared(with other: TrainingConfig) -> Int {
        var same = other
        same.epochs = epochs
        guard same == self else { return 0 }
        var epoch = 0
        while epoch < min(epochs, other.epochs),
              schedule.rate(base: learningRate, epoch: epoch, totalEpochs: epochs)
                == other.schedule.rate(base: other.learningRate, epoch: epoch, totalEpochs: other.epochs) {
            epoch += 1
        }
        return epoch
    }
}
