// The options and presets of lab-filter-pruning; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-filter-pruning",
                                                    abstract: "L1-norm filter pruning of a small CNN.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var sweep: SweepOptions

    @Option(help: "Filters per conv layer after pruning (the student's reproduction: 8,16,32).")
    var prunedCfg = CommaSeparated<Int>([8, 16, 32])

    func validate() throws {
        let widths = prunedCfg.values
        guard widths.count == 3, zip(widths, [32, 64, 64]).allSatisfy({ width, limit in (1...limit).contains(width) }) else {
            throw ValidationError("--pruned-cfg needs three widths, at most 32,64,64 and at least 1 each, e.g. 8,16,32; got \(widths).")
        }
    }
}

/// What each preset runs. The pruned network is fine-tuned as Li et al. unless
/// `--fine-tune-epochs` says otherwise: a quarter of the training epochs at a hundredth of the rate.
struct Recipe: LabRecipe {
    /// Training images (stratified subset); the test set is always whole.
    var trainLimit: Int?
    /// Test images of the sensitivity analysis (one evaluation per layer and fraction).
    var sensitivityTestLimit: Int
    var epochs: Int
    var fineTuneEpochs: Int? = nil
    var batchSize = 64
    var learningRate: Float = 0.05
    var runsScratch = true
    var scratchBCap: Int? = nil

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(trainLimit: 1000, sensitivityTestLimit: 200, epochs: 1, scratchBCap: 2)
        case .quick: Recipe(trainLimit: 20000, sensitivityTestLimit: 2000, epochs: 4, runsScratch: false)
        case .standard: Recipe(trainLimit: nil, sensitivityTestLimit: 10000, epochs: 8)
        case .full: Recipe(trainLimit: nil, sensitivityTestLimit: 10000, epochs: 40)
        }
    }
}
