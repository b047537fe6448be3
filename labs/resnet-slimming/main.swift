// lab-resnet-slimming (the default lab): network slimming of a pre-activation ResNet with
// Bottleneck blocks and channel selection (Liu et al., ICCV 2017, as network-slimming's
// resprune.py), and L1-norm pruning of a BasicBlock ResNet (Li et al., ICLR 2017, as
// rethinking-network-pruning's res56prune.py). The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed

runLab(lab: "resnet-slimming", title: "Network slimming and L1-norm pruning of ResNets", options: options.common) { notebook in
    notebook.prose("""
        Residual networks make channel pruning harder: a block's output is added to its input, so the channels \
        of the residual stream are shared by every block of a stage and cannot be removed one layer at a time. \
        This lab prunes two ResNets in the two ways the papers (and the student's reproduction this lab grew from) do:
        """)
    notebook.bullets([
        """
        **Network slimming** of a pre-activation ResNet-\(recipe.depth) with Bottleneck blocks (Liu et al., ICCV 2017): \
        BatchNorm γ are pushed towards zero by an L1 penalty, one global threshold on |γ| picks the channels. Inside a \
        block, conv1's and conv2's filters go with their BatchNorms. The block's *input* channels are shared, so a \
        `ChannelSelection` layer after the block's first BatchNorm passes on only the kept ones and conv1 loses the \
        matching input slices, while the residual stream stays whole (network-slimming's `resprune.py`).
        """,
        """
        **L1-norm filter pruning** of a BasicBlock ResNet-\(recipe.l1Depth) (Li et al., ICLR 2017): in each block only \
        the first conv's filters are pruned, by the L1 norm of their weights, with one ratio per stage, and sensitive \
        layers left whole (rethinking-network-pruning's `res56prune.py -v B`).
        """,
    ])

    // MARK: Setup
    notebook.section("Setup")
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
    let strongerSparsity = """
        : stronger than the paper's 1e-5, which is spread over 160 epochs; in a few short epochs γ would barely move \
        (each step moves it by about lr·s).
        """
    notebook.prose("""
        \(data.kind.rawValue): \(data.train.sampleCount) training and \(data.test.sampleCount) test images of shape \
        \(input) (zero-padded to 32×32 where smaller\(recipe.augment ? "; random crop and flip" : "; no augmentation")). \
        Both ResNets at width ×\(recipe.width). SGD with momentum 0.9, weight decay 1e-4, learning rate \
        \(recipe.learningRate) divided by 10 at 50 % and 75 % of the epochs, batch \(recipe.batchSize), \
        \(recipe.epochs) epochs for each baseline and for sparsity training. Sparsity $s$ = \(recipe.sparsity)\
        \(options.common.preset == .full ? "." : strongerSparsity) Fine-tuning follows each method's reference code: \
        the slimmed network \(slimmingFineTune.epochs) epochs with the training schedule (network-slimming's \
        `--refine`), the L1-norm pruned ResNet \(l1FineTune.epochs) epoch(s) at a constant \(l1FineTune.learningRate), \
        a hundredth of the training rate, for a quarter of the training epochs (Li et al.; rethinking-network-pruning).
        """)
    notebook.code(baseline.summary())

    // MARK: A1. Baseline
    notebook.section("A1. Baseline pre-activation ResNet-\(recipe.depth)")
    try notebook.train("PreResNet baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("preresnet_baseline", baseline, on: data)
    try notebook.checkConvergence("preresnet_baseline", accuracy: baselineAccuracy, make: { makePreResNet(seed: seed) },
                                  on: data, config: config)

    // MARK: A2. Sparsity training, threshold, surgery
    notebook.section("A2. Sparsity training, global threshold and channel selection")
    // Sparsity training from the baseline's initialisation: after every backward pass,
    // ∂L/∂γ += s·sign(γ) for every BatchNorm (network-slimming's updateBN).
    let sparse = makePreResNet(seed: seed)
    try notebook.train("sparsity training", sparse, on: data, config: config,
                       penalty: BatchNormL1Penalty(strength: Float(recipe.sparsity)))
    let sparseAccuracy = notebook.evaluate("sparsity_trained", sparse, on: data)

    // One global threshold over the |γ| of every prunable channel (a block's input channels are
    // scored by bn1's γ through its channel selection); the channels above it stay.
    let plan = try PruningPlan.globalPercentile(options.slimming.percent, for: sparse, criterion: .batchNormScale)
    notebook.describeSeparation(plan, of: sparse)
    try notebook.gammaHistogram("gamma-histogram", caption: """
        |γ| of every BatchNorm that scores a prunable channel, after baseline training and after sparsity training; \
        the dashed line is the global threshold that removes \(options.slimming.percent.wholePercentText) of them.
        """, networks: [("baseline", baseline), ("sparsity-trained", sparse)], threshold: plan.threshold ?? 0)

    // The one surgery: filters, BatchNorm entries, selections and the next convs' input slices.
    let slim = sparse.clone()
    try applySurgery(plan, to: slim)
    let prunedAccuracy = notebook.evaluate("pruned", slim, on: data)
    notebook.describeThreshold(plan, prunedAccuracy: prunedAccuracy)
    notebook.explainPruningDrop(before: sparseAccuracy, after: prunedAccuracy, criterion: .batchNormScale)
    notebook.metric("threshold", Double(plan.threshold ?? 0))
    notebook.metric("kept_alive_by_floor", plan.groupsKeptAliveByFloor)
    try notebook.channelsFigure("channels-per-layer", caption: """
        Channels of every prunable layer of the pre-activation ResNet: original and kept by slimming. `sel` is the \
        channel selection in front of a block's conv1, `c1` and `c2` are the filters of conv1 and conv2.
        """, original: baseline, plans: [("slimming", plan)], groupLabel: shortGroupName)
    try notebook.gammaPerLayerFigure("gamma-per-layer", caption: """
        |γ| of each prunable layer's channels after sparsity training, on one axis for all layers; the dashed line is the \
        global threshold, and each title says how many of the layer's channels stay.
        """, network: sparse, plan: plan, groupLabel: shortGroupName)
    try notebook.figure("method-diagram", caption: """
        Network slimming as it ran: every prunable layer's channels shaded by |γ|, largest first; the global threshold \
        cuts each row (dashed), and the blue channels left of the cut survive.
        """, SlimmingDiagram(network: sparse, plan: plan, groupLabel: shortGroupName).diagram)
    if let block = BottleneckDiagram(original: sparse, pruned: slim) {
        try notebook.figure("bottleneck-diagram", caption: """
            The Bottleneck block that lost the most channels, \(block.block), before and after slimming: the channel \
            selection passes on only the kept channels of the shared input, conv1 and conv2 lose filters, and conv3 restores \
            the residual stream's width, so the shortcut and the addition are untouched.
            """, block.diagram)
    }

    // MARK: A3. Fine-tune; scratch-E and scratch-B
    notebook.section("A3. Fine-tune and train from scratch")
    try notebook.train("fine-tune", slim, on: data, config: slimmingFineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data)
    notebook.code(slim.summary())
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(slim, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 7,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap)

    // MARK: A4. Pruning-ratio sweep of the pre-activation ResNet
    // Slimming prunes the sparsity-trained network, L1 norm and random channels the baseline, at every fraction.
    try notebook.pruningRatioSweep(number: "A4", methods: [.slimming(sparse), .l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep, on: data, training: config, reference: ("baseline", baselineAccuracy))

    // MARK: B1. L1-norm pruning of the BasicBlock ResNet
    notebook.section("B1. BasicBlock ResNet-\(recipe.l1Depth) and L1-norm pruning")
    func makeResNet(seed: UInt64) -> Network {
        .resnet(depth: recipe.l1Depth, widthMultiplier: recipe.width, inputShape: input, seed: seed)
    }
    let resnet = makeResNet(seed: seed)
    try notebook.train("ResNet baseline", resnet, on: data, config: config)
    let resnetAccuracy = notebook.evaluate("resnet_baseline", resnet, on: data)
    try notebook.checkConvergence("resnet_baseline", accuracy: resnetAccuracy, make: { makeResNet(seed: seed) },
                                  on: data, config: config)
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
    notebook.prose("""
        Ratios per stage \(options.l1Ratios.values); conv layers left whole: \
        \(skipped.isEmpty ? "none" : skipped.sorted().map(String.init).joined(separator: ", ")). Each block's first conv \
        keeps ⌊n·(1 − ratio)⌋ of its n filters, those with the largest L1 norms; its BatchNorm and the second conv's \
        input slices follow. Block outputs, tied to the shortcuts, stay whole.
        """)
    let l1Pruned = resnet.clone()
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("resnet_l1_pruned", l1Pruned, on: data)
    notebook.explainPruningDrop(before: resnetAccuracy, after: l1PrunedAccuracy, criterion: .filterL1Norm)
    try notebook.train("ResNet L1 fine-tune", l1Pruned, on: data, config: l1FineTune)
    let l1Accuracy = notebook.evaluate("resnet_l1_finetuned", l1Pruned, on: data)
    try notebook.channelsFigure("resnet-l1-channels", caption: """
        Inner channels (first conv's filters) of every block of the BasicBlock ResNet: original and kept by L1-norm pruning.
        """, original: resnet, plans: [("L1 norm", l1Plan)], groupLabel: shortGroupName)

    // MARK: Results
    notebook.section("Results")
    notebook.modelTable([("PreResNet-\(recipe.depth) baseline", baseline, baselineAccuracy),
                         ("PreResNet-\(recipe.depth) slimmed, fine-tuned", slim, fineTunedAccuracy)], latencyBatch: 64)
    notebook.modelTable([("ResNet-\(recipe.l1Depth) baseline", resnet, resnetAccuracy),
                         ("ResNet-\(recipe.l1Depth) L1-pruned, fine-tuned", l1Pruned, l1Accuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [("baseline", baseline, baselineAccuracy), ("sparsity-trained", sparse, sparseAccuracy),
                                              ("pruned", slim, prunedAccuracy), ("fine-tuned", slim, fineTunedAccuracy)]
    if let scratch { stages += [("scratch-E", slim, scratch.scratchE), ("scratch-B", slim, scratch.scratchB)] }
    stages += [("baseline", resnet, resnetAccuracy), ("L1 pruned", l1Pruned, l1PrunedAccuracy),
               ("L1 fine-tuned", l1Pruned, l1Accuracy)]
    try notebook.figure("accuracy-stages", caption: """
        Test accuracy at every stage: the slimming stages of the pre-activation ResNet, then the BasicBlock ResNet \
        before and after L1-norm pruning.
        """, LabCharts.accuracyBars(stages), width: 1100)
    try notebook.trainingCurvesFigure(notebook.histories)
    let epochs = recipe.epochs
    notebook.compare("Slimmed PreResNet, fine-tuned − baseline", "finetuned", minus: "preresnet_baseline",
                     budgets: "\(epochs) sparsity + \(slimmingFineTune.epochs) fine-tuning epochs against \(epochs)")
    if let scratch {
        notebook.compare("Slimmed PreResNet, fine-tuned − scratch-B", "finetuned", minus: "scratch_b",
                         budgets: "\(epochs + slimmingFineTune.epochs) epochs against \(scratch.scratchBEpochs) of the small network")
    }
    notebook.compare("L1-pruned ResNet, fine-tuned − baseline", "resnet_l1_finetuned", minus: "resnet_baseline",
                     budgets: "\(epochs) + \(l1FineTune.epochs) epochs against \(epochs)")
    notebook.prose("""
        Slimming: the baseline reaches \(baselineAccuracy.percentText) after \(epochs) epochs, sparsity training \
        \(sparseAccuracy.percentText); pruning \(options.slimming.percent.wholePercentText) of the channels leaves \
        \(prunedAccuracy.percentText) before and \(fineTunedAccuracy.percentText) after \(slimmingFineTune.epochs) \
        epochs of fine-tuning (\((fineTunedAccuracy - baselineAccuracy).pointsText) points against the baseline, with \
        \(epochs + slimmingFineTune.epochs) epochs of training behind the slimmed network against the baseline's \
        \(epochs)). L1-norm pruning of ResNet-\(recipe.l1Depth): \(resnetAccuracy.percentText) → \
        \(l1PrunedAccuracy.percentText) right after pruning → \(l1Accuracy.percentText) after \(l1FineTune.epochs) \
        epoch(s) of fine-tuning.
        """ + (scratch.map { " " + $0.sentence } ?? ""))

    // MARK: Beside the papers
    let dataSetup = "\(data.kind.rawValue), \(epochs) epochs"
    notebook.besideThePapers([.slimmingPreResNetCode, .l1ResNet56B], ours: [
        OurResult(setup: "PreResNet-\(recipe.depth) ×\(recipe.width), \(dataSetup), s = \(recipe.sparsity)",
                  pruning: "\(options.slimming.percent.wholePercentText) of channels (slimming)",
                  baseline: baselineAccuracy, pruned: fineTunedAccuracy, saving: savingText(from: baseline, to: slim)),
        OurResult(setup: "ResNet-\(recipe.l1Depth) ×\(recipe.width), \(dataSetup)",
                  pruning: "L1 norm, ratios \(options.l1Ratios.values) per stage",
                  baseline: resnetAccuracy, pruned: l1Accuracy, saving: savingText(from: resnet, to: l1Pruned)),
    ], differences: [
        ("Data", "CIFAR-10: 50,000 colour training images of 32×32, crop and flip", """
            \(data.kind.rawValue): \(data.train.sampleCount) training images, fed as \(input) (zero-padded where smaller)\
            \(recipe.augment ? ", crop and flip" : ", no augmentation")
            """),
        ("Networks", "PreResNet-164 (slimming), ResNet-56 (L1 norm), full width",
         "PreResNet-\(recipe.depth) and ResNet-\(recipe.l1Depth) at width ×\(recipe.width)"),
        ("Training", "160 epochs, lr 0.1 ÷10 at 50 % and 75 %, batch 64", """
            \(epochs) epochs, lr \(recipe.learningRate) ÷10 at 50 % and 75 %, batch \(recipe.batchSize)
            """),
        ("Sparsity s", "1e-5 for 160 epochs", "\(recipe.sparsity) for \(epochs) epochs"),
        ("Fine-tuning", "slimming 160 epochs; L1 norm 40 epochs at lr 0.001", """
            slimming \(slimmingFineTune.epochs) epochs; L1 norm \(l1FineTune.epochs) at lr \(l1FineTune.learningRate)
            """),
        ("Runs", "one per number (network-slimming: seeds move results by up to 0.5 points)",
         "seed \(seed) here; a study's summary gives the spread over seeds"),
    ])
}
