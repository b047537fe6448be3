// The options and presets of lab-weight-pruning; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-weight-pruning",
                                                    abstract: "Magnitude and neuron pruning of an MLP.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Hidden widths after neuron pruning (the student's reproduction: 50,100; the 10 outputs stay).")
    var prunedHidden = CommaSeparated<Int>([50, 100])

    func validate() throws {
        guard prunedHidden.values.count == 2, prunedHidden.values.allSatisfy({ (1...200).contains($0) }) else {
            throw ValidationError("--pruned-hidden needs two widths between 1 and 200, e.g. 50,100; got \(prunedHidden.values).")
        }
    }
}

/// What each preset runs: sizes of the data and of every training stage. `fineTuneEpochs`
/// is the neuron-pruned network's fine-tuning, `sweepFineTuneEpochs` each sparsity's of the
/// sweep; `--fine-tune-epochs` sets both.
struct Recipe: LabRecipe {
    var trainLimit: Int?, testLimit: Int?
    var epochs: Int, fineTuneEpochs: Int, sweepFineTuneEpochs: Int
    var batchSize = 64
    var learningRate: Float = 0.01
    var sparsities: [Double]

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(trainLimit: 2000, testLimit: 500, epochs: 1, fineTuneEpochs: 1, sweepFineTuneEpochs: 1,
                            sparsities: [0.5, 0.9, 0.98])
        case .quick: Recipe(trainLimit: nil, testLimit: nil, epochs: 8, fineTuneEpochs: 3, sweepFineTuneEpochs: 1,
                            sparsities: [0.5, 0.7, 0.8, 0.9, 0.95, 0.98])
        case .full: Recipe(trainLimit: nil, testLimit: nil, epochs: 20, fineTuneEpochs: 8, sweepFineTuneEpochs: 3,
                           sparsities: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99])
        }
    }
}

extension Recipe {
    /// The preset's recipe with the command line's overrides.
    init(_ options: Options) {
        self = Recipe.of(options.common.preset).overridden(by: options.common)
        if let epochs = options.common.fineTuneEpochs { sweepFineTuneEpochs = epochs }
    }

    /// The sparsity whose surviving weights the histogram shows: 90 % if swept, else the highest.
    var histogramSparsity: Double { sparsities.contains(0.9) ? 0.9 : sparsities.max()! }
}
