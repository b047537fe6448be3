// The options and presets of lab-vgg-slimming; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-vgg-slimming", abstract: "Network slimming of VGG, with L1-norm pruning and scratch baselines.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var sweep: SweepOptions
    @OptionGroup var slimming: SlimmingOptions<VGGSlimming>

    @Option(help: "Slimming passes: sparsity-train, prune, and repeat on the pruned model (the paper's multi-pass scheme).")
    var passes = 1

    @Option(help: "VGG depth: 11, 13, 16 or 19 (default: the preset's).")
    var depth: Int?

    @Option(help: """
        L1-norm comparison: 'matched' prunes every layer by one ratio chosen to match slimming's MACs; 'paper' is \
        Li et al.'s VGG-16 recipe (conv1 and conv8–13 by 50 %, needs --depth 16).
        """)
    var l1: L1Comparison = .matched

    func validate() throws {
        guard (1...5).contains(passes) else { throw ValidationError("--passes must be between 1 and 5, got \(passes).") }
        if let depth, ![11, 13, 16, 19].contains(depth) {
            throw ValidationError("--depth must be 11, 13, 16 or 19 for VGG, got \(depth).")
        }
        if l1 == .paper && depth != 16 { throw ValidationError("--l1 paper is the VGG-16 recipe: add --depth 16.") }
    }
}

/// network-slimming's vggprune.py removes 70 % of the channels.
enum VGGSlimming: SlimmingDefaults { static let percent = 0.7 }

/// Which L1-norm pruning the slimmed VGG is compared with.
enum L1Comparison: String, ExpressibleByArgument, CaseIterable {
    /// One ratio for every conv, chosen so the pruned network has slimming's MACs.
    case matched
    /// Li et al.'s VGG-16: conv1 and conv8–conv13 lose half their filters.
    case paper
}

/// What each preset runs. Fine-tuning follows each method's protocol unless
/// `--fine-tune-epochs` sets it: slimming for the training epochs, L1 norm for a quarter.
struct Recipe: LabRecipe {
    var depth: Int, width: Double
    /// Training images (stratified subset); the test set is always whole.
    var trainLimit: Int?
    var epochs: Int
    var fineTuneEpochs: Int? = nil
    var batchSize = 64
    var learningRate: Float
    var sparsity: Double
    /// Fraction of the channels the global |γ| threshold removes (`--percent`).
    var percent = VGGSlimming.percent
    /// Random crop and flip. On Fashion-MNIST the standard preset trains without: with them,
    /// VGG-11 ×0.25 gained another 1.07 points from 10 to 20 epochs (91.70 → 92.77 %, not
    /// converged); without, 10 epochs reach 92.89 % and 20 epochs 92.84 % (`train`, seed 1).
    var augment = true
    /// Whether scratch-E and scratch-B run (the quick preset leaves them to the standard one).
    var runsScratch = true
    var scratchBCap: Int? = nil

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(depth: 11, width: 0.125, trainLimit: 1024, epochs: 2, learningRate: 0.05, sparsity: 1e-3,
                            scratchBCap: 4)
        case .quick: Recipe(depth: 11, width: 0.25, trainLimit: 30000, epochs: 4, learningRate: 0.1, sparsity: 5e-3,
                            runsScratch: false)
        // Standard on 30,000 images for 10 epochs. At 6 epochs the baseline reached 91.29 ± 0.26 % (3 seeds) and the
        // 2× check gained 0.39 points: short of the 91.5 % bar and not converged, so the schedule grew to 10 epochs
        // (seed 1: 91.97 %, 20 epochs −0.07). Sparsity at 10 epochs, seed 1: s = 5e-3 separated (0.000) but cost 2.3
        // points that fine-tuning did not win back (90.65 %); s = 2e-3 kept 91.21 % but did not separate (0.50: the
        // 70 % threshold cut live channels, 27 % before fine-tuning); s = 3e-3 fine-tuned to 91.23 % but put the 70 %
        // threshold at the edge of the near-zero γ (separation 0.047 in seed 1, 0.142 in seed 3), while 60 % falls
        // inside it (0.000 in seeds 1–3), so standard removes 60 %: a quarter-width VGG-11 has fewer spare channels
        // than the paper's VGG-19.
        case .standard: Recipe(depth: 11, width: 0.25, trainLimit: 30000, epochs: 10, learningRate: 0.05, sparsity: 3e-3,
                               percent: 0.6, augment: false)
        case .full: Recipe(depth: 19, width: 1, trainLimit: nil, epochs: 160, learningRate: 0.1, sparsity: 1e-4)
        }
    }
}

extension Recipe {
    /// The preset's recipe with the command line's overrides.
    init(_ options: Options) {
        self = Recipe.of(options.common.preset).overridden(by: options.common)
        if let depth = options.depth { self.depth = depth }
        if let width = options.slimming.width { self.width = width }
        if let sparsity = options.slimming.sparsity { self.sparsity = sparsity }
        if let percent = options.slimming.percent { self.percent = percent }
    }
}
