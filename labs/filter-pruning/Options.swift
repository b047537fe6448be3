// The options and presets of lab-filter-pruning; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-filter-pruning",
                                                    abstract: "L1-norm filter pruning of a small CNN.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Filters per conv layer after pruning (the student's reproduction: 8,16,32).")
    var prunedCfg = CommaSeparated<Int>([8, 16, 32])

    func validate() throws {
        let widths = prunedCfg.values
        guard widths.count == 3, zip(widths, [32, 64, 64]).allSatisfy({ width, limit in (1...limit).contains(width) }) else {
            throw ValidationError("--pruned-cfg needs three widths, at most 32,64,64 and at least 1 each, e.g. 8,16,32; got \(widths).")
        }
    }
}

/// What each preset runs.
struct Recipe: LabRecipe {
    var trainLimit: Int?, testLimit: Int?, sensitivityTestLimit: Int
    var epochs: Int, fineTuneEpochs: Int
    var batchSize = 64
    var learningRate: Float = 0.01

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(trainLimit: 1000, testLimit: 300, sensitivityTestLimit: 200, epochs: 1, fineTuneEpochs: 1)
        case .quick: Recipe(trainLimit: 20000, testLimit: 5000, sensitivityTestLimit: 2000, epochs: 3, fineTuneEpochs: 3)
        case .full: Recipe(trainLimit: nil, testLimit: nil, sensitivityTestLimit: 10000, epochs: 10, fineTuneEpochs: 5)
        }
    }
}
