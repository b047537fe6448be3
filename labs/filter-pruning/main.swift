// lab-filter-pruning: L1-norm filter pruning of a three-conv CNN from [32, 64, 64] to
// [8, 16, 32] (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017).
// Reads top to bottom like a notebook: each step runs, and the report explains it.
// The options and presets are in Options.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe.of(options.common.preset).overridden(by: options.common)
let prunedCfg = options.prunedCfg.values
let seed = options.common.seed

runLab(lab: "filter-pruning", title: "L1-norm filter pruning of a small CNN", options: options.common) { notebook in
    notebook.prose("""
        Li et al. (*Pruning Filters for Efficient ConvNets*, ICLR 2017) rank the filters of a convolution by \
        the L1 norm of their weights, $s_j = \\sum |\\mathcal{F}_{j}|$, and remove the smallest. Removing \
        filter $j$ of a layer removes output channel $j$: row $j$ of this layer's weight and bias, and input \
        slice $j$ of the next layer's weight. After the last convolution the feature maps are flattened, so \
        channel $j$ owns a *block* of $H \\times W$ = 7·7 = 49 input columns of the Linear layer, and the \
        whole block goes. Here the small CNN of the student's reproduction goes from [32, 64, 64] to \
        \(prunedCfg) filters.
        """)

    // MARK: Setup
    notebook.section("Setup")
    let data = try notebook.loadData(pad32: false, trainLimit: recipe.trainLimit, testLimit: nil, modelInput: [1, 28, 28])
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, schedule: .slimming, seed: seed)
    let baseline = Network.smallCNN(cfg: [32, 64, 64], seed: seed)
    notebook.prose("""
        Data: \(data.kind.rawValue), \(data.train.sampleCount) training and \(data.test.sampleCount) test images. \
        SGD, learning rate \(recipe.learningRate) divided by 10 at 50 % and 75 % of the epochs, momentum 0.9, batch \
        \(recipe.batchSize), \(recipe.epochs) epochs.
        """)
    notebook.code(baseline.summary())

    // MARK: 1. Baseline
    notebook.section("1. Train the baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)
    try notebook.checkConvergence("baseline", accuracy: baselineAccuracy,
                                  make: { Network.smallCNN(cfg: [32, 64, 64], seed: seed) }, on: data, config: config)
    notebook.prose("The unpruned CNN reaches **\(baselineAccuracy.percentText)** on the \(data.test.sampleCount) test images.")

    // MARK: 2. Score every filter; sensitivity of each layer
    notebook.section("2. Filter norms and sensitivity")
    notebook.prose("""
        Figure 1 sorts each layer's filters by L1 norm, divided by the largest (Li et al., Figure 2a): a \
        layer whose curve falls steeply has a few strong filters and many weak ones. Figure 2 prunes each \
        layer *alone* by 10 % … 90 % of its filters, smallest norms first, and evaluates without retraining \
        (Figure 2b): flat curves mark layers that tolerate pruning.
        """)
    let norms = FilterL1Norm().scores(of: baseline)
    let sortedNorms = baseline.channelGroups.map { group -> (name: String, values: [Double]) in
        let values = norms[group.name]!.sorted(by: >)
        return (group.name, values.map { Double($0) / max(Double(values.first ?? 1), 1e-12) })
    }
    try notebook.figure("filter-norms", caption: """
        Filters of each layer sorted by L1 norm, normalised by the layer's largest (x: filter rank as a percentage of the layer).
        """, LabCharts.lines(title: "Sorted filter L1 norms", xLabel: "Filter rank (% of layer)", yLabel: "L1 norm / max",
                             series: sortedNorms.map { name, values in
                                 (name, values.indices.map { 100 * Double($0) / Double(max(values.count - 1, 1)) }, values)
                             }))
    // Each trial zeroes a layer's weakest filters, evaluates, and restores them (no copy of the network).
    let sensitivitySet = data.test.stratifiedSubset(count: min(recipe.sensitivityTestLimit, data.test.sampleCount))
    let subsetNote = """
        , measured on a stratified subset of \(sensitivitySet.sampleCount) test images (so the unpruned line may differ \
        a little from the baseline's \(baselineAccuracy.percentText) on all \(data.test.sampleCount))
        """
    let sensitivity = try notebook.step("Sensitivity analysis") {
        try sensitivityAnalysis(of: baseline, criterion: .filterL1Norm) { Trainer.evaluate($0, on: sensitivitySet).accuracy }
    }
    let curves = sensitivity.groups.map { name in
        let curve = sensitivity.curve(for: name)
        return (name, curve.map { $0.fraction * 100 }, curve.map { Double($0.accuracy) * 100 })
    }
    try notebook.figure("sensitivity", caption: """
        Test accuracy when one layer alone loses a fraction of its filters, without fine-tuning\
        \(sensitivitySet.sampleCount < data.test.sampleCount ? subsetNote : ", on all \(data.test.sampleCount) test images").
        """, LabCharts.lines(title: "Sensitivity to pruning", xLabel: "Filters pruned away (%)", yLabel: "Test accuracy (%)",
                             series: curves, referenceY: ("unpruned", Double(sensitivity.baselineAccuracy) * 100)))
    notebook.metric("sensitivity", sensitivity.points.map {
        ["group": $0.group, "fraction": String($0.fraction), "accuracy": String($0.accuracy)]
    })

    // MARK: 3. Prune to the target widths, fine-tune
    notebook.section("3. Prune to \(prunedCfg)")
    // Each conv keeps its filters with the largest L1 norms; the surgery removes the rest with the
    // next conv's input slices, and behind the flatten the Linear layer's 49-column blocks.
    let plan = try PruningPlan.fixedCfg(prunedCfg, for: baseline, criterion: .filterL1Norm)
    let pruned = baseline.clone()
    try applySurgery(plan, to: pruned)
    let prunedAccuracy = notebook.evaluate("pruned", pruned, on: data)
    let filterDiagram = FilterPruningDiagram(network: baseline, plan: plan)
    try notebook.figure("method-diagram", caption: """
        What the plan removes: each conv's filters (blue kept, pale removed) and, under them, the slices of the layer that \
        reads them, at the same positions; behind the flatten every channel owns a block of H·W input columns of the Linear layer.
        """, filterDiagram.diagram)
    notebook.code(pruned.summary())
    // Li et al.'s fine-tuning: a constant hundredth of the training rate for a quarter of its epochs.
    let fineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
    try notebook.train("fine-tune", pruned, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", pruned, on: data)
    try notebook.channelsFigure("channels-per-layer", caption: "Filters per conv layer before and after pruning.",
                                original: baseline, plans: [("kept", plan)], title: "Filters per layer", yLabel: "Filters")

    // MARK: 4. Scratch
    notebook.section("4. The pruned architecture trained from scratch")
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config, seed: seed &+ 1,
                                                run: recipe.runsScratch, cap: recipe.scratchBCap)

    // MARK: 5. Pruning-ratio sweep
    // L1 norm and its random floor prune the trained baseline at every fraction, each with a short fine-tune.
    try notebook.pruningRatioSweep(number: "5", methods: [.l1Norm(baseline), .random(baseline, seed: seed)],
                                   options: options.sweep, on: data, training: config, reference: ("baseline", baselineAccuracy))

    // MARK: Results
    notebook.section("Results")
    notebook.modelTable([("baseline [32, 64, 64]", baseline, baselineAccuracy),
                         ("pruned \(prunedCfg), fine-tuned", pruned, fineTunedAccuracy)], latencyBatch: 64)
    var stages: [(String, Network, Float)] = [("baseline", baseline, baselineAccuracy), ("pruned", pruned, prunedAccuracy),
                                              ("fine-tuned", pruned, fineTunedAccuracy)]
    if let scratch { stages += [("scratch-E", pruned, scratch.scratchE), ("scratch-B", pruned, scratch.scratchB)] }
    try notebook.figure("accuracy-stages", caption: "Test accuracy at each stage.", LabCharts.accuracyBars(stages))
    try notebook.trainingCurvesFigure(notebook.histories)
    notebook.compare("Pruned, fine-tuned − baseline", "finetuned", minus: "baseline",
                     budgets: "\(recipe.epochs) + \(fineTune.epochs) epochs against \(recipe.epochs)")
    if let scratch {
        notebook.compare("Pruned, fine-tuned − scratch-B", "finetuned", minus: "scratch_b",
                         budgets: "\(recipe.epochs) + \(fineTune.epochs) epochs against \(scratch.scratchBEpochs) of the small network")
    }
    notebook.prose("""
        Pruning to \(prunedCfg) drops accuracy from \(baselineAccuracy.percentText) to \(prunedAccuracy.percentText) \
        before fine-tuning; \(fineTune.epochs) epoch(s) of fine-tuning at \(fineTune.learningRate) bring it to \
        \(fineTunedAccuracy.percentText) (\((fineTunedAccuracy - baselineAccuracy).pointsText) points from the baseline, \
        which trained \(recipe.epochs) epochs against the pruned network's \(recipe.epochs) + \(fineTune.epochs)).
        """ + (scratch.map { " " + $0.sentence } ?? ""))

    // MARK: Beside the paper
    notebook.besideThePapers([.l1VGG16, .l1ResNet56B], ours: [
        OurResult(setup: "small CNN [32, 64, 64], \(data.kind.rawValue), \(recipe.epochs) epochs",
                  pruning: "filters to \(prunedCfg)", baseline: baselineAccuracy, pruned: fineTunedAccuracy,
                  saving: savingText(from: baseline, to: pruned)),
    ], differences: [
        ("Data", "CIFAR-10: 50,000 colour training images of 32×32", """
            \(data.kind.rawValue): \(data.train.sampleCount) training images of 28×28
            """),
        ("Network", "VGG-16 and ResNet-56, 13–55 conv layers", "three convs and one Linear, the student's reproduction"),
        ("How much is pruned", "sensitive layers kept, 34 % (VGG-16) or 27.6 % (ResNet-56) of FLOPs removed", """
            every layer to \(prunedCfg), \(savingText(from: baseline, to: pruned)): far harder
            """),
        ("Training", "160 epochs, then 40 of fine-tuning at lr 0.001", """
            \(recipe.epochs) epochs at lr \(recipe.learningRate), then \(fineTune.epochs) at lr \(fineTune.learningRate)
            """),
        ("Runs", "one per number", "seed \(seed) here; a study's summary gives the spread over seeds"),
    ])
}
