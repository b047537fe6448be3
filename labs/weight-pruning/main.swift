// lab-weight-pruning: magnitude pruning of a 784-200-200-10 MLP, then neuron pruning to
// [50, 100, 10] by L1 norm, compared with the small network trained from scratch.
// Reads top to bottom like a notebook: each step runs, and the report explains it.
import ArgumentParser
import LabKit
import Networks
import Pruning

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-weight-pruning", abstract: "Magnitude and neuron pruning of an MLP.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Hidden widths after neuron pruning, comma-separated (the seed's [50,100]; the 10 outputs stay).")
    var prunedHidden: String = "50,100"

    func validate() throws {
        let widths = prunedHidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard widths.count == 2, widths.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 200 }) else {
            throw ValidationError("--pruned-hidden needs two widths between 1 and 200, e.g. 50,100; got '\(prunedHidden)'.")
        }
    }
}

/// What each preset runs: sizes of the data and of every training stage.
struct Recipe {
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

let options = Options.parseOrExit()
runLab {
    let common = options.common
    var recipe = Recipe.of(common.preset)
    if let epochs = common.epochs { recipe.epochs = epochs }
    if let batch = common.batchSize { recipe.batchSize = batch }
    if let lr = common.lr { recipe.learningRate = Float(lr) }
    let hidden = options.prunedHidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }
    let prunedCfg = hidden + [10]

    let notebook = try Notebook(lab: "weight-pruning", title: "Weight pruning of an MLP", options: common)
    notebook.prose("""
        This lab prunes a 784-200-200-10 multilayer perceptron in two ways. **Unstructured** pruning sets \
        the smallest weights to zero and keeps them there with a mask: the matrix keeps its shape, but most \
        of its entries are zero. **Structured** (neuron) pruning removes whole hidden units, ranked by the \
        L1 norm of their incoming weights, so the network really becomes smaller: here from \
        [200, 200, 10] to \(prunedCfg). Finally, the small architecture is trained from scratch, the \
        baseline that *Rethinking the Value of Network Pruning* (Liu et al., 2019) asks every pruning \
        method to beat.
        """)

