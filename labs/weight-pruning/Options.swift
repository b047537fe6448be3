// The options and presets of lab-weight-pruning; main.swift is the method.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-weight-pruning",
                                                    abstract: "Magnitude and neuron pruning of an MLP.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Hidden widths after neuron pruning (the student's reproduction: 50,100; the 10 outputs stay).")
    var prunedHidden = CommaSeparated<Int>([50, 100])

    @Option(help: """
        Where the magnitude threshold applies: per-layer-std (Han et al.: each layer's threshold q·σ of its weights, one q \
        for the network), layerwise (the same fraction of every layer) or global (one |w| threshold for all layers).
        """)
    var scope: PruningScope = .perLayerStd

    func validate() throws {
        guard prunedHidden.values.count == 2, prunedHidden.values.allSatisfy({ (1...200).contains($0) }) else {
            throw ValidationError("--pruned-hidden needs two widths between 1 and 200, e.g. 50,100; got \(prunedHidden.values).")
        }
    }
}

extension PruningScope: ExpressibleByArgument {}

/// What each preset runs: sizes of the data and of every training stage. `fineTuneEpochs`
/// is the neuron-pruned network's fine-tuning, `sweepFineTuneEpochs` each sparsity's of the
/// sweep; `--fine-tune-epochs` sets both.
struct Recipe: LabRecipe {
    /// Training images (stratified subset); the test set is always whole.
    var trainLimit: Int?
    var epochs: Int
    var fineTuneEpochs: Int?
    var sweepFineTuneEpochs: Int
    var batchSize = 64
    var learningRate: Float = 0.05
    var sparsities: [Double]
    var runsScratch = true
    var scratchBCap: Int? = nil

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(trainLimit: 2000, epochs: 1, fineTuneEpochs: 1, sweepFineTuneEpochs: 1,
                            sparsities: [0.5, 0.9, 0.98], scratchBCap: 2)
        case .quick: Recipe(trainLimit: nil, epochs: 8, fineTuneEpochs: 3, sweepFineTuneEpochs: 1,
                            sparsities: [0.5, 0.7, 0.8, 0.9, 0.95, 0.98], runsScratch: false)
        case .standard: Recipe(trainLimit: nil, epochs: 20, fineTuneEpochs: 5, sweepFineTuneEpochs: 2,
                               sparsities: [0.5, 0.7, 0.8, 0.9, 0.92, 0.95, 0.98])
        case .full: Recipe(trainLimit: nil, epochs: 40, fineTuneEpochs: 10, sweepFineTuneEpochs: 5,
                           sparsities: [0.5, 0.6, 0.7, 0.8, 0.9, 0.92, 0.95, 0.97, 0.98, 0.99])
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
