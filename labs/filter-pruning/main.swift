// lab-filter-pruning: L1-norm filter pruning of a three-conv CNN from [32, 64, 64] to
// [8, 16, 32] (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017).
// Reads top to bottom like a notebook: each step runs, and the report explains it.
// The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe.of(options.common.preset).overridden(by: options.common)
let prunedCfg = options.prunedCfg.values
let seed = options.common.seed
let text = LabText(language: options.common.lang)

runLab(lab: "filter-pruning", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro(prunedCfg: prunedCfg))

    // MARK: Setup
    notebook.section(text.common.setup)
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: nil, modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, schedule: .slimming, seed: seed)
    let baseline = Network.smallCNN(cfg: [32, 64, 64], seed: seed)
    notebook.prose(text.setup(dataset: data.kind.rawValue, train: data.train.sampleCount, test: data.test.sampleCount,
                              learningRate: recipe.learningRate, batch: recipe.batchSize, epochs: recipe.epochs))
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section(text.trainBaseline)
    let baselineAccuracy = try notebook.trainBaseline(text.common.baselineStage, baseline,
        label: text.common.baseline, make: { Network.smallCNN(cfg: [32, 64, 64], seed: seed) }, on: data, config: config)
    notebook.prose(text.baselineReaches(baselineAccuracy, testImages: data.test.sampleCount))

    // MARK: 2. Score every filter; sensitivity of each layer
    notebook.section(text.normsSection)
    notebook.prose(text.normsMethod)
    let norms = FilterL1Norm().scores(of: baseline)
    let sortedNorms = baseline.channelGroups.map { group -> (name: String, values: [Double]) in
        let values = norms[group.name]!.sorted(by: >)
        return (group.name, values.map { Double($0) / max(Double(values.first ?? 1), 1e-12) })
    }
    try notebook.figure("filter-norms", caption: text.normsCaption,
                        LabCharts.lines(title: text.normsTitle, xLabel: text.rankAxis, yLabel: text.normAxis,
                             series: sortedNorms.map { name, values in
                                 (name, values.indices.map { 100 * Double($0) / Double(max(values.count - 1, 1)) }, values)
                             }))
    // Each trial zeroes a layer's weakest filters, evaluates, and restores them (no copy of the network).
    let sensitivitySet = data.test.stratifiedSubset(count: min(recipe.sensitivityTestLimit, data.test.sampleCount))
    let subsetNote = text.subsetNote(subset: sensitivitySet.sampleCount, baseline: baselineAccuracy,
                                     testImages: data.test.sampleCount)
    let sensitivity = try notebook.step(text.sensitivityStep) {
        try sensitivityAnalysis(of: baseline, criterion: .filterL1Norm) { Trainer.evaluate($0, on: sensitivitySet).accuracy }
    }
    let curves = sensitivity.groups.map { name in
        let curve = sensitivity.curve(for: name)
        return (name, curve.map { $0.fraction * 100 }, curve.map { Double($0.accuracy) * 100 })
    }
    try notebook.figure("sensitivity", caption: text.sensitivityCaption(
                            sensitivitySet.sampleCount < data.test.sampleCount ? subsetNote : text.allImages(data.test.sampleCount)),
                        LabCharts.lines(title: text.sensitivityTitle, xLabel: text.prunedAwayAxis, yLabel: text.common.testAccuracyAxis,
                                        series: curves, referenceY: (text.unpruned, Double(sensitivity.baselineAccuracy) * 100)))
    notebook.metric("sensitivity", sensitivity.points.map {
        ["group": $0.group, "fraction": String($0.fraction), "accuracy": String($0.accuracy)]
    })

    // MARK: 3. Prune to the target widths, fine-tune
    notebook.section(text.pruneSection(prunedCfg))
    // Each conv keeps its filters with the largest L1 norms; the surgery removes the rest with the
    // next conv's input slices, and behind the flatten the Linear layer's 49-column blocks.
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: baseline, criterion: .filterL1Norm)
    let pruned = baseline.clone()
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("pruned", pruned, on: data, label: text.common.pruned)
    let filterDiagram = FilterPruningDiagram(network: baseline, plan: plan, language: text.language)
    try notebook.figure("method-diagram", caption: text.diagramCaption, filterDiagram.diagram)
    notebook.code(pruned.summary())
    // Li et al.'s fine-tuning: a constant hundredth of the training rate for a quarter of its epochs.
    let fineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
    try notebook.train(text.common.fineTuneStage, pruned, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", pruned, on: data, label: text.common.fineTuned)
    try notebook.channelsFigure("channels-per-layer", caption: text.channelsCaption,
                                original: baseline, plans: [(text.common.kept, plan)], title: text.filtersTitle, yLabel: text.filters)

    // MARK: 4. Scratch
    notebook.section(text.scratchSection)
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 1,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap,
                                                baselineTraining: notebook.trainingHistory(text.common.baselineStage))

    // MARK: 5. Pruning-ratio sweep
    // L1 norm and its random floor prune the trained baseline at every fraction, each with a short fine-tune.
    try notebook.pruningRatioSweep(number: "5", methods: [.l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep, on: data, training: config, reference: (text.common.baseline, baselineAccuracy))

    // MARK: Results
    notebook.section(text.common.results)
    notebook.modelTable([(text.baselineModel, baseline, baselineAccuracy),
                         (text.prunedModel(prunedCfg), pruned, fineTunedAccuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [(text.common.baseline, baseline, baselineAccuracy),
                                              (text.common.pruned, pruned, prunedAccuracy),
                                              (text.common.fineTuned, pruned, fineTunedAccuracy)]
    if let scratch {
        stages += [(text.common.scratchE, pruned, scratch.scratchE), (text.common.scratchB, pruned, scratch.scratchB)]
    }
    try notebook.figure("accuracy-stages", caption: text.common.accuracyStagesCaption,
                        LabCharts.accuracyBars(stages, language: text.language))
    try notebook.trainingCurvesFigure(notebook.histories)
    notebook.compare(text.prunedMinusBaseline, "finetuned", minus: "baseline",
                     budgets: text.common.budgets(recipe.epochs, plus: fineTune.epochs, against: recipe.epochs))
    if let scratch {
        notebook.compareWithScratch(text.prunedFineTuned, key: "finetuned",
                                    trainedEpochs: "\(recipe.epochs) + \(fineTune.epochs)", scratch: scratch)
    }
    notebook.prose(text.summary(prunedCfg, baseline: baselineAccuracy, pruned: prunedAccuracy, fineTuned: fineTunedAccuracy,
                                fineTuneEpochs: fineTune.epochs, fineTuneRate: fineTune.learningRate, epochs: recipe.epochs)
                   + text.common.then(scratch?.sentence))

    // MARK: Beside the paper
    notebook.besideThePapers([.l1VGG16, .l1ResNet56B], ours: [
        OurResult(setup: text.ourSetup(data.kind.rawValue, epochs: recipe.epochs),
                  pruning: text.filtersTo(prunedCfg), baseline: baselineAccuracy, pruned: fineTunedAccuracy,
                  saving: savingText(from: baseline, to: pruned, text.language)),
    ], differences: [
        (text.common.data, text.common.cifar10, text.ourData(data.kind.rawValue, images: data.train.sampleCount)),
        (text.common.network, text.paperNetwork, text.ourNetwork),
        (text.howMuch, text.paperHowMuch, text.ourHowMuch(prunedCfg, saving: savingText(from: baseline, to: pruned, text.language))),
        (text.common.training, text.paperTraining, text.ourTraining(epochs: recipe.epochs, learningRate: recipe.learningRate,
                                                                    fineTuneEpochs: fineTune.epochs,
                                                                    fineTuneRate: fineTune.learningRate)),
        text.common.runs(seed: seed),
    ])
}
