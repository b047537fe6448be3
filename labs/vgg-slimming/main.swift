// lab-vgg-slimming: network slimming of VGG (Liu et al., "Learning Efficient Convolutional
// Networks through Network Slimming", ICCV 2017), compared with L1-norm filter pruning
// (Li et al., ICLR 2017) and with training the pruned architecture from scratch.
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-vgg-slimming", abstract: "Network slimming of VGG, with L1-norm pruning and scratch baselines.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var slimming: SlimmingOptions

    @Option(help: "VGG depth: 11, 13, 16 or 19 (default: the preset's).")
    var depth: Int?

    @Option(help: "L1-norm comparison: 'matched' prunes every layer by one ratio chosen to match slimming's MACs; 'paper' is Li et al.'s VGG-16 recipe (conv1 and conv8–13 by 50 %, needs --depth 16).")
    var l1: String = "matched"

    func validate() throws {
        if let depth, ![11, 13, 16, 19].contains(depth) {
            throw ValidationError("--depth must be 11, 13, 16 or 19 for VGG, got \(depth).")
        }
        guard ["matched", "paper"].contains(l1) else { throw ValidationError("--l1 must be 'matched' or 'paper', got '\(l1)'.") }
        if l1 == "paper" && (depth ?? 0) != 16 { throw ValidationError("--l1 paper is the VGG-16 recipe: add --depth 16.") }
    }
}

/// What each preset runs.
struct Recipe {
    var depth: Int, width: Double
    var trainLimit: Int?, testLimit: Int?
    var epochs: Int, fineTuneEpochs: Int
    var batchSize: Int, learningRate: Float
    var sparsity: Double

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(depth: 11, width: 0.125, trainLimit: 1024, testLimit: 256, epochs: 2, fineTuneEpochs: 1,
                            batchSize: 64, learningRate: 0.05, sparsity: 1e-3)
        case .quick: Recipe(depth: 11, width: 0.25, trainLimit: 10000, testLimit: 2000, epochs: 4, fineTuneEpochs: 8,
                            batchSize: 64, learningRate: 0.05, sparsity: 5e-3)
        case .full: Recipe(depth: 19, width: 1, trainLimit: nil, testLimit: nil, epochs: 160, fineTuneEpochs: 160,
                           batchSize: 64, learningRate: 0.1, sparsity: 1e-4)
        }
    }
}

