// lab-weight-pruning: magnitude pruning of a 784-200-200-10 MLP, then neuron pruning to
// [50, 100, 10] by L1 norm, compared with the small network trained from scratch.
// Reads top to bottom like a notebook: each step runs, and the report explains it.
// The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let prunedCfg = options.prunedHidden.values + [10]
let seed = options.common.seed
let text = LabText(language: options.common.lang)

runLab(lab: "weight-pruning", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro(prunedCfg: prunedCfg))

    // MARK: Setup
    notebook.section(text.common.setup)
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: nil, modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, schedule: .slimming, seed: seed)
    let baseline = Network.mlp(cfg: [200, 200, 10], seed: seed)
    notebook.prose(text.setup(dataset: data.kind.rawValue, train: data.train.sampleCount, test: data.test.sampleCount,
                              learningRate: recipe.learningRate, batch: recipe.batchSize, epochs: recipe.epochs))
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section(text.trainBaseline)
    let baselineAccuracy = try notebook.trainBaseline(text.common.baselineStage, baseline,
        label: text.common.baseline, make: { Network.mlp(cfg: [200, 200, 10], seed: seed) }, on: data, config: config)
    notebook.prose(text.baselineReaches(baselineAccuracy))

    // MARK: 2. Unstructured magnitude pruning, sparsity by sparsity
    notebook.section(text.magnitudeSection)
    notebook.prose(text.magnitude(scope: options.scope, fineTuneEpochs: recipe.sweepFineTuneEpochs))
    // Fine-tuning runs at a constant tenth of the rate: the training's step schedule would cut a short fine-tune to lr/1000.
    let sweepFineTune = config.fineTuning(epochs: recipe.sweepFineTuneEpochs, learningRate: recipe.learningRate / 10,
                                          schedule: .constant)
    var sweepRows: [[TableCell]] = []
    var beforeCurve: [Double] = [], afterCurve: [Double] = []
    var keptWeights: [Float] = []
    var fineTunedAtSparsity: [Double: Float] = [:]
    for sparsity in recipe.sparsities {
        let network = baseline.clone()
        let report = MagnitudePruning.prune(network, sparsity: sparsity, scope: options.scope)
        let before = notebook.evaluate(String(format: "sparsity_%.2f_pruned", sparsity), network, on: data,
                                       label: text.sparsityPruned(sparsity))
        try notebook.train(text.maskedFineTuneStage(sparsity), network, on: data, config: sweepFineTune, describe: false)
        let after = notebook.evaluate(String(format: "sparsity_%.2f_finetuned", sparsity), network, on: data,
                                      label: text.sparsityFineTuned(sparsity))
        fineTunedAtSparsity[sparsity] = after
        beforeCurve.append(Double(before) * 100)
        afterCurve.append(Double(after) * 100)
        sweepRows.append([.percent(report.overallSparsity), .integer(network.nonzeroParameterCount),
                          .percent(Double(before), decimals: 2), .percent(Double(after), decimals: 2)])
        if sparsity == recipe.histogramSparsity {
            keptWeights = MagnitudePruning.prunableWeights(of: network).flatMap { weight in
                zip(weight.value.values, weight.mask!.values).compactMap { $1 > 0 ? $0 : nil }
            }
        }
    }
    notebook.table(headers: text.sweepHeaders, rows: sweepRows)
    let sparsityAxis = recipe.sparsities.map { $0 * 100 }
    try notebook.figure("accuracy-vs-sparsity", caption: text.sparsityCaption,
                        LabCharts.lines(title: text.sparsityTitle, xLabel: text.weightsRemovedAxis, yLabel: text.common.testAccuracyAxis,
                                        series: [(text.afterPruning, sparsityAxis, beforeCurve),
                                                 (text.afterFineTuning, sparsityAxis, afterCurve)],
                                        referenceY: (text.common.baseline, Double(baselineAccuracy) * 100)))
    let baselineWeights = MagnitudePruning.prunableWeights(of: baseline).flatMap(\.value.values)
    let shown = recipe.histogramSparsity.wholePercentText
    try notebook.figure("weight-histogram", caption: text.histogramCaption(shown),
                        LabCharts.histogram(title: text.histogramTitle, xLabel: text.weightValue,
                                            series: [(text.common.baseline, baselineWeights), (text.keptAfter(shown), keptWeights)],
                                            bins: 80, logY: true, language: text.language))
    notebook.prose(text.sweepConclusion)

    // MARK: 3. Neuron pruning
    notebook.section(text.neuronSection(prunedCfg))
    notebook.prose(text.neuronMethod)
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: baseline, criterion: .filterL1Norm)
    let pruned = baseline.clone()
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("neurons_pruned", pruned, on: data, label: text.neuronsPruned)
    let fineTune = config.fineTuning(epochs: recipe.fineTuneEpochs ?? 3, learningRate: recipe.learningRate / 10,
                                     schedule: .constant)
    try notebook.train(text.neuronFineTuneStage, pruned, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("neurons_finetuned", pruned, on: data, label: text.common.fineTuned)
    try notebook.channelsFigure("units-per-layer", caption: text.unitsCaption,
                                original: baseline, plans: [(text.common.kept, plan)], title: text.unitsTitle, yLabel: text.units)
    notebook.prose(text.afterSurgery(prunedCfg, pruned: prunedAccuracy, epochs: fineTune.epochs, fineTuned: fineTunedAccuracy))

    // MARK: 4. Scratch
    notebook.section(text.scratchSection)
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 1,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap,
                                                baselineTraining: notebook.trainingHistory(text.common.baselineStage))

    // MARK: Results
    notebook.section(text.common.results)
    var models: [(String, Network, Float)] = [(text.baselineModel, baseline, baselineAccuracy),
                                              (text.prunedModel(prunedCfg), pruned, fineTunedAccuracy)]
    var stages: [(String, Network, Float)] = [(text.common.baseline, baseline, baselineAccuracy),
                                              (text.neuronsPruned, pruned, prunedAccuracy),
                                              (text.common.fineTuned, pruned, fineTunedAccuracy)]
    if let scratch {
        stages += [(text.common.scratchE, pruned, scratch.scratchE), (text.common.scratchB, pruned, scratch.scratchB)]
        models.append((text.scratchModel(prunedCfg), pruned.reinitialized(seed: seed), scratch.scratchB))
    }
    notebook.modelTable(models, latencyBatch: 256)
    try notebook.figure("accuracy-stages", caption: text.common.accuracyStagesCaption,
                        LabCharts.accuracyBars(stages, language: text.language))
    try notebook.trainingCurvesFigure(notebook.histories.filter { !$0.id.hasPrefix("masked") })
    notebook.compare(text.prunedMinusBaseline, "neurons_finetuned", minus: "baseline",
                     budgets: text.common.budgets(recipe.epochs, plus: fineTune.epochs, against: recipe.epochs))
    if let scratch {
        notebook.compareWithScratch(text.prunedFineTuned, key: "neurons_finetuned",
                                    trainedEpochs: "\(recipe.epochs) + \(fineTune.epochs)", scratch: scratch)
    }
    notebook.prose(text.summary(prunedCfg, baseline: baselineAccuracy, pruned: prunedAccuracy, fineTuned: fineTunedAccuracy,
                                fineTuneEpochs: fineTune.epochs, epochs: recipe.epochs) + text.common.then(scratch?.sentence))

    // MARK: Beside the paper
    // Han et al. report 92 % of LeNet-300-100's weights pruned; ours is the swept sparsity nearest to it.
    let hanSparsity = recipe.sparsities.min { abs($0 - 0.92) < abs($1 - 0.92) }!
    notebook.besideThePapers([.magnitudeLeNet300], ours: [
        OurResult(setup: text.ourSetup(data.kind.rawValue, epochs: recipe.epochs),
                  pruning: text.ofWeights(hanSparsity.wholePercentText), baseline: baselineAccuracy,
                  pruned: fineTunedAtSparsity[hanSparsity]!, saving: text.maskedSaving(hanSparsity.wholePercentText)),
    ], differences: [
        (text.common.data, text.mnistDigits, text.ourData(data.kind.rawValue, images: data.train.sampleCount)),
        (text.common.network, text.lenet, text.ourNetwork),
        (text.pruning, text.paperPruning, text.ourPruning(options.scope, fineTuneEpochs: recipe.sweepFineTuneEpochs)),
        text.common.runs(seed: seed),
    ])
}
