// lab-densenet-slimming: network slimming of a DenseNet (Liu et al., ICCV 2017, as
// network-slimming's main.py and denseprune.py). A DenseNet's features are concatenated and
// read by every later layer of their block, so nothing is pruned where it is made: each layer's
// pre-activation BatchNorm scores the channels it reads, and a channel selection passes on the
// kept ones. The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed
let text = LabText(language: options.common.lang)

runLab(lab: "densenet-slimming", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro)
    notebook.equation("L = \\sum_{(x,y)} l\\big(f(x, W), y\\big) + s \\sum_{\\gamma \\in \\Gamma} |\\gamma|")
    notebook.prose(text.penalty)

    // MARK: Setup
    notebook.section(text.common.setup)
    let data = try notebook.loadData(defaultKind: options.common.preset == .full ? .cifar10 : .fashionMNIST, pad32: true,
                                     trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
    let input = data.train.sampleShape
    func makeDenseNet(seed: UInt64) -> Network {
        .denseNet(depth: recipe.depth, growthRate: recipe.growthRate, inputShape: input, seed: seed)
    }
    let baseline = makeDenseNet(seed: seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: recipe.augment, seed: seed)
    let slimmingFineTune = Protocols.slimmingFineTuning(after: config, epochs: recipe.fineTuneEpochs)
    let baselineCost = ModelCost(baseline)
    // The paper's DenseNet-40 (k = 12) on this run's input, for the sentence on why the preset trains a smaller one.
    let paperCost = ModelCost(.denseNet(depth: 40, growthRate: 12, inputShape: input, seed: 0))
    notebook.prose(text.setup(depth: recipe.depth, growthRate: recipe.growthRate, parameters: baselineCost.parameters,
                              macs: baselineCost.multiplyAccumulates, paperMACs: paperCost.multiplyAccumulates,
                              full: options.common.preset == .full, dataset: data.kind.rawValue, train: data.train.sampleCount,
                              subset: recipe.trainLimit != nil, test: data.test.sampleCount, shape: input, augment: recipe.augment,
                              learningRate: recipe.learningRate, batch: recipe.batchSize, epochs: recipe.epochs,
                              sparsity: recipe.sparsity,
                              sparsityNote: text.common.sparsityNote(full: options.common.preset == .full, paper: "1e-5", vgg: false),
                              fineTuneEpochs: slimmingFineTune.epochs))
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section(text.baselineSection(depth: recipe.depth))
    let baselineAccuracy = try notebook.trainBaseline(text.common.baselineStage, baseline,
        label: text.common.baseline, make: { makeDenseNet(seed: seed) }, on: data, config: config)

    // MARK: 2. Sparsity training, threshold, channel selection
    notebook.section(text.sparsitySection)
    notebook.prose(text.sparsityMethod)
    // Sparsity training from the baseline's initialisation: after every backward pass,
    // ∂L/∂γ += s·sign(γ) for every BatchNorm (network-slimming's updateBN). In a DenseNet every
    // BatchNorm sits in front of a channel selection, so every γ scores a channel some layer reads.
    let sparse = makeDenseNet(seed: seed)
    try notebook.train(text.common.sparsityStage, sparse, on: data, config: config,
                       penalty: BatchNormL1Penalty(strength: Float(recipe.sparsity)))
    let sparseAccuracy = notebook.evaluate("sparsity_trained", sparse, on: data, label: text.common.sparsityTrained)

    // One global threshold over the |γ| of every channel every layer reads (denseprune.py); the
    // channels above it stay in their reader's selection. The one surgery removes the rest from each
    // selection, and the conv (or the classifier) behind it loses the matching input slices. No filter is removed.
    let (plan, slim, prunedAccuracy) = try notebook.pruneBySlimming(sparse, percent: recipe.percent,
                                                                     sparseAccuracy: sparseAccuracy, on: data)
    try notebook.gammaHistogram("gamma-histogram", caption: text.gammaCaption(recipe.percent.wholePercentText),
                                networks: [(text.common.baseline, baseline), (text.common.sparsityTrained, sparse)],
                                threshold: plan.threshold ?? 0)
    notebook.metric("threshold", Double(plan.threshold ?? 0))
    notebook.metric("kept_alive_by_floor", plan.groupsKeptAliveByFloor)
    notebook.metric("cfg.slimmed", slim.cfg)
    try notebook.channelsFigure("kept-channels", caption: text.keptChannelsCaption(growthRate: recipe.growthRate),
                                original: sparse, plans: [(text.common.slimming, plan)], title: text.keptChannelsTitle,
                                yLabel: text.channelsReadAxis, groupLabel: { shortGroupName($0, text) })
    notebook.prose(text.keptByPart(keptByPart(plan, of: sparse)))
    try notebook.gammaPerLayerFigure("gamma-per-layer", caption: text.common.gammaPerLayerCaption(prunable: true),
                                     network: sparse, plan: plan, groupLabel: { shortGroupName($0, text) })
    try notebook.figure("method-diagram", caption: text.common.slimmingDiagramCaption(prunable: true),
                        SlimmingDiagram(network: sparse, plan: plan, groupLabel: { shortGroupName($0, text) },
                                        language: text.language).diagram)

    // MARK: 3. Fine-tune; scratch-E and scratch-B
    notebook.section(text.fineTuneSection)
    try notebook.train(text.common.fineTuneStage, slim, on: data, config: slimmingFineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data, label: text.common.fineTuned)
    notebook.code(slim.summary())
    let scratch = try notebook.scratchBaselines(slim, baselineMACs: baselineCost.multiplyAccumulates, on: data, config: config,
                                                seed: seed &+ 7, run: recipe.runsScratch, cap: recipe.scratchBCap,
                                                baselineTraining: notebook.trainingHistory(text.common.baselineStage))

    // MARK: 4. Pruning-ratio sweep
    // Slimming prunes the sparsity-trained network, random channels the baseline, at every fraction. L1 norm
    // ranks a layer's own filters, and no DenseNet group has any (every group is the channels a layer reads).
    try notebook.pruningRatioSweep(number: "4", methods: [.slimming(sparse), .random(baseline, seed: seed)],
                                   options: options.sweep.withFractions(unlessGiven: recipe.sweepFractions), on: data, training: config,
                                   reference: (text.common.baseline, baselineAccuracy))
    notebook.prose(text.noL1InSweep)

    // MARK: Results
    notebook.section(text.common.results)
    notebook.modelTable([(text.model(recipe.depth, slimmed: false), baseline, baselineAccuracy),
                         (text.model(recipe.depth, slimmed: true), slim, fineTunedAccuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [(text.common.baseline, baseline, baselineAccuracy),
                                              (text.common.sparsityTrained, sparse, sparseAccuracy),
                                              (text.common.pruned, slim, prunedAccuracy),
                                              (text.common.fineTuned, slim, fineTunedAccuracy)]
    if let scratch { stages += [(text.common.scratchE, slim, scratch.scratchE), (text.common.scratchB, slim, scratch.scratchB)] }
    try notebook.figure("accuracy-stages", caption: text.accuracyCaption, LabCharts.accuracyBars(stages, language: text.language))
    try notebook.trainingCurvesFigure(notebook.histories)
    let epochs = recipe.epochs
    notebook.compare(text.slimmedMinusBaseline, "finetuned", minus: "baseline",
                     budgets: text.common.sparsityBudgets(epochs, fineTune: slimmingFineTune.epochs))
    if let scratch {
        notebook.compareWithScratch(text.slimmedFineTuned, key: "finetuned",
                                    trainedEpochs: "\(epochs + slimmingFineTune.epochs)", scratch: scratch)
    }
    notebook.prose(text.summary(baseline: baselineAccuracy, epochs: epochs, sparse: sparseAccuracy,
                                percent: recipe.percent.wholePercentText, pruned: prunedAccuracy,
                                fineTuned: fineTunedAccuracy, fineTuneEpochs: slimmingFineTune.epochs,
                                saving: savingText(from: baseline, to: slim, text.language))
                   + text.common.then(scratch?.sentence))

    // MARK: Beside the papers
    let slimCost = ModelCost(slim)
    notebook.besideThePapers([.slimmingDenseNetPaper, .slimmingDenseNetCode], ours: [
        OurResult(setup: text.ourSetup(depth: recipe.depth, growthRate: recipe.growthRate, dataset: data.kind.rawValue,
                                       epochs: epochs, sparsity: recipe.sparsity),
                  pruning: text.common.channelsBySlimming(recipe.percent.wholePercentText),
                  baseline: baselineAccuracy, pruned: fineTunedAccuracy,
                  saving: text.ourSaving(savingText(from: baseline, to: slim, text.language),
                                         parameters: (baselineCost.parameters, slimCost.parameters))),
    ], differences: [
        (text.common.data, text.paperData,
         text.ourData(data.kind.rawValue, images: data.train.sampleCount, subset: recipe.trainLimit != nil, shape: input,
                      augment: recipe.augment)),
        (text.common.network, text.paperNetwork(parameters: paperCost.parameters, macs: paperCost.multiplyAccumulates),
         text.ourNetwork(depth: recipe.depth, growthRate: recipe.growthRate, parameters: baselineCost.parameters,
                         macs: baselineCost.multiplyAccumulates, full: options.common.preset == .full)),
        (text.common.training, text.common.paperTraining,
         text.common.training(epochs: epochs, learningRate: recipe.learningRate, batch: recipe.batchSize)),
        (text.common.sparsity, text.common.sparsityRun("1e-5", epochs: 160), text.common.sparsityRun("\(recipe.sparsity)", epochs: epochs)),
        (text.fractionPruned, text.paperFraction,
         text.ourFraction(recipe.percent.wholePercentText, paper: recipe.percent == DenseNetSlimming.percent)),
        (text.common.fineTuning, text.paperFineTuning, text.ourFineTuning(slimmingFineTune.epochs)),
        (text.testSet, text.paperTestSet, text.ourTestSet(data.kind.rawValue, images: data.test.sampleCount)),
        text.common.runs(seed: seed, seedsMoveResults: true),
    ])
}

/// Channels read and kept per part of the DenseNet: each dense block's layers, then the two
/// transitions together, then the classifier's final selection.
func keptByPart(_ plan: PruningPlan, of network: Network) -> [(part: DenseNetPart, kept: Int, total: Int)] {
    var parts: [(part: DenseNetPart, kept: Int, total: Int)] = []
    for group in network.channelGroups {
        let part: DenseNetPart = group.name == "select" ? .classifier
            : group.name.hasPrefix("trans") ? .transitions : .block(Int(group.name.dropFirst("dense".count).prefix(1)) ?? 0)
        let kept = plan.keptPositions[group.name]?.count ?? group.channelCount
        if let index = parts.firstIndex(where: { $0.part == part }) {
            parts[index].kept += kept
            parts[index].total += group.channelCount
        } else {
            parts.append((part, kept, group.channelCount))
        }
    }
    return parts.sorted { $0.part.order < $1.part.order }
}

/// A part of a DenseNet in the sentence on what slimming kept where.
enum DenseNetPart: Equatable {
    case block(Int), transitions, classifier

    var order: Int {
        switch self {
        case let .block(number): number
        case .transitions: 100
        case .classifier: 101
        }
    }
}
