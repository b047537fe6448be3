// lab-vgg-slimming: network slimming of VGG (Liu et al., "Learning Efficient Convolutional
// Networks through Network Slimming", ICCV 2017), compared with L1-norm filter pruning
// (Li et al., ICLR 2017), random channels at the same widths, and training the pruned
// architecture from scratch. The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed
let text = LabText(language: options.common.lang)

runLab(lab: "vgg-slimming", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro)
    notebook.equation("L = \\sum_{(x,y)} l\\big(f(x, W), y\\big) + s \\sum_{\\gamma \\in \\Gamma} |\\gamma|")
    notebook.prose(text.penalty)

    // MARK: Setup
    notebook.section(text.common.setup)
    let data = try notebook.loadData(defaultKind: options.common.preset == .full ? .cifar10 : .fashionMNIST, pad32: true,
                                     trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
    func makeVGG(seed: UInt64) -> Network {
        .vgg(depth: recipe.depth, widthMultiplier: recipe.width, inputShape: data.train.sampleShape, seed: seed)
    }
    let baseline = makeVGG(seed: seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: recipe.augment, seed: seed)
    let slimmingFineTune = Protocols.slimmingFineTuning(after: config, epochs: recipe.fineTuneEpochs)
    let l1FineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
    notebook.prose(text.setup(depth: recipe.depth, width: recipe.width, cfg: baseline.cfg, dataset: data.kind.rawValue,
                              train: data.train.sampleCount, test: data.test.sampleCount, shape: data.train.sampleShape,
                              augment: recipe.augment, learningRate: recipe.learningRate, batch: recipe.batchSize, epochs: recipe.epochs,
                              sparsity: recipe.sparsity,
                              sparsityNote: text.common.sparsityNote(full: options.common.preset == .full, paper: "1e-4", vgg: true),
                              protocols: text.common.fineTuningProtocols(slimming: slimmingFineTune.epochs, l1: l1FineTune.epochs,
                                                                         l1Rate: l1FineTune.learningRate, resnet: false)))
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section(text.baselineSection)
    let baselineAccuracy = try notebook.trainBaseline(text.common.baselineStage, baseline,
        label: text.common.baseline, make: { makeVGG(seed: seed) }, on: data, config: config)

    // MARK: 2. Sparsity training, threshold, surgery
    notebook.section(text.sparsitySection)
    notebook.prose(text.sparsityMethod)
    let penalty = BatchNormL1Penalty(strength: Float(recipe.sparsity))
    var slim = makeVGG(seed: seed)
    // The first pass trains this network in place and prunes a clone, so it stays the sparsity-trained one (the sweep's).
    let sparsityTrained = slim
    var plans: [PruningPlan] = []
    var sparseAccuracy: Float = 0, prunedAccuracy: Float = 0
    for pass in 1...options.passes {
        // Sparsity training: after every backward pass, ∂L/∂γ += s·sign(γ).
        try notebook.train(text.sparsityStage(pass: pass, of: options.passes), slim, on: data,
                           config: pass == 1 ? config : slimmingFineTune, penalty: penalty)
        sparseAccuracy = notebook.evaluate("sparsity_trained", slim, on: data, label: text.common.sparsityTrained)
        // One global threshold: the `percent` quantile of every |γ|; the channels above it stay.
        // The compact network: the one surgery removes the channels below the threshold.
        let (plan, pruned, accuracy) = try notebook.pruneBySlimming(slim, percent: recipe.percent,
                                                                     sparseAccuracy: sparseAccuracy, on: data, pass: pass)
        prunedAccuracy = accuracy
        if pass == 1 {
            try notebook.gammaHistogram("gamma-histogram", caption: text.gammaCaption(recipe.percent.wholePercentText),
                                        networks: [(text.common.baseline, baseline), (text.common.sparsityTrained, slim)],
                                        threshold: plan.threshold ?? 0)
            let vggLayerName = { (group: ChannelGroup) in "conv\(group.cfgIndex! + 1)" }
            try notebook.gammaPerLayerFigure("gamma-per-layer", caption: text.common.gammaPerLayerCaption(prunable: false),
                                             network: slim, plan: plan, groupLabel: vggLayerName)
            try notebook.figure("method-diagram", caption: text.common.slimmingDiagramCaption(prunable: false),
                                SlimmingDiagram(network: slim, plan: plan, groupLabel: vggLayerName, language: text.language).diagram)
        }
        plans.append(plan)
        slim = pruned
    }
    let slimmingPlan = PruningPlan.composed(plans)
    notebook.metric("threshold", Double(plans[0].threshold ?? 0))
    notebook.metric("kept_alive_by_floor", plans.flatMap(\.groupsKeptAliveByFloor))

    // MARK: 3. Fine-tune
    notebook.section(text.fineTuneSection)
    try notebook.train(text.common.fineTuneStage, slim, on: data, config: slimmingFineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data, label: text.common.fineTuned)
    notebook.code(slim.summary())

    // MARK: 4. L1-norm pruning, and random channels at the same widths
    notebook.section(text.l1Section)
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let l1Plan: PruningPlan
    switch options.l1 {
    case .paper:
        // Li et al.'s VGG-16: conv1 and conv8–conv13 (numbered from 1) lose half their filters.
        let halved = baseline.channelGroups.filter { [1, 8, 9, 10, 11, 12, 13].contains($0.cfgIndex! + 1) }.map(\.name)
        l1Plan = try PruningPlan.ratios(Dictionary(uniqueKeysWithValues: halved.map { ($0, 0.5) }), for: baseline)
        notebook.prose(text.l1Paper)
    case .matched:
        let slimMACs = ModelCost(slim).multiplyAccumulates
        l1Plan = try PruningPlan.ratio(matchingMACs: slimMACs, of: baseline)
        notebook.prose(text.l1Matched(macsPercent: String(format: "%.1f", 100 * Double(slimMACs) / Double(baselineMACs))))
    }
    let l1Pruned = baseline.clone()
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("l1_pruned", l1Pruned, on: data, label: text.common.l1Pruned)
    notebook.explainPruningDrop(before: baselineAccuracy, after: l1PrunedAccuracy, criterion: .filterL1Norm)
    try notebook.train(text.l1FineTuneStage, l1Pruned, on: data, config: l1FineTune)
    let l1Accuracy = notebook.evaluate("l1_finetuned", l1Pruned, on: data, label: text.common.l1FineTuned)

    notebook.prose(text.randomFloor)
    let randomPlan = PruningPlan.keepingTop(l1Plan.keptCounts, scores: RandomChannels(seed: seed).scores(of: baseline))
    let randomPruned = baseline.clone()
    try applySurgery(randomPlan, to: randomPruned)
    let randomPrunedAccuracy = notebook.evaluate("random_pruned", randomPruned, on: data, label: text.randomPruned)
    try notebook.train(text.randomFineTuneStage, randomPruned, on: data, config: l1FineTune)
    let randomAccuracy = notebook.evaluate("random_finetuned", randomPruned, on: data, label: text.randomFineTuned)
    try notebook.channelsFigure("channels-per-layer",
                                caption: text.channelsCaption,
                                original: baseline, plans: [(text.common.slimming, slimmingPlan), (text.common.l1Norm, l1Plan)],
                                groupLabel: { "conv\($0.cfgIndex! + 1)" })

    // MARK: 5. Scratch-E and scratch-B
    notebook.section(text.scratchSection)
    let scratch = try notebook.scratchBaselines(slim, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 7,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap, 
                                                baselineTraining: notebook.trainingHistory(text.common.baselineStage))

    // MARK: 6. Pruning-ratio sweep
    // Slimming prunes the sparsity-trained network, L1 norm and random channels the baseline, at every fraction.
    try notebook.pruningRatioSweep(number: "6", methods: [.slimming(sparsityTrained), .l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep, on: data, training: config, reference: (text.common.baseline, baselineAccuracy))

    // MARK: Results
    notebook.section(text.common.results)
    notebook.modelTable([(text.common.baseline, baseline, baselineAccuracy), (text.slimmedModel, slim, fineTunedAccuracy),
                         (text.l1Model, l1Pruned, l1Accuracy),
                         (text.randomModel, randomPruned, randomAccuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [(text.common.baseline, baseline, baselineAccuracy),
                                              (text.common.sparsityTrained, slim, sparseAccuracy),
                                              (text.common.pruned, slim, prunedAccuracy),
                                              (text.common.fineTuned, slim, fineTunedAccuracy)]
    if let scratch { stages += [(text.common.scratchE, slim, scratch.scratchE), (text.common.scratchB, slim, scratch.scratchB)] }
    stages += [(text.common.l1Pruned, l1Pruned, l1PrunedAccuracy), (text.common.l1FineTuned, l1Pruned, l1Accuracy),
               (text.randomPruned, randomPruned, randomPrunedAccuracy), (text.randomFineTuned, randomPruned, randomAccuracy)]
    try notebook.figure("accuracy-stages", caption: text.accuracyCaption, LabCharts.accuracyBars(stages, language: text.language),
                        width: 1100)
    try notebook.trainingCurvesFigure(notebook.histories)
    let epochs = recipe.epochs
    notebook.compare(text.slimmedMinusBaseline, "finetuned", minus: "baseline",
                     budgets: text.common.sparsityBudgets(epochs, fineTune: slimmingFineTune.epochs))
    if let scratch {
        notebook.compareWithScratch(text.slimmedFineTuned, key: "finetuned",
                                    trainedEpochs: "\(epochs + slimmingFineTune.epochs)", scratch: scratch)
    }
    notebook.compare(text.slimmingMinusL1, "finetuned", minus: "l1_finetuned",
                     budgets: text.bothFineTuned(epochs, slimming: slimmingFineTune.epochs, l1: l1FineTune.epochs))
    notebook.compare(text.l1MinusRandom, "l1_finetuned", minus: "random_finetuned",
                     budgets: text.sameWidths)
    notebook.prose(text.summary(baseline: baselineAccuracy, epochs: epochs, sparse: sparseAccuracy,
                                percent: recipe.percent.wholePercentText, pruned: prunedAccuracy,
                                fineTuneEpochs: slimmingFineTune.epochs, fineTuned: fineTunedAccuracy, l1: l1Accuracy,
                                l1Epochs: l1FineTune.epochs, random: randomAccuracy)
                   + (scratch.map { text.scratchTest($0, fineTuned: fineTunedAccuracy) + $0.overfittingSentence } ?? ""))

    // MARK: Beside the papers
    let vggSetup = text.ourSetup(depth: recipe.depth, width: recipe.width, dataset: data.kind.rawValue, epochs: epochs,
                                 sparsity: recipe.sparsity)
    notebook.besideThePapers([.slimmingVGGPaper, .slimmingVGGCode, .l1VGG16], ours: [
        OurResult(setup: vggSetup, pruning: text.common.channelsBySlimming(recipe.percent.wholePercentText),
                  baseline: baselineAccuracy, pruned: fineTunedAccuracy, saving: savingText(from: baseline, to: slim, text.language)),
        OurResult(setup: text.sameBaseline, pruning: text.l1Pruning(paperRecipe: options.l1 == .paper),
                  baseline: baselineAccuracy, pruned: l1Accuracy, saving: savingText(from: baseline, to: l1Pruned, text.language)),
    ], differences: [
        (text.common.data, text.common.cifar10,
         text.common.paddedData(data.kind.rawValue, images: data.train.sampleCount, shape: data.train.sampleShape)
            + text.common.augmentation(recipe.augment)),
        (text.common.network, text.paperNetworks, text.ourNetwork(depth: recipe.depth, width: recipe.width, cfg: baseline.cfg)),
    ] + text.common.slimmingRows(epochs: epochs, learningRate: recipe.learningRate, batch: recipe.batchSize,
                                 paperSparsity: "1e-4", sparsity: recipe.sparsity, slimmingFineTune: slimmingFineTune.epochs,
                                 l1FineTune: l1FineTune.epochs, l1Rate: l1FineTune.learningRate, seed: seed))
}
