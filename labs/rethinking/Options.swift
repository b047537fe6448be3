// The options and presets of lab-rethinking; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-rethinking",
        abstract: """
            Rethinking the value of network pruning (Liu et al., ICLR 2019): fine-tuned against scratch-E and scratch-B for \
            L1-norm, slimming, weight-level and soft filter pruning, and lottery tickets at two learning rates.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: """
        The sections to run, among l1, slimming, weight-level, sfp and lottery, e.g. l1,slimming (default: the preset's; \
        standard runs all five), so that a long study can be split into jobs.
        """)
    var methods: CommaSeparated<Method>?

    @Option(help: """
        VGG depth of every VGG method: 11, 13, 16 or 19 (default: the preset's; full: 16 for L1 and the lottery, \
        19 for slimming and weight-level, as the paper).
        """)
    var depth: Int?

    @Option(help: "Width multiplier of the VGGs, e.g. 0.25 for a CPU-sized network (default: the preset's).")
    var width: Double?

    @Option(help: "Width multiplier of the ResNet of soft filter pruning (default: the preset's).")
    var resnetWidth: Double?

    @Option(help: "Fraction of all BatchNorm channels network slimming's global threshold removes (vggprune.py: 0.7).")
    var slimmingPercent = 0.7

    @Option(help: "Sparsity strength s of network slimming's L1 penalty on γ (default: the preset's; the paper's is 1e-4).")
    var sparsity: Double?

    @Option(help: "Fraction of all conv weights weight-level pruning removes with one global |w| threshold.")
    var weightPercent = 0.5

    @Option(help: "Fraction of each block's inner filters soft filter pruning zeroes every epoch (the reference's --rate 0.7 keeps 70 %).")
    var sfpRatio = 0.3

    @Option(help: "Rounds of iterative magnitude pruning of the lottery tickets (default: the preset's).")
    var lotteryRounds: Int?

    @Option(help: "Fraction of the remaining conv weights each lottery round prunes (Frankle & Carbin: 0.2).")
    var lotteryPercent = 0.5

    func validate() throws {
        if common.scratch == .off {
            throw ValidationError("lab-rethinking compares every pruned network with scratch-E and scratch-B, so it cannot run with --scratch off; drop the option.")
        }
        if let depth, ![11, 13, 16, 19].contains(depth) {
            throw ValidationError("--depth must be 11, 13, 16 or 19 for VGG, got \(depth).")
        }
        for (name, width) in [("--width", width), ("--resnet-width", resnetWidth)] {
            if let width, !(width.isFinite && width > 0 && width <= 4) {
                throw ValidationError("\(name) must be a positive multiplier up to 4, e.g. 0.25, got \(width).")
            }
        }
        try validateFraction(slimmingPercent, name: "--slimming-percent")
        try validateFraction(weightPercent, name: "--weight-percent")
        try validateFraction(sfpRatio, name: "--sfp-ratio")
        try validateFraction(lotteryPercent, name: "--lottery-percent")
        if let sparsity { try validateNonNegative(sparsity, name: "--sparsity") }
        if let lotteryRounds, !(1...10).contains(lotteryRounds) {
            throw ValidationError("--lottery-rounds must be between 1 and 10, got \(lotteryRounds).")
        }
        if let methods, methods.values.isEmpty || Set(methods.values).count != methods.values.count {
            throw ValidationError("--methods names each of l1, slimming, weight-level, sfp, lottery at most once.")
        }
    }
}

/// The sections of the lab, each one of the paper's comparisons.
enum Method: String, CaseIterable, LosslessStringConvertible, Sendable {
    case l1, slimming, weightLevel = "weight-level", sfp, lottery

    init?(_ description: String) { self.init(rawValue: description) }
    var description: String { rawValue }
}

/// What each preset runs. Fine-tuning follows each method's reference code unless
/// `--fine-tune-epochs` sets it: L1 norm and weight-level a quarter of the epochs at a
/// hundredth of the rate, slimming the training epochs at the training schedule.
struct Recipe: LabRecipe {
    /// Training images (stratified subset); the test set is always whole.
    var trainLimit: Int?
    /// VGG depth of every method, or the paper's per method (16 for L1 and the lottery, 19 for
    /// slimming and weight-level) when nil.
    var depth: Int?
    var width: Double
    var resnetDepth = 20
    var resnetWidth: Double
    var epochs: Int
    var fineTuneEpochs: Int? = nil
    var batchSize = 64
    var learningRate: Float = 0.1
    var sparsity: Double
    var methods: [Method] = Method.allCases
    /// Whether the lottery section trains VGG tickets (quick keeps only the MLP's).
    var lotteryOnVGG = true
    var lotteryEpochs: Int
    var lotteryRounds: Int
    var mlpEpochs: Int
    var mlpRounds: Int
    /// The reference's soft filter pruning recipe (200 epochs, batch 128, weight decay 5e-4,
    /// ×0.2 at 30/60/80 %) instead of the lab's training (the full preset).
    var sfpOwnRecipe = false
    var scratchBCap: Int? = nil
    /// Random crop and flip for the networks trained on images (the MLP of the lottery never).
    var augment = true
    /// The ResNet's training images, epochs, batch and rate where they differ from the VGGs' (nil: the same).
    var resnetTrainLimit: Int? = nil
    var resnetEpochs: Int? = nil
    var resnetBatchSize: Int? = nil
    var resnetLearningRate: Float? = nil

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(trainLimit: 1024, depth: 11, width: 0.125, resnetWidth: 0.25, epochs: 2, learningRate: 0.05, sparsity: 1e-3,
                            lotteryEpochs: 1, lotteryRounds: 2, mlpEpochs: 1, mlpRounds: 2, scratchBCap: 4)
        case .quick: Recipe(trainLimit: 10000, depth: 11, width: 0.25, resnetWidth: 0.5, epochs: 4, sparsity: 5e-3,
                            lotteryOnVGG: false, lotteryEpochs: 4, lotteryRounds: 2, mlpEpochs: 4, mlpRounds: 3)
        // Standard trains each network as the lab that converged it: VGG-11 ×0.25 as vgg-slimming's standard
        // preset (30,000 images, 10 epochs at lr 0.05 without crop and flip: 91.90 ± 0.08 %, 20 epochs +0.07 at
        // most), ResNet-20 ×0.5 as resnet-slimming's L1 side at 16 epochs (40,000 images, batch 128, lr 0.1: 92.57 %, 32
        // epochs −0.41: seed 1 of resnet-slimming's 16-epoch study, whose preset now trains 24 for its PreResNet). On
        // 15,000 images for 10 epochs at lr 0.1 with crop and flip the baselines were not converged (VGG 89.06 %,
        // +1.29 at 20 epochs; ResNet 89.29 %, +1.83).
        case .standard: Recipe(trainLimit: 30000, depth: 11, width: 0.25, resnetWidth: 0.5, epochs: 10, learningRate: 0.05,
                               sparsity: 5e-3, lotteryEpochs: 10, lotteryRounds: 3, mlpEpochs: 10, mlpRounds: 4,
                               augment: false, resnetTrainLimit: 40000, resnetEpochs: 16, resnetBatchSize: 128,
                               resnetLearningRate: 0.1)
        case .full: Recipe(trainLimit: nil, depth: nil, width: 1, resnetDepth: 56, resnetWidth: 1, epochs: 160, sparsity: 1e-4,
                           lotteryEpochs: 160, lotteryRounds: 3, mlpEpochs: 50, mlpRounds: 5, sfpOwnRecipe: true)
        }
    }
}

extension Recipe {
    /// The preset's recipe with the command line's overrides.
    init(_ options: Options) {
        self = Recipe.of(options.common.preset).overridden(by: options.common)
        // The command line's training applies to every network, the ResNet's included.
        if let epochs = options.common.epochs { lotteryEpochs = epochs; mlpEpochs = epochs; resnetEpochs = nil }
        if options.common.batchSize != nil { resnetBatchSize = nil }
        if options.common.trainLimit != nil { resnetTrainLimit = nil }
        if options.common.lr != nil { resnetLearningRate = nil }
        if let depth = options.depth { self.depth = depth }
        if let width = options.width { self.width = width }
        if let width = options.resnetWidth { resnetWidth = width }
        if let sparsity = options.sparsity { self.sparsity = sparsity }
        if let rounds = options.lotteryRounds { lotteryRounds = rounds; mlpRounds = rounds }
        if let methods = options.methods { self.methods = Method.allCases.filter(methods.values.contains) }
    }

    /// The VGG depth of `method`: the preset's, or the paper's (L1 norm and the lottery
    /// VGG-16, slimming and weight-level VGG-19).
    func vggDepth(_ method: Method) -> Int {
        depth ?? (method == .slimming || method == .weightLevel ? 19 : 16)
    }

    /// Whether the ResNet trains otherwise than the VGGs (the full preset's own recipe says so in its section).
    var trainsResNetOwnWay: Bool {
        !sfpOwnRecipe && (resnetTrainLimit != nil || resnetEpochs != nil || resnetBatchSize != nil || resnetLearningRate != nil)
    }

    /// The training of the ResNet of soft filter pruning: the lab's `config` with the preset's ResNet
    /// epochs, batch and rate, or the reference's recipe.
    func resnetConfig(_ config: TrainingConfig) -> TrainingConfig {
        var sfp = config
        sfp.epochs = resnetEpochs ?? config.epochs
        sfp.batchSize = resnetBatchSize ?? config.batchSize
        sfp.learningRate = resnetLearningRate ?? config.learningRate
        guard sfpOwnRecipe else { return sfp }
        sfp.epochs = 200
        sfp.batchSize = 128
        sfp.weightDecay = 5e-4
        sfp.schedule = .step(milestones: [0.3, 0.6, 0.8], factor: 0.2)
        return sfp
    }
}
