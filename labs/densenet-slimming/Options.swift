// The options and presets of lab-densenet-slimming; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-densenet-slimming",
        abstract: "Network slimming of a DenseNet: BatchNorm γ choose the channels each layer reads.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var sweep: SweepOptions
    @OptionGroup var slimming: SlimmingOptions<DenseNetSlimming>

    @Option(help: "Depth of the DenseNet, 3n+4: n dense layers per block (default: the preset's; the paper's is 40).")
    var depth: Int?

    @Option(help: """
        Growth rate k, the channels each dense layer adds (default: the preset's; the paper's is 12). \
        --width w means k = 12·w; give one of the two.
        """)
    var growthRate: Int?

    func validate() throws {
        if let depth, depth < 7 || (depth - 4) % 3 != 0 {
            throw ValidationError("--depth must be 3n+4 for DenseNet (7, 10, 13, …, 40), got \(depth).")
        }
        if let growthRate, !(1...64).contains(growthRate) {
            throw ValidationError("--growth-rate must be between 1 and 64 channels, got \(growthRate).")
        }
        if growthRate != nil && slimming.width != nil {
            throw ValidationError("--growth-rate and --width both set DenseNet's growth rate (k = 12·width): give one of them.")
        }
        if common.preset == .full && common.dataDir == nil && common.merge.isEmpty
            && (common.dataset ?? .cifar10) == .cifar10 {
            throw ValidationError("""
                --preset full is network-slimming's CIFAR-10 recipe: add --data-dir with the folder of CIFAR-10's binary \
                version (cifar-10-batches-bin).
                """)
        }
    }
}

/// network-slimming's README prunes DenseNet-40 with `denseprune.py --percent 0.4`.
enum DenseNetSlimming: SlimmingDefaults { static let percent = 0.4 }

/// What each preset runs. DenseNet-40 (k = 12) costs about 280 M multiply-accumulates per
/// 32×32 image, too many for two CPU cores in minutes, so the short presets train a smaller
/// DenseNet on a stratified subset. Slimming fine-tunes for the training epochs unless
/// `--fine-tune-epochs` says otherwise.
struct Recipe: LabRecipe {
    var depth: Int, growthRate: Int
    /// Training images (stratified subset); the test set is always whole.
    var trainLimit: Int?
    var epochs: Int
    var fineTuneEpochs: Int? = nil
    var batchSize = 64
    var learningRate: Float
    var sparsity: Double
    /// Fraction of the channels the global |γ| threshold removes (`--percent`).
    var percent = DenseNetSlimming.percent
    /// Random crop and flip: they slow short runs down, so the quick preset trains without.
    var augment = true
    /// Whether scratch-E and scratch-B run (the quick preset leaves them to the standard one).
    var runsScratch = true
    var scratchBCap: Int? = nil

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(depth: 10, growthRate: 4, trainLimit: 1024, epochs: 2, batchSize: 32, learningRate: 0.1,
                            sparsity: 1e-3, scratchBCap: 4)
        case .quick: Recipe(depth: 16, growthRate: 6, trainLimit: 12000, epochs: 4, learningRate: 0.1, sparsity: 5e-3,
                            augment: false, runsScratch: false)
        // Standard at s = 2e-3 without crop and flip: at s = 5e-3 with them, DenseNet-22 (k = 6) did not separate
        // (0.474) and sparsity training cost 8.7 points; DenseNet-16 (k = 6, 12,000 images) at 2e-3 without them
        // separated (0.000). Its epochs still need the convergence check (8 → 16 gained 1.76 points there).
        case .standard: Recipe(depth: 22, growthRate: 6, trainLimit: 15000, epochs: 6, learningRate: 0.1, sparsity: 2e-3,
                               augment: false)
        case .full: Recipe(depth: 40, growthRate: 12, trainLimit: nil, epochs: 160, learningRate: 0.1, sparsity: 1e-5)
        }
    }
}

extension Recipe {
    /// The preset's recipe with the command line's overrides.
    init(_ options: Options) {
        self = Recipe.of(options.common.preset).overridden(by: options.common)
        if let depth = options.depth { self.depth = depth }
        if let growthRate = options.growthRate { self.growthRate = growthRate }
        if let width = options.slimming.width { growthRate = Network.denseNetGrowthRate(widthMultiplier: width) }
        if let sparsity = options.slimming.sparsity { self.sparsity = sparsity }
        if let percent = options.slimming.percent { self.percent = percent }
    }
}

/// `dense2.5.select` and `trans1.select` are long for 39 bars; charts show `2.5`, `t1` and
/// `final` (the transition and the classifier's selection named in the report's language).
func shortGroupName(_ group: ChannelGroup, _ text: LabText) -> String {
    let name = group.name.replacingOccurrences(of: ".select", with: "")
    if name == "select" { return text.finalShort }
    if name.hasPrefix("trans") { return text.transitionShort(String(name.dropFirst("trans".count))) }
    return name.replacingOccurrences(of: "dense", with: "")
}
