// lab-resnet-slimming (the default lab): network slimming of a pre-activation ResNet with
// Bottleneck blocks and channel selection (Liu et al., ICCV 2017, as network-slimming's
// resprune.py), and L1-norm pruning of a BasicBlock ResNet (Li et al., ICLR 2017, as
// rethinking-network-pruning's res56prune.py). The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed
let text = LabText(language: options.common.lang)

runLab(lab: "resnet-slimming", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro)
    notebook.bullets([text.slimmingBullet(depth: recipe.depth), text.l1Bullet(depth: recipe.l1Depth)])

    // MARK: Setup
    notebook.section(text.common.setup)
    let data = try notebook.loadData(defaultKind: options.common.preset == .full ? .cifar10 : .fashionMNIST, pad32: true,
                                     trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
    let input = data.train.sampleShape
    func makePreResNet(seed: UInt64) -> Network {
        .preresnet(depth: recipe.depth, widthMultiplier: recipe.width, inputShape: input, seed: seed)
    }
    let baseline = makePreResNet(seed: seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: recipe.augment, seed: seed)
    let slimmingFineTune = Protocols.slimmingFineTuning(after: config, epochs: recipe.fineTuneEpochs)
    let l1FineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
    notebook.prose(text.setup(dataset: data.kind.rawValue, train: data.train.sampleCount, test: data.test.sampleCount, shape: input,
                              augment: recipe.augment, width: recipe.width, learningRate: recipe.learningRate,
                              batch: recipe.batchSize, epochs: recipe.epochs, sparsity: recipe.sparsity,
                              sparsityNote: text.common.sparsityNote(full: options.common.preset == .full, paper: "1e-5", vgg: false),
                              protocols: text.common.fineTuningProtocols(slimming: slimmingFineTune.epochs, l1: l1FineTune.epochs,
                                                                         l1Rate: l1FineTune.learningRate, resnet: true)))
    notebook.code(baseline.summary())

    // MARK: A1. Baseline
    notebook.section(text.preresnetSection(depth: recipe.depth))
    let baselineAccuracy = try notebook.trainBaseline(text.preresnetStage, baseline, key: "preresnet_baseline",
        label: text.preresnetBaseline, make: { makePreResNet(seed: seed) }, on: data, config: config)

    // MARK: A2. Sparsity training, threshold, surgery
    notebook.section(text.sparsitySection)
    // Sparsity training from the baseline's initialisation: after every backward pass,
    // ∂L/∂γ += s·sign(γ) for every BatchNorm (network-slimming's updateBN).
    let sparse = makePreResNet(seed: seed)
    try notebook.train(text.common.sparsityStage, sparse, on: data, config: config,
                       penalty: BatchNormL1Penalty(strength: Float(recipe.sparsity)))
    let sparseAccuracy = notebook.evaluate("sparsity_trained", sparse, on: data, label: text.common.sparsityTrained)

    // One global threshold over the |γ| of every prunable channel (a block's input channels are
    // scored by bn1's γ through its channel selection); the channels above it stay. The one surgery
    // removes the rest: filters, BatchNorm entries, selections and the next convs' input slices.
    let (plan, slim, prunedAccuracy) = try notebook.pruneBySlimming(sparse, percent: recipe.percent,
                                                                     sparseAccuracy: sparseAccuracy, on: data)
    try notebook.gammaHistogram("gamma-histogram", caption: text.gammaCaption(recipe.percent.wholePercentText),
                                networks: [(text.common.baseline, baseline), (text.common.sparsityTrained, sparse)],
                                threshold: plan.threshold ?? 0)
    notebook.metric("threshold", Double(plan.threshold ?? 0))
    notebook.metric("kept_alive_by_floor", plan.groupsKeptAliveByFloor)
    try notebook.channelsFigure("channels-per-layer", caption: text.channelsCaption,
                                original: baseline, plans: [(text.common.slimming, plan)], groupLabel: { shortGroupName($0, text) })
    try notebook.gammaPerLayerFigure("gamma-per-layer", caption: text.common.gammaPerLayerCaption(prunable: true),
                                     network: sparse, plan: plan, groupLabel: { shortGroupName($0, text) })
    try notebook.figure("method-diagram", caption: text.common.slimmingDiagramCaption(prunable: true),
                        SlimmingDiagram(network: sparse, plan: plan, groupLabel: { shortGroupName($0, text) }, language: text.language).diagram)
    if let block = BottleneckDiagram(original: sparse, pruned: slim, language: text.language) {
        try notebook.figure("bottleneck-diagram", caption: text.bottleneckCaption(block.block), block.diagram)
    }

    // MARK: A3. Fine-tune; scratch-E and scratch-B
    notebook.section(text.fineTuneSection)
    try notebook.train(text.common.fineTuneStage, slim, on: data, config: slimmingFineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data, label: text.common.fineTuned)
    notebook.code(slim.summary())
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(slim, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 7,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap, baselineTraining: notebook.trainingHistory(text.preresnetStage),
                                                warmupEpochs: recipe.scratchWarmupEpochs)

    // MARK: A4. Pruning-ratio sweep of the pre-activation ResNet
    // Slimming prunes the sparsity-trained network, L1 norm and random channels the baseline, at every fraction.
    try notebook.pruningRatioSweep(number: "A4", methods: [.slimming(sparse), .l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep.withFractions(unlessGiven: recipe.sweepFractions), on: data, training: config, reference: (text.common.baseline, baselineAccuracy))

    // MARK: B1. L1-norm pruning of the BasicBlock ResNet
    notebook.section(text.l1Section(depth: recipe.l1Depth))
    func makeResNet(seed: UInt64) -> Network {
        .resnet(depth: recipe.l1Depth, widthMultiplier: recipe.width, inputShape: input, seed: seed)
    }
    let resnet = makeResNet(seed: seed)
    let resnetAccuracy = try notebook.trainBaseline(text.resnetStage, resnet, key: "resnet_baseline",
        label: text.resnetBaseline, make: { makeResNet(seed: seed) }, on: data, config: config)
    // A BasicBlock ResNet's cfg has one entry per block: group i (cfgIndex i) is block i's first conv,
    // numbered 2i + 2 by res56prune.py (the stem is 1). Its stage's ratio applies unless it is skipped.
    let blocksPerStage = (recipe.l1Depth - 2) / 6
    let skipped = recipe.l1SkippedConvs(options)
    var fractions: [String: Double] = [:]
    for group in resnet.channelGroups {
        let block = group.cfgIndex!
        if !skipped.contains(2 * block + 2) { fractions[group.name] = options.l1Ratios.values[block / blocksPerStage] }
    }
    let l1Plan = try PruningPlan.ratios(fractions, for: resnet, criterion: .filterL1Norm)
    notebook.prose(text.l1Method(ratios: options.l1Ratios.values, skipped: skipped.sorted()))
    let l1Pruned = resnet.clone()
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("resnet_l1_pruned", l1Pruned, on: data, label: text.resnetL1Pruned)
    notebook.explainPruningDrop(before: resnetAccuracy, after: l1PrunedAccuracy, criterion: .filterL1Norm)
    try notebook.train(text.resnetL1FineTuneStage, l1Pruned, on: data, config: l1FineTune)
    let l1Accuracy = notebook.evaluate("resnet_l1_finetuned", l1Pruned, on: data, label: text.resnetL1FineTuned)
    try notebook.channelsFigure("resnet-l1-channels", caption: text.l1ChannelsCaption,
                                original: resnet, plans: [(text.common.l1Norm, l1Plan)], groupLabel: { shortGroupName($0, text) })

    // MARK: Results
    notebook.section(text.common.results)
    notebook.modelTable([(text.preresnetModel(recipe.depth, slimmed: false), baseline, baselineAccuracy),
                         (text.preresnetModel(recipe.depth, slimmed: true), slim, fineTunedAccuracy)], latencyBatch: 64)
    notebook.modelTable([(text.resnetModel(recipe.l1Depth, pruned: false), resnet, resnetAccuracy),
                         (text.resnetModel(recipe.l1Depth, pruned: true), l1Pruned, l1Accuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [(text.common.baseline, baseline, baselineAccuracy),
                                              (text.common.sparsityTrained, sparse, sparseAccuracy),
                                              (text.common.pruned, slim, prunedAccuracy),
                                              (text.common.fineTuned, slim, fineTunedAccuracy)]
    if let scratch { stages += [(text.common.scratchE, slim, scratch.scratchE), (text.common.scratchB, slim, scratch.scratchB)] }
    stages += [(text.common.baseline, resnet, resnetAccuracy), (text.common.l1Pruned, l1Pruned, l1PrunedAccuracy),
               (text.common.l1FineTuned, l1Pruned, l1Accuracy)]
    try notebook.figure("accuracy-stages", caption: text.accuracyCaption, LabCharts.accuracyBars(stages, language: text.language),
                        width: 1100)
    try notebook.trainingCurvesFigure(notebook.histories)
    let epochs = recipe.epochs
    notebook.compare(text.slimmedMinusBaseline, "finetuned", minus: "preresnet_baseline",
                     budgets: text.common.sparsityBudgets(epochs, fineTune: slimmingFineTune.epochs))
    if let scratch {
        notebook.compareWithScratch(text.slimmedFineTuned, key: "finetuned",
                                    trainedEpochs: "\(epochs + slimmingFineTune.epochs)", scratch: scratch)
    }
    notebook.compare(text.l1MinusBaseline, "resnet_l1_finetuned", minus: "resnet_baseline",
                     budgets: text.common.budgets(epochs, plus: l1FineTune.epochs, against: epochs))
    notebook.prose(text.summary(baseline: baselineAccuracy, epochs: epochs, sparse: sparseAccuracy,
                                percent: recipe.percent.wholePercentText, pruned: prunedAccuracy,
                                fineTuned: fineTunedAccuracy, fineTuneEpochs: slimmingFineTune.epochs, l1Depth: recipe.l1Depth,
                                resnet: resnetAccuracy, l1Pruned: l1PrunedAccuracy, l1: l1Accuracy, l1Epochs: l1FineTune.epochs)
                   + text.common.then(scratch?.sentence))

    // MARK: Beside the papers
    let dataSetup = text.dataSetup(data.kind.rawValue, epochs: epochs)
    notebook.besideThePapers([.slimmingPreResNetCode, .l1ResNet56B], ours: [
        OurResult(setup: text.preresnetSetup(depth: recipe.depth, width: recipe.width, data: dataSetup, sparsity: recipe.sparsity),
                  pruning: text.common.channelsBySlimming(recipe.percent.wholePercentText),
                  baseline: baselineAccuracy, pruned: fineTunedAccuracy, saving: savingText(from: baseline, to: slim, text.language)),
        OurResult(setup: text.resnetSetup(depth: recipe.l1Depth, width: recipe.width, data: dataSetup),
                  pruning: text.l1Ratios(options.l1Ratios.values),
                  baseline: resnetAccuracy, pruned: l1Accuracy, saving: savingText(from: resnet, to: l1Pruned, text.language)),
    ], differences: [
        (text.common.data, text.paperData,
         text.common.paddedData(data.kind.rawValue, images: data.train.sampleCount, shape: input) + text.common.augmentation(recipe.augment)),
        (text.networks, text.paperNetworks, text.ourNetworks(depth: recipe.depth, l1Depth: recipe.l1Depth, width: recipe.width)),
    ] + text.common.slimmingRows(epochs: epochs, learningRate: recipe.learningRate, batch: recipe.batchSize,
                                 paperSparsity: "1e-5", sparsity: recipe.sparsity, slimmingFineTune: slimmingFineTune.epochs,
                                 l1FineTune: l1FineTune.epochs, l1Rate: l1FineTune.learningRate, seed: seed)
      + text.common.scratchWarmupRow(epochs: scratch != nil ? options.common.scratchWarmupEpochs ?? recipe.scratchWarmupEpochs : 0))
}
