// lab-weight-pruning: magnitude pruning of a 784-200-200-10 MLP, then neuron pruning to
// [50, 100, 10] by L1 norm, compared with the small network trained from scratch.
// Reads top to bottom like a notebook: each step runs, and the report explains it.
// The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let prunedCfg = options.prunedHidden.values + [10]
let seed = options.common.seed

runLab(lab: "weight-pruning", title: "Weight pruning of an MLP", options: options.common) { notebook in
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
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: nil, modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, schedule: .slimming, seed: seed)
    let baseline = Network.mlp(cfg: [200, 200, 10], seed: seed)
    notebook.prose("""
        Data: \(data.kind.rawValue), \(data.train.sampleCount) training and \(data.test.sampleCount) test images, \
        normalised by the training set's mean and standard deviation. Optimiser: SGD with learning rate \
        \(recipe.learningRate) divided by 10 at 50 % and 75 % of the epochs, momentum 0.9, batch \(recipe.batchSize), \
        \(recipe.epochs) epochs. The model:
        """)
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section("1. Train the baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)
    try notebook.checkConvergence("baseline", accuracy: baselineAccuracy, make: { Network.mlp(cfg: [200, 200, 10], seed: seed) },
                                  on: data, config: config)
    notebook.prose("The dense MLP reaches **\(baselineAccuracy.percentText)** test accuracy.")

    // MARK: 2. Unstructured magnitude pruning, sparsity by sparsity
    notebook.section("2. Unstructured magnitude pruning")
    notebook.prose("""
        For a target sparsity $s$, \(scopeExplanation(options.scope)) Training then only updates kept weights: \
        $w \\leftarrow m \\odot (w - \\eta \\nabla_w L)$. Each sparsity starts from the trained baseline, is \
        evaluated right after pruning, and again after \(recipe.sweepFineTuneEpochs) epoch(s) of masked \
        fine-tuning at a constant tenth of the learning rate.
        """)
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
        let before = notebook.evaluate(String(format: "sparsity_%.2f_pruned", sparsity), network, on: data)
        try notebook.train(String(format: "masked fine-tune %.0f%%", sparsity * 100), network, on: data,
                           config: sweepFineTune, describe: false)
        let after = notebook.evaluate(String(format: "sparsity_%.2f_finetuned", sparsity), network, on: data)
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
    notebook.table(headers: ["Sparsity", "Non-zero parameters", "Accuracy after pruning", "After fine-tuning"], rows: sweepRows)
    let sparsityAxis = recipe.sparsities.map { $0 * 100 }
    try notebook.figure("accuracy-vs-sparsity", caption: """
        Test accuracy against the fraction of weights removed, right after pruning and after masked fine-tuning. \
        The flat line is the dense baseline.
        """, LabCharts.lines(title: "Accuracy vs sparsity", xLabel: "Weights removed (%)", yLabel: "Test accuracy (%)",
                             series: [("after pruning", sparsityAxis, beforeCurve), ("after fine-tuning", sparsityAxis, afterCurve)],
                             referenceY: ("baseline", Double(baselineAccuracy) * 100)))
    let baselineWeights = MagnitudePruning.prunableWeights(of: baseline).flatMap(\.value.values)
    let shown = recipe.histogramSparsity.wholePercentText
    try notebook.figure("weight-histogram", caption: """
        Weights of all layers of the trained baseline, and the weights that survive \(shown) magnitude pruning after \
        fine-tuning: pruning removes the peak around zero.
        """, LabCharts.histogram(title: "Weight values before and after pruning", xLabel: "Weight value",
                                 series: [("baseline", baselineWeights), ("kept after \(shown) pruning", keptWeights)],
                                 bins: 80, logY: true))
    notebook.prose("""
        The table and Figure 1 show how far the MLP can be thinned: most weights are redundant, and a short \
        masked fine-tune recovers most of what pruning costs, until very high sparsity.
        """)

    // MARK: 3. Neuron pruning
    notebook.section("3. Neuron pruning to \(prunedCfg)")
    notebook.prose("""
        A hidden unit $j$ of layer $\\ell$ is scored by the L1 norm of its incoming weights, \
        $\\lVert W^{(\\ell)}_{j,:} \\rVert_1$. Keeping the top units of each hidden layer removes row $j$ of \
        $W^{(\\ell)}$, entry $j$ of its bias, and column $j$ of $W^{(\\ell+1)}$: one surgery for the whole group.
        """)
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: baseline, criterion: .filterL1Norm)
    let pruned = baseline.clone()
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("neurons_pruned", pruned, on: data)
    let fineTune = config.fineTuning(epochs: recipe.fineTuneEpochs ?? 3, learningRate: recipe.learningRate / 10,
                                     schedule: .constant)
    try notebook.train("neuron fine-tune", pruned, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("neurons_finetuned", pruned, on: data)
    try notebook.channelsFigure("units-per-layer", caption: "Hidden units per layer before and after neuron pruning.",
                                original: baseline, plans: [("kept", plan)], title: "Hidden units per layer", yLabel: "Units")
    notebook.prose("""
        Right after the surgery the \(prunedCfg) network reaches \(prunedAccuracy.percentText); \
        \(fineTune.epochs) epoch(s) of fine-tuning at a constant tenth of the learning rate bring it to \
        \(fineTunedAccuracy.percentText).
        """)

    // MARK: 4. Scratch
    notebook.section("4. The same small network trained from scratch")
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 1,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap)

    // MARK: Results
    notebook.section("Results")
    var models: [(String, Network, Float)] = [("baseline [200, 200, 10]", baseline, baselineAccuracy),
                                              ("pruned \(prunedCfg), fine-tuned", pruned, fineTunedAccuracy)]
    var stages: [(String, Network, Float)] = [("baseline", baseline, baselineAccuracy), ("neurons pruned", pruned, prunedAccuracy),
                                              ("fine-tuned", pruned, fineTunedAccuracy)]
    if let scratch {
        stages += [("scratch-E", pruned, scratch.scratchE), ("scratch-B", pruned, scratch.scratchB)]
        models.append(("scratch-B \(prunedCfg)", pruned.reinitialized(seed: seed), scratch.scratchB))
    }
    notebook.modelTable(models, latencyBatch: 256)
    try notebook.figure("accuracy-stages", caption: "Test accuracy at each stage.", LabCharts.accuracyBars(stages))
    try notebook.trainingCurvesFigure(notebook.histories.filter { !$0.stage.hasPrefix("masked") })
    notebook.compare("Neuron-pruned, fine-tuned − baseline", "neurons_finetuned", minus: "baseline",
                     budgets: "\(recipe.epochs) + \(fineTune.epochs) epochs against \(recipe.epochs)")
    if let scratch {
        notebook.compare("Neuron-pruned, fine-tuned − scratch-B", "neurons_finetuned", minus: "scratch_b",
                         budgets: "\(recipe.epochs) + \(fineTune.epochs) epochs against \(scratch.scratchBEpochs) of the small network")
    }
    notebook.prose("""
        Neuron pruning to \(prunedCfg) drops accuracy from \(baselineAccuracy.percentText) to \
        \(prunedAccuracy.percentText) before fine-tuning; \(fineTune.epochs) epoch(s) of fine-tuning bring it to \
        \(fineTunedAccuracy.percentText) (\((fineTunedAccuracy - baselineAccuracy).pointsText) points from the baseline, \
        which trained \(recipe.epochs) epochs against the pruned network's \(recipe.epochs) + \(fineTune.epochs)).
        """ + (scratch.map { " " + $0.sentence } ?? ""))

    // MARK: Beside the paper
    // Han et al. report 92 % of LeNet-300-100's weights pruned; ours is the swept sparsity nearest to it.
    let hanSparsity = recipe.sparsities.min { abs($0 - 0.92) < abs($1 - 0.92) }!
    notebook.besideThePapers([.magnitudeLeNet300], ours: [
        OurResult(setup: "784-200-200-10, \(data.kind.rawValue), \(recipe.epochs) epochs",
                  pruning: "\(hanSparsity.wholePercentText) of weights", baseline: baselineAccuracy,
                  pruned: fineTunedAtSparsity[hanSparsity]!, saving: "\(hanSparsity.wholePercentText) of weights (masked, not removed)"),
    ], differences: [
        ("Data", "MNIST digits", "\(data.kind.rawValue): \(data.train.sampleCount) training images (clothing, a harder task)"),
        ("Network", "LeNet-300-100 (784-300-100-10)", "784-200-200-10, the student's reproduction"),
        ("Pruning", "per-layer thresholds, pruned and retrained iteratively", """
            \(scopeName(options.scope)), pruned once per sparsity, then \(recipe.sweepFineTuneEpochs) epoch(s) of masked fine-tuning
            """),
        ("Runs", "one per number", "seed \(seed) here; a study's summary gives the spread over seeds"),
    ])
}

/// The short name of a pruning scope, for tables.
func scopeName(_ scope: PruningScope) -> String {
    switch scope {
    case .perLayerStd: "per-layer thresholds q·σ (Han et al.)"
    case .layerwise: "the same fraction in every layer"
    case .global: "one global threshold"
    }
}

/// The report's words for where the magnitude threshold applies.
func scopeExplanation(_ scope: PruningScope) -> String {
    switch scope {
    case .perLayerStd: """
        each layer $\\ell$ masks its weights with $|w| < q\\,\\sigma_\\ell$, $\\sigma_\\ell$ the standard deviation of \
        the layer's weights and $q$ one quality parameter chosen so that a fraction $s$ of all weights go (Han et al. \
        2015, per-layer thresholds).
        """
    case .layerwise: "every layer masks the fraction $s$ of its own weights with the smallest $|w|$."
    case .global: "the $s \\cdot N$ weights of smallest $|w|$ over all layers go (one global threshold; `--scope global`)."
    }
}
