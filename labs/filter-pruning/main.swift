// lab-filter-pruning: L1-norm filter pruning of a three-conv CNN from [32, 64, 64] to
// [8, 16, 32] (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017).
// Reads top to bottom like a notebook: each step runs, and the report explains it.
import ArgumentParser
import LabKit
import Networks
import Pruning

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-filter-pruning", abstract: "L1-norm filter pruning of a small CNN.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Filters per conv layer after pruning, comma-separated (the seed's 8,16,32).")
    var prunedCfg: String = "8,16,32"

    func validate() throws {
        let widths = prunedCfg.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let limits = [32, 64, 64]
        guard widths.count == 3, zip(widths, limits).allSatisfy({ w, limit in (w ?? 0) > 0 && (w ?? 0) <= limit }) else {
            throw ValidationError("--pruned-cfg needs three widths, at most 32,64,64 and at least 1 each, e.g. 8,16,32; got '\(prunedCfg)'.")
        }
    }
}

/// What each preset runs.
struct Recipe {
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

let options = Options.parseOrExit()
runLab {
    let common = options.common
    var recipe = Recipe.of(common.preset)
    if let epochs = common.epochs { recipe.epochs = epochs }
    if let batch = common.batchSize { recipe.batchSize = batch }
    if let lr = common.lr { recipe.learningRate = Float(lr) }
    let prunedCfg = options.prunedCfg.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }

    let notebook = try Notebook(lab: "filter-pruning", title: "L1-norm filter pruning of a small CNN", options: common)
    notebook.prose("""
        Li et al. (*Pruning Filters for Efficient ConvNets*, ICLR 2017) rank the filters of a convolution by \
        the L1 norm of their weights, $s_j = \\sum |\\mathcal{F}_{j}|$, and remove the smallest. Removing \
        filter $j$ of a layer removes output channel $j$: row $j$ of this layer's weight and bias, and input \
        slice $j$ of the next layer's weight. After the last convolution the feature maps are flattened, so \
        channel $j$ owns a *block* of $H \\times W$ = 7·7 = 49 input columns of the Linear layer, and the \
        whole block goes. Here the seed's CNN goes from [32, 64, 64] to \(prunedCfg) filters.
        """)

    notebook.section("Setup")
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: recipe.testLimit,
                                     modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, seed: common.seed)
    let baseline = Network.smallCNN(cfg: [32, 64, 64], seed: common.seed)
    notebook.prose("""
        Data: \(data.kind.rawValue), \(data.train.sampleCount) training and \(data.test.sampleCount) test images. \
        SGD, learning rate \(recipe.learningRate), momentum 0.9, batch \(recipe.batchSize), \(recipe.epochs) epochs.
        """)
    notebook.code(baseline.summary())

    notebook.section("1. Train the baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)

    notebook.section("2. Filter norms and sensitivity")
    notebook.prose("""
        Figure 1 sorts each layer's filters by L1 norm, divided by the largest (Li et al., Figure 2a): a \
        layer whose curve falls steeply has a few strong filters and many weak ones. Figure 2 prunes each \
        layer *alone* by 10 % … 90 % of its filters, smallest norms first, and evaluates without retraining \
        (Figure 2b): flat curves mark layers that tolerate pruning.
        """)
    let norms = baseline.channelGroups.map { group -> (String, [Double]) in
        let values = group.filterL1Norms!.sorted(by: >)
        let top = Double(values.first ?? 1)
        return (group.name, values.map { Double($0) / max(top, 1e-12) })
    }
    try notebook.figure("filter-norms", caption: "Filters of each layer sorted by L1 norm, normalised by the layer's largest (x: filter rank as a percentage of the layer).",
                        LabCharts.lines(title: "Sorted filter L1 norms", xLabel: "Filter rank (% of layer)", yLabel: "L1 norm / max",
                                        series: norms.map { name, values in
                                            (name, values.indices.map { 100 * Double($0) / Double(max(values.count - 1, 1)) }, values)
                                        }))
    let sensitivitySet = data.test.stratifiedSubset(count: min(recipe.sensitivityTestLimit, data.test.sampleCount))
    let sensitivity = try notebook.step("Sensitivity analysis") {
        try sensitivityAnalysis(of: baseline) { network in Trainer.evaluate(network, on: sensitivitySet).accuracy }
    }
    try notebook.figure("sensitivity", caption: "Test accuracy (on \(sensitivitySet.sampleCount) test images) when one layer alone loses a fraction of its filters, without fine-tuning.",
                        LabCharts.lines(title: "Sensitivity to pruning", xLabel: "Filters pruned away (%)", yLabel: "Test accuracy (%)",
                                        series: sensitivity.groups.map { name in
                                            let curve = sensitivity.curve(for: name)
                                            return (name, curve.map { $0.fraction * 100 }, curve.map { Double($0.accuracy) * 100 })
                                        }, referenceY: ("unpruned", Double(sensitivity.baselineAccuracy) * 100)))
    notebook.metric("sensitivity", sensitivity.points.map { ["group": $0.group, "fraction": String($0.fraction), "accuracy": String($0.accuracy)] })

    notebook.section("3. Prune to \(prunedCfg)")
    let pruned = baseline.clone()
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: pruned, criterion: .filterL1Norm)
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("pruned", pruned, on: data)
    notebook.code(pruned.summary())
    // Removing 90 % of the multiply-accumulates is a large change: fine-tuning keeps the
    // training learning rate rather than a tenth of it, so the few epochs can recover.
    var fineTune = config
    fineTune.epochs = recipe.fineTuneEpochs
    try notebook.train("fine-tune", pruned, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", pruned, on: data)
    try notebook.channelsFigure("channels-per-layer", caption: "Filters per conv layer before and after pruning.",
                                original: baseline, plans: [("kept", plan)])

    notebook.section("4. The pruned architecture trained from scratch")
    let scratch = Network.smallCNN(cfg: prunedCfg, seed: common.seed &+ 1)
    try notebook.train("scratch", scratch, on: data, config: config)
    let scratchAccuracy = notebook.evaluate("scratch", scratch, on: data)

    notebook.section("Results")
    notebook.modelTable([("baseline [32, 64, 64]", baseline, baselineAccuracy),
                         ("pruned \(prunedCfg), fine-tuned", pruned, fineTunedAccuracy),
                         ("scratch \(prunedCfg)", scratch, scratchAccuracy)], latencyBatch: 64)
    try notebook.figure("accuracy-stages", caption: "Test accuracy at each stage.",
                        LabCharts.accuracyBars(["baseline": baselineAccuracy, "pruned": prunedAccuracy,
                                                "fine-tuned": fineTunedAccuracy, "scratch": scratchAccuracy],
                                               order: ["baseline", "pruned", "fine-tuned", "scratch"]))
    try notebook.figure("training-curves", caption: "Test accuracy per epoch of every training stage.",
                        LabCharts.trainingCurves(notebook.histories))
    notebook.prose(String(format: """
        Pruning to %@ drops accuracy from %.2f%% to %.2f%% before fine-tuning; %d epoch(s) of fine-tuning at the \
        training learning rate bring it to %.2f%% (%+.2f points from the baseline). The same architecture \
        trained from scratch for %d epochs reaches %.2f%%.
        """, "\(prunedCfg)", baselineAccuracy * 100, prunedAccuracy * 100, recipe.fineTuneEpochs,
        fineTunedAccuracy * 100, (fineTunedAccuracy - baselineAccuracy) * 100, recipe.epochs, scratchAccuracy * 100))
    try notebook.finish()
}