let options = Options.parseOrExit()
runLab {
    let common = options.common
    var recipe = Recipe.of(common.preset)
    if let depth = options.depth { recipe.depth = depth }
    if let width = options.slimming.width { recipe.width = width }
    if let epochs = common.epochs { recipe.epochs = epochs; recipe.fineTuneEpochs = epochs }
    if let batch = common.batchSize { recipe.batchSize = batch }
    if let lr = common.lr { recipe.learningRate = Float(lr) }
    if let s = options.slimming.sparsity { recipe.sparsity = s }
    let percent = options.slimming.percent ?? 0.7
    let s = Float(recipe.sparsity)

    let notebook = try Notebook(lab: "vgg-slimming", title: "Network slimming of VGG", options: common)
    notebook.prose("""
        Network slimming (Liu et al., ICCV 2017) gives every channel a scaling factor and lets training decide \
        which channels matter. The factor is already there: the $\\gamma$ of the BatchNorm after each convolution, \
        $\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$, $z_{out} = \\gamma \\hat z + \\beta$. Training adds an \
        L1 penalty that pushes many $\\gamma$ to zero:
        """)
    notebook.equation("L = \\sum_{(x,y)} l\\big(f(x, W), y\\big) + s \\sum_{\\gamma \\in \\Gamma} |\\gamma|")
    notebook.prose("""
        Its subgradient is added after every backward pass, $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$ \
        (the seed's `updateBN`). Then one global threshold, the `--percent` quantile of all $|\\gamma|$, decides which \
        channels go; the compact network is rebuilt from the survivors and fine-tuned.
        """)

    notebook.section("Setup")
    let data = try notebook.loadData(pad32: true, trainLimit: recipe.trainLimit, testLimit: recipe.testLimit,
                                     modelInput: nil)
    let input = data.train.sampleShape
    func makeVGG(seed: UInt64) -> Network {
        .vgg(depth: recipe.depth, widthMultiplier: recipe.width, inputShape: input, seed: seed)
    }
    let baseline = makeVGG(seed: common.seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: true, seed: common.seed)
    var fineTune = config
    fineTune.epochs = recipe.fineTuneEpochs
    notebook.prose("""
        VGG-\(recipe.depth) at width ×\(recipe.width) (cfg \(baseline.cfg)) on \(data.kind.rawValue) \
        (\(data.train.sampleCount) training, \(data.test.sampleCount) test images of shape \(input), zero-padded to 32×32 \
        where smaller, random crop and flip). SGD with momentum 0.9, weight decay 1e-4, learning rate \(recipe.learningRate) \
        divided by 10 at 50 % and 75 % of the epochs, batch \(recipe.batchSize), \(recipe.epochs) epochs per training stage, \
        \(recipe.fineTuneEpochs) for fine-tuning. Sparsity $s$ = \(recipe.sparsity)\
        \(common.preset == .full ? "." : ": much stronger than the paper's 1e-4, because the paper applies it for 160 epochs of 782 steps and a few short epochs barely move γ at 1e-4; each step moves γ by about lr·s, so a short run needs a larger s to push the unimportant factors to zero.")
        """)
    notebook.code(baseline.summary())

    notebook.section("1. Baseline")
    try notebook.train("baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("baseline", baseline, on: data)

    notebook.section("2. Sparsity training, global threshold and pruning")
    notebook.prose("The same network from the same initialisation, trained with the L1 penalty on every γ; then the global threshold.")
    let outcome = try notebook.slim(makeVGG(seed: common.seed), baseline: baseline, on: data, config: config,
                                    laterConfig: fineTune, sparsity: s, percent: percent, passes: options.slimming.passes)
    let slim = outcome.network
    let (sparseAccuracy, prunedAccuracy) = (outcome.sparseAccuracy, outcome.prunedAccuracy)

    notebook.section("3. Fine-tune the slimmed network")
    try notebook.train("fine-tune", slim, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data)
    notebook.code(slim.summary())

    notebook.section("4. L1-norm filter pruning for comparison")
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let l1Pruned = baseline.clone()
    let l1Plan: PruningPlan
    if options.l1 == "paper" {
        let convs = l1Pruned.channelGroups.map(\.name)
        let chosen = [0] + Array(7..<13)
        l1Plan = try PruningPlan.ratios(Dictionary(uniqueKeysWithValues: chosen.map { (convs[$0], 0.5) }), for: l1Pruned)
        notebook.prose("Li et al.'s VGG-16 recipe: conv1 and conv8–conv13 lose the half of their filters with the smallest L1 norms.")
    } else {
        let target = ModelCost(slim).multiplyAccumulates
        l1Plan = try PruningPlan.ratio(matchingMACs: target, of: l1Pruned)
        notebook.prose(String(format: """
            Every conv loses the same fraction of its filters, those with the smallest L1 norms, the fraction chosen \
            so that the pruned network has about the slimmed one's multiply-accumulates (%.1f%% of the baseline's).
            """, 100 * Double(target) / Double(baselineMACs)))
    }
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("l1_pruned", l1Pruned, on: data)
    notebook.explainPruningDrop(before: baselineAccuracy, after: l1PrunedAccuracy)
    try notebook.train("L1 fine-tune", l1Pruned, on: data, config: fineTune)
    let l1Accuracy = notebook.evaluate("l1_finetuned", l1Pruned, on: data)
    try notebook.channelsFigure("channels-per-layer", caption: "Channels of every conv layer: original, kept by slimming, kept by L1-norm pruning.",
                                original: baseline, plans: [("slimming", outcome.combinedPlan),
                                                            ("L1 norm", l1Plan)],
                                groupLabel: { name in "conv\((baseline.channelGroups.firstIndex { $0.name == name } ?? 0) + 1)" })

    notebook.section("5. The slimmed architecture trained from scratch")
    let scratch = try notebook.trainFromScratch(slim, baselineMACs: baselineMACs, on: data, config: config, seed: common.seed &+ 7)

    notebook.section("Results")
    notebook.modelTable([("baseline", baseline, baselineAccuracy), ("slimmed, fine-tuned", slim, fineTunedAccuracy),
                         ("L1-norm pruned, fine-tuned", l1Pruned, l1Accuracy)], latencyBatch: 64)
    let stages = ["baseline": baselineAccuracy, "sparsity-trained": sparseAccuracy, "pruned": prunedAccuracy,
                  "fine-tuned": fineTunedAccuracy, "scratch-E": scratch.scratchE, "scratch-B": scratch.scratchB,
                  "L1 pruned": l1PrunedAccuracy, "L1 fine-tuned": l1Accuracy]
    try notebook.figure("accuracy-stages", caption: "Test accuracy at every stage.",
                        LabCharts.accuracyBars(stages, order: ["baseline", "sparsity-trained", "pruned", "fine-tuned",
                                                               "scratch-E", "scratch-B", "L1 pruned", "L1 fine-tuned"]),
                        width: 1000)
    try notebook.figure("training-curves", caption: "Test accuracy per epoch of every training stage.",
                        LabCharts.trainingCurves(notebook.histories))
    notebook.prose(String(format: """
        The baseline reaches %.2f%%. Sparsity training costs %+.2f points; pruning %.0f%% of the channels by the \
        global |γ| threshold leaves %.2f%% before fine-tuning and %.2f%% after (%+.2f points from the baseline). \
        The same architecture trained from scratch reaches %.2f%% (scratch-E, %d epochs) and %.2f%% (scratch-B, %d epochs); \
        L1-norm pruning at a similar cost reaches %.2f%% after fine-tuning.
        """, baselineAccuracy * 100, (sparseAccuracy - baselineAccuracy) * 100, percent * 100, prunedAccuracy * 100,
        fineTunedAccuracy * 100, (fineTunedAccuracy - baselineAccuracy) * 100, scratch.scratchE * 100, recipe.epochs,
        scratch.scratchB * 100, scratch.scratchBEpochs, l1Accuracy * 100))
    try notebook.finish()
}