    // MARK: Setup
    notebook.section("Setup")
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: recipe.testLimit,
                                     modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, seed: common.seed)
    let baseline = Network.mlp(cfg: [200, 200, 10], seed: common.seed)
    notebook.prose("""
        Data: \(data.kind.rawValue), \(data.train.sampleCount) training and \(data.test.sampleCount) test images, \
        normalised by the training set's mean and standard deviation. Optimiser: SGD with learning rate \
        \(recipe.learningRate), momentum 0.9, batch \(recipe.batchSize), \(recipe.epochs) epochs. The model:
        """)
    notebook.code(baseline.summary())

    // MARK: Baseline
    notebook.section("1. Train the baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)
    notebook.prose(String(format: "The dense MLP reaches **%.2f%%** test accuracy.", baselineAccuracy * 100))

    // MARK: Unstructured sweep
    notebook.section("2. Unstructured magnitude pruning")
    notebook.prose("""
        For a target sparsity $s$, the $s \\cdot N$ weights of smallest magnitude $|w|$ over all layers \
        (one global threshold, Han et al. 2015) get a mask $m = 0$. Training then only updates kept weights: \
        $w \\leftarrow m \\odot (w - \\eta \\nabla_w L)$. Each sparsity starts from the trained baseline, is \
        evaluated right after pruning, and again after \(recipe.sweepFineTuneEpochs) epoch(s) of masked fine-tuning.
        """)
    var sweepRows: [[TableCell]] = []
    var beforeCurve: [Double] = [], afterCurve: [Double] = []
    var prunedWeightsExample: [Float] = []
    for sparsity in recipe.sparsities {
        let network = baseline.clone()
        let report = MagnitudePruning.prune(network, sparsity: sparsity, scope: .global)
        let before = notebook.evaluate(String(format: "sparsity_%.2f_pruned", sparsity), network, on: data)
        var fineTune = config
        fineTune.epochs = recipe.sweepFineTuneEpochs
        fineTune.learningRate = recipe.learningRate / 10
        try notebook.train(String(format: "masked fine-tune %.0f%%", sparsity * 100), network, on: data, config: fineTune)
        let after = notebook.evaluate(String(format: "sparsity_%.2f_finetuned", sparsity), network, on: data)
        beforeCurve.append(Double(before)); afterCurve.append(Double(after))
        sweepRows.append([.percent(report.overallSparsity), .integer(network.nonzeroParameterCount),
                          .percent(Double(before), decimals: 2), .percent(Double(after), decimals: 2)])
        if abs(sparsity - 0.9) < 1e-9 || (prunedWeightsExample.isEmpty && sparsity == recipe.sparsities.last) {
            prunedWeightsExample = MagnitudePruning.prunableWeights(of: network).flatMap { weight in
                zip(weight.value.values, weight.mask!.values).compactMap { $1 > 0 ? $0 : nil }
            }
        }
    }
    notebook.table(headers: ["Sparsity", "Non-zero parameters", "Accuracy after pruning", "After fine-tuning"],
                   rows: sweepRows)
    try notebook.figure("accuracy-vs-sparsity", caption: "Test accuracy against the fraction of weights removed, right after pruning and after masked fine-tuning. The flat line is the dense baseline.",
                        LabCharts.lines(title: "Accuracy vs sparsity", xLabel: "Weights removed (%)", yLabel: "Test accuracy (%)",
                                        series: [("after pruning", recipe.sparsities.map { $0 * 100 }, beforeCurve.map { $0 * 100 }),
                                                 ("after fine-tuning", recipe.sparsities.map { $0 * 100 }, afterCurve.map { $0 * 100 })],
                                        referenceY: ("baseline", Double(baselineAccuracy) * 100)))
    let baselineWeights = MagnitudePruning.prunableWeights(of: baseline).flatMap(\.value.values)
    try notebook.figure("weight-histogram", caption: "Weights of all layers of the trained baseline, and the weights that survive 90 % magnitude pruning after fine-tuning: pruning removes the peak around zero.",
                        LabCharts.histogram(title: "Weight values before and after pruning", xLabel: "Weight value",
                                            series: [("baseline", baselineWeights), ("kept after 90 % pruning", prunedWeightsExample)],
                                            bins: 80, logY: true))
    notebook.prose("""
        The table and Figure 1 show how far the MLP can be thinned: most weights are redundant, and a short \
        masked fine-tune recovers most of what pruning costs, until very high sparsity.
        """)

    // MARK: Neuron pruning
    notebook.section("3. Neuron pruning to \(prunedCfg)")
    notebook.prose("""
        A hidden unit $j$ of layer $\\ell$ is scored by the L1 norm of its incoming weights, \
        $\\lVert W^{(\\ell)}_{j,:} \\rVert_1$. Keeping the top units of each hidden layer removes row $j$ of \
        $W^{(\\ell)}$, entry $j$ of its bias, and column $j$ of $W^{(\\ell+1)}$: one surgery for the whole group.
        """)
    let pruned = baseline.clone()
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: pruned, criterion: .filterL1Norm)
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("neurons_pruned", pruned, on: data)
    var fineTuneConfig = config
    fineTuneConfig.epochs = recipe.fineTuneEpochs
    fineTuneConfig.learningRate = recipe.learningRate / 10
    try notebook.train("neuron fine-tune", pruned, on: data, config: fineTuneConfig)
    let fineTunedAccuracy = notebook.evaluate("neurons_finetuned", pruned, on: data)
    try notebook.channelsFigure("units-per-layer", caption: "Hidden units per layer before and after neuron pruning.",
                                original: baseline, plans: [("kept", plan)])

    // MARK: Scratch
    notebook.section("4. The same small network trained from scratch")
    let scratch = Network.mlp(cfg: prunedCfg, seed: common.seed &+ 1)
    try notebook.train("scratch \(prunedCfg)", scratch, on: data, config: config)
    let scratchAccuracy = notebook.evaluate("scratch", scratch, on: data)

    // MARK: Results
    notebook.section("Results")
    notebook.modelTable([("baseline [200, 200, 10]", baseline, baselineAccuracy),
                         ("pruned \(prunedCfg), fine-tuned", pruned, fineTunedAccuracy),
                         ("scratch \(prunedCfg)", scratch, scratchAccuracy)], latencyBatch: 256)
    try notebook.figure("accuracy-stages", caption: "Test accuracy at each stage.",
                        LabCharts.accuracyBars(["baseline": baselineAccuracy, "neurons pruned": prunedAccuracy,
                                                "fine-tuned": fineTunedAccuracy, "scratch": scratchAccuracy],
                                               order: ["baseline", "neurons pruned", "fine-tuned", "scratch"]))
    try notebook.figure("training-curves", caption: "Test accuracy per epoch of every training stage.",
                        LabCharts.trainingCurves(notebook.histories.filter { !$0.stage.hasPrefix("masked") }))
    notebook.prose(String(format: """
        Neuron pruning to %@ drops accuracy from %.2f%% to %.2f%% before fine-tuning; %d epoch(s) of \
        fine-tuning bring it to %.2f%% (%+.2f points from the baseline). Trained from scratch for the \
        baseline's %d epochs, the same architecture reaches %.2f%%.
        """, "\(prunedCfg)", baselineAccuracy * 100, prunedAccuracy * 100, recipe.fineTuneEpochs,
        fineTunedAccuracy * 100, (fineTunedAccuracy - baselineAccuracy) * 100, recipe.epochs, scratchAccuracy * 100))
    try notebook.finish()
}
