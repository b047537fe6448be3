import Networks

/// What a lab's preset runs: every lab's `Recipe` has these four settings, and the common
/// options override them the same way in every lab (`overridden(by:)`).
public protocol LabRecipe {
    /// Epochs of every training from scratch (baseline, sparsity training, scratch-E).
    var epochs: Int { get set }
    /// Epochs of every fine-tuning of a pruned network.
    var fineTuneEpochs: Int { get set }
    var batchSize: Int { get set }
    var learningRate: Float { get set }
}

extension LabRecipe {
    /// The recipe with `--epochs`, `--fine-tune-epochs`, `--batch-size` and `--lr` applied.
    public func overridden(by options: CommonOptions) -> Self {
        var recipe = self
        if let epochs = options.epochs { recipe.epochs = epochs }
        if let epochs = options.fineTuneEpochs { recipe.fineTuneEpochs = epochs }
        if let batchSize = options.batchSize { recipe.batchSize = batchSize }
        if let lr = options.lr { recipe.learningRate = Float(lr) }
        return recipe
    }
}

extension TrainingConfig {
    /// The same settings for a fine-tuning stage of `epochs` epochs, at `learningRate` if given.
    public func fineTuning(epochs: Int, learningRate: Float? = nil) -> TrainingConfig {
        var config = self
        config.epochs = epochs
        if let learningRate { config.learningRate = learningRate }
        return config
    }
}
