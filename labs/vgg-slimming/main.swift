// lab-vgg-slimming: network slimming of VGG (Liu et al., "Learning Efficient Convolutional
// Networks through Network Slimming", ICCV 2017), compared with L1-norm filter pruning
// (Li et al., ICLR 2017), random channels at the same widths, and training the pruned
// architecture from scratch. The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed

runLab(lab: "vgg-slimming", title: "Network slimming of VGG", options: options.common) { notebook in
    notebook.prose("""
        Network slimming (Liu et al., ICCV 2017) gives every channel a scaling factor and lets training decide \
        which channels matter. The factor is already there: the $\\gamma$ of the BatchNorm after each convolution, \
        $\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$, $z_{out} = \\gamma \\hat z + \\beta$. Training adds an \
        L1 penalty that pushes many $\\gamma$ to zero:
        """)
    notebook.equation("L = \\sum_{(x,y)} l\\big(f(x, W), y\\big) + s \\sum_{\\gamma \\in \\Gamma} |\\gamma|")
    notebook.prose("""
        Its subgradient is added after every backward pass, \
        $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$ (network-slimming's `updateBN`). \
        Then one global threshold, the `--percent` quantile of all $|\\gamma|$, decides which channels go; \
        the compact network is rebuilt from the survivors and fine-tuned.
        """)

    // MARK: Setup
    notebook.section("Setup")
    let data = try notebook.loadData(defaultKind: options.common.preset == .full ? .cifar10 : .fashionMNIST, pad32: true,
                                     trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
    func makeVGG(seed: UInt64) -> Network {
        .vgg(depth: recipe.depth, widthMultiplier: recipe.width, inputShape: data.train.sampleShape, seed: seed)
    }
    let baseline = makeVGG(seed: seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: true, seed: seed)
    let slimmingFineTune = Protocols.slimmingFineTuning(after: config, epochs: recipe.fineTuneEpochs)
    let l1FineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
    let strongerSparsity = """
        : much stronger than the paper's 1e-4, because the paper applies it for 160 epochs of 782 steps and a few short \
        epochs barely move γ at 1e-4; each step moves γ by about lr·s, so a short run needs a larger s to push the \
        unimportant factors to zero.
        """
    notebook.prose("""
        VGG-\(recipe.depth) at width ×\(recipe.width) (cfg \(baseline.cfg)) on \(data.kind.rawValue) \
        (\(data.train.sampleCount) training, \(data.test.sampleCount) test images of shape \(data.train.sampleShape), \
        zero-padded to 32×32 where smaller, random crop and flip). SGD with momentum 0.9, weight decay 1e-4, learning \
        rate \(recipe.learningRate) divided by 10 at 50 % and 75 % of the epochs, batch \(recipe.batchSize), \
        \(recipe.epochs) epochs for the baseline and for sparsity training. Sparsity $s$ = \
        \(recipe.sparsity)\(options.common.preset == .full ? "." : strongerSparsity) Fine-tuning follows each \
        method's reference code: the slimmed network \(slimmingFineTune.epochs) epochs with the training schedule \
        (network-slimming's `--refine`), the L1-norm pruned network \(l1FineTune.epochs) epoch(s) at a constant \
        \(l1FineTune.learningRate), a hundredth of the training rate, for a quarter of the training epochs (Li et al.; \
        rethinking-network-pruning).
        """)
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section("1. Baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)
    try notebook.checkConvergence("baseline", accuracy: baselineAccuracy, make: { makeVGG(seed: seed) }, on: data,
                                  config: config)

    // MARK: 2. Sparsity training, threshold, surgery
    notebook.section("2. Sparsity training, global threshold and pruning")
    notebook.prose("The same network from the same initialisation, trained with the L1 penalty on every γ; then the global threshold.")
    let penalty = BatchNormL1Penalty(strength: Float(recipe.sparsity))
    var slim = makeVGG(seed: seed)
    // The first pass trains this network in place and prunes a clone, so it stays the sparsity-trained one (the sweep's).
    let sparsityTrained = slim
    var plans: [PruningPlan] = []
    var sparseAccuracy: Float = 0, prunedAccuracy: Float = 0
    for pass in 1...options.passes {
        // Sparsity training: after every backward pass, ∂L/∂γ += s·sign(γ).
        try notebook.train(options.passes > 1 ? "sparsity training (pass \(pass))" : "sparsity training", slim, on: data,
                           config: pass == 1 ? config : slimmingFineTune, penalty: penalty)
        sparseAccuracy = notebook.evaluate("sparsity_trained", slim, on: data)
        // One global threshold: the `percent` quantile of every |γ|; the channels above it stay.
        let plan = try PruningPlan.globalPercentile(options.slimming.percent, for: slim, criterion: .batchNormScale)
        if pass == 1 {
            try notebook.gammaHistogram("gamma-histogram", caption: """
                |γ| of every BatchNorm after baseline training and after sparsity training; the dashed line is the global \
                threshold that removes \(options.slimming.percent.wholePercentText) of the channels.
                """, networks: [("baseline", baseline), ("sparsity-trained", slim)], threshold: plan.threshold ?? 0)
            let vggLayerName = { (group: ChannelGroup) in "conv\(group.cfgIndex! + 1)" }
            try notebook.gammaPerLayerFigure("gamma-per-layer", caption: """
                |γ| of each conv layer's channels after sparsity training, on one axis for all layers; the dashed line is \
                the global threshold, and each title says how many of the layer's channels stay.
                """, network: slim, plan: plan, groupLabel: vggLayerName)
            try notebook.figure("method-diagram", caption: """
                Network slimming as it ran: every layer's channels shaded by |γ|, largest first; the global threshold cuts \
                each row (dashed), and the blue channels left of the cut survive.
                """, SlimmingDiagram(network: slim, plan: plan, groupLabel: vggLayerName).diagram)
        }
        notebook.describeSeparation(plan, of: slim)
        // The compact network: the one surgery removes the channels below the threshold.
        let pruned = slim.clone()
        try applySurgery(plan, to: pruned)
        prunedAccuracy = notebook.evaluate("pruned", pruned, on: data)
        notebook.describeThreshold(plan, pass: pass, prunedAccuracy: prunedAccuracy)
        notebook.explainPruningDrop(before: sparseAccuracy, after: prunedAccuracy, criterion: .batchNormScale)
        plans.append(plan)
        slim = pruned
    }
    let slimmingPlan = PruningPlan.composed(plans)
    notebook.metric("threshold", Double(plans[0].threshold ?? 0))
    notebook.metric("kept_alive_by_floor", plans.flatMap(\.groupsKeptAliveByFloor))

    // MARK: 3. Fine-tune
    notebook.section("3. Fine-tune the slimmed network")
    try notebook.train("fine-tune", slim, on: data, config: slimmingFineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data)
    notebook.code(slim.summary())

    // MARK: 4. L1-norm pruning, and random channels at the same widths
    notebook.section("4. L1-norm filter pruning for comparison")
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let l1Plan: PruningPlan
    switch options.l1 {
    case .paper:
        // Li et al.'s VGG-16: conv1 and conv8–conv13 (numbered from 1) lose half their filters.
        let halved = baseline.channelGroups.filter { [1, 8, 9, 10, 11, 12, 13].contains($0.cfgIndex! + 1) }.map(\.name)
        l1Plan = try PruningPlan.ratios(Dictionary(uniqueKeysWithValues: halved.map { ($0, 0.5) }), for: baseline)
        notebook.prose("Li et al.'s VGG-16 recipe: conv1 and conv8–conv13 lose the half of their filters with the smallest L1 norms.")
    case .matched:
        let slimMACs = ModelCost(slim).multiplyAccumulates
        l1Plan = try PruningPlan.ratio(matchingMACs: slimMACs, of: baseline)
        notebook.prose("""
            Every conv loses the same fraction of its filters, those with the smallest L1 norms, the fraction chosen so \
            that the pruned network has about the slimmed one's multiply-accumulates \
            (\(String(format: "%.1f", 100 * Double(slimMACs) / Double(baselineMACs))) % of the baseline's).
            """)
    }
    let l1Pruned = baseline.clone()
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("l1_pruned", l1Pruned, on: data)
    notebook.explainPruningDrop(before: baselineAccuracy, after: l1PrunedAccuracy, criterion: .filterL1Norm)
    try notebook.train("L1 fine-tune", l1Pruned, on: data, config: l1FineTune)
    let l1Accuracy = notebook.evaluate("l1_finetuned", l1Pruned, on: data)

    notebook.prose("""
        The floor every criterion must beat: the same widths as L1-norm pruning, with the channels each layer keeps \
        chosen at random, fine-tuned as the L1-norm pruned network.
        """)
    let randomPlan = PruningPlan.keepingTop(l1Plan.keptCounts, scores: RandomChannels(seed: seed).scores(of: baseline))
    let randomPruned = baseline.clone()
    try applySurgery(randomPlan, to: randomPruned)
    let randomPrunedAccuracy = notebook.evaluate("random_pruned", randomPruned, on: data)
    try notebook.train("random fine-tune", randomPruned, on: data, config: l1FineTune)
    let randomAccuracy = notebook.evaluate("random_finetuned", randomPruned, on: data)
    try notebook.channelsFigure("channels-per-layer",
                                caption: "Channels of every conv layer: original, kept by slimming, kept by L1-norm pruning.",
                                original: baseline, plans: [("slimming", slimmingPlan), ("L1 norm", l1Plan)],
                                groupLabel: { "conv\($0.cfgIndex! + 1)" })

    // MARK: 5. Scratch-E and scratch-B
    notebook.section("5. The slimmed architecture trained from scratch")
    let scratch = try notebook.scratchBaselines(slim, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 7,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap)

    // MARK: 6. Pruning-ratio sweep
    // Slimming prunes the sparsity-trained network, L1 norm and random channels the baseline, at every fraction.
    try notebook.pruningRatioSweep(number: "6", methods: [.slimming(sparsityTrained), .l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep, on: data, training: config, reference: ("baseline", baselineAccuracy))

    // MARK: Results
    notebook.section("Results")
    notebook.modelTable([("baseline", baseline, baselineAccuracy), ("slimmed, fine-tuned", slim, fineTunedAccuracy),
                         ("L1-norm pruned, fine-tuned", l1Pruned, l1Accuracy),
                         ("random channels, fine-tuned", randomPruned, randomAccuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [("baseline", baseline, baselineAccuracy), ("sparsity-trained", slim, sparseAccuracy),
                                              ("pruned", slim, prunedAccuracy), ("fine-tuned", slim, fineTunedAccuracy)]
    if let scratch { stages += [("scratch-E", slim, scratch.scratchE), ("scratch-B", slim, scratch.scratchB)] }
    stages += [("L1 pruned", l1Pruned, l1PrunedAccuracy), ("L1 fine-tuned", l1Pruned, l1Accuracy),
               ("random pruned", randomPruned, randomPrunedAccuracy), ("random fine-tuned", randomPruned, randomAccuracy)]
    try notebook.figure("accuracy-stages", caption: "Test accuracy at every stage.", LabCharts.accuracyBars(stages), width: 1100)
    try notebook.trainingCurvesFigure(notebook.histories)
    let epochs = recipe.epochs
    notebook.compare("Slimmed, fine-tuned − baseline", "finetuned", minus: "baseline",
                     budgets: "\(epochs) sparsity + \(slimmingFineTune.epochs) fine-tuning epochs against \(epochs)")
    if let scratch {
        notebook.compare("Slimmed, fine-tuned − scratch-B", "finetuned", minus: "scratch_b",
                         budgets: "\(epochs + slimmingFineTune.epochs) epochs against \(scratch.scratchBEpochs) of the small network")
    }
    notebook.compare("Slimming − L1 norm at the same MACs", "finetuned", minus: "l1_finetuned",
                     budgets: "\(epochs) + \(slimmingFineTune.epochs) epochs against \(epochs) + \(l1FineTune.epochs)")
    notebook.compare("L1 norm − random channels", "l1_finetuned", minus: "random_finetuned",
                     budgets: "same widths, same fine-tuning")
    notebook.prose("""
        The baseline reaches \(baselineAccuracy.percentText) after \(epochs) epochs. Sparsity training (\(epochs) epochs \
        from the same initialisation) ends at \(sparseAccuracy.percentText); pruning \
        \(options.slimming.percent.wholePercentText) of the channels by the global |γ| threshold leaves \
        \(prunedAccuracy.percentText), and \(slimmingFineTune.epochs) epochs of fine-tuning \
        \(fineTunedAccuracy.percentText): \((fineTunedAccuracy - baselineAccuracy).pointsText) points against the \
        baseline, with \(epochs + slimmingFineTune.epochs) epochs of training behind the slimmed network against the \
        baseline's \(epochs), so part of any gain is extra training, not pruning. L1-norm pruning reaches \
        \(l1Accuracy.percentText) after \(l1FineTune.epochs) epoch(s) of fine-tuning, random channels at the same widths \
        \(randomAccuracy.percentText).
        """ + (scratch.map { scratch in """
         The fair test of pruning is scratch-B, the slimmed architecture trained from scratch with the baseline's \
        compute: \(scratch.scratchB.percentText) after \(scratch.scratchBEpochs) epochs\
        \(scratch.scratchBCapped ? " (capped)" : ""), against \(fineTunedAccuracy.percentText) for the fine-tuned \
        slimmed network; scratch-E (\(scratch.scratchEEpochs) epochs) reaches \(scratch.scratchE.percentText).
        """ } ?? ""))

    // MARK: Beside the papers
    let vggSetup = "VGG-\(recipe.depth) ×\(recipe.width), \(data.kind.rawValue), \(epochs) epochs, s = \(recipe.sparsity)"
    notebook.besideThePapers([.slimmingVGGPaper, .slimmingVGGCode, .l1VGG16], ours: [
        OurResult(setup: vggSetup, pruning: "\(options.slimming.percent.wholePercentText) of channels (slimming)",
                  baseline: baselineAccuracy, pruned: fineTunedAccuracy, saving: savingText(from: baseline, to: slim)),
        OurResult(setup: "the same baseline", pruning: "L1 norm, \(options.l1 == .paper ? "Li et al.'s VGG-16 recipe" : "slimming's MACs")",
                  baseline: baselineAccuracy, pruned: l1Accuracy, saving: savingText(from: baseline, to: l1Pruned)),
    ], differences: [
        ("Data", "CIFAR-10: 50,000 colour training images of 32×32", """
            \(data.kind.rawValue): \(data.train.sampleCount) training images, fed as \(data.train.sampleShape) \
            (zero-padded where smaller)
            """),
        ("Network", "VGG-19 (slimming), VGG-16 (L1 norm), full width",
         "VGG-\(recipe.depth) at width ×\(recipe.width), cfg \(baseline.cfg)"),
        ("Training", "160 epochs, lr 0.1 ÷10 at 50 % and 75 %, batch 64", """
            \(epochs) epochs, lr \(recipe.learningRate) ÷10 at 50 % and 75 %, batch \(recipe.batchSize)
            """),
        ("Sparsity s", "1e-4 for 160 epochs", "\(recipe.sparsity) for \(epochs) epochs"),
        ("Fine-tuning", "slimming 160 epochs; L1 norm 40 epochs at lr 0.001", """
            slimming \(slimmingFineTune.epochs) epochs; L1 norm \(l1FineTune.epochs) at lr \(l1FineTune.learningRate)
            """),
        ("Runs", "one per number (network-slimming: seeds move results by up to 0.5 points)",
         "seed \(seed) here; a study's summary gives the spread over seeds"),
    ])
}
