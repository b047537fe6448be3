// lab-resnet-slimming (the default lab): network slimming of a pre-activation ResNet with
// Bottleneck blocks and channel selection (Liu et al., ICCV 2017, as network-slimming's
// resprune.py), and L1-norm pruning of a BasicBlock ResNet (Li et al., ICLR 2017, as
// rethinking-network-pruning's res56prune.py).
import ArgumentParser
import LabKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab-resnet-slimming", abstract: "Network slimming of a pre-activation ResNet and L1-norm pruning of a BasicBlock ResNet.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var slimming: SlimmingOptions

    @Option(help: "Depth of the pre-activation ResNet, 9n+2 (default: the preset's; the paper's is 164).")
    var depth: Int?

    @Option(help: "Depth of the BasicBlock ResNet pruned by L1 norm, 6n+2 (default: the preset's; the paper's is 56).")
    var l1Depth: Int?

    @Option(help: "Fractions of the first conv's filters removed in each block of the three stages, comma-separated (Li et al.'s ResNet-56-B: 0.6,0.3,0.1).")
    var l1Ratios: String = "0.6,0.3,0.1"

    @Option(help: "Conv layers left whole, numbered as res56prune.py (stem = 1, block b's first conv = 2b+2), comma-separated; default: ResNet-56-B's 16,18,20,34,38,54 for depth 56, none otherwise.")
    var l1Skip: String?

    var ratios: [Double] { l1Ratios.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        if let depth, depth < 11 || (depth - 2) % 9 != 0 {
            throw ValidationError("--depth must be 9n+2 for the pre-activation ResNet (11, 20, 29, …, 164), got \(depth).")
        }
        if let l1Depth, l1Depth < 8 || (l1Depth - 2) % 6 != 0 {
            throw ValidationError("--l1-depth must be 6n+2 for the BasicBlock ResNet (8, 14, 20, …, 56), got \(l1Depth).")
        }
        guard ratios.count == 3, ratios.allSatisfy({ (0..<1).contains($0) }) else {
            throw ValidationError("--l1-ratios needs three fractions in [0, 1), e.g. 0.6,0.3,0.1; got '\(l1Ratios)'.")
        }
        if let l1Skip, l1Skip.split(separator: ",").contains(where: { Int($0.trimmingCharacters(in: .whitespaces)) == nil }) {
            throw ValidationError("--l1-skip needs whole numbers separated by commas, e.g. 16,18,20; got '\(l1Skip)'.")
        }
    }
}

/// What each preset runs.
struct Recipe {
    var depth: Int, l1Depth: Int, width: Double
    var trainLimit: Int?, testLimit: Int?
    var epochs: Int, fineTuneEpochs: Int
    var batchSize: Int, learningRate: Float
    var sparsity: Double

    static func of(_ preset: Preset) -> Recipe {
        switch preset {
        case .smoke: Recipe(depth: 11, l1Depth: 8, width: 0.25, trainLimit: 1024, testLimit: 256, epochs: 2,
                            fineTuneEpochs: 1, batchSize: 64, learningRate: 0.05, sparsity: 1e-3)
        case .quick: Recipe(depth: 20, l1Depth: 20, width: 0.5, trainLimit: 5000, testLimit: 1500, epochs: 4,
                            fineTuneEpochs: 6, batchSize: 64, learningRate: 0.1, sparsity: 2e-3)
        case .full: Recipe(depth: 164, l1Depth: 56, width: 1, trainLimit: nil, testLimit: nil, epochs: 160,
                           fineTuneEpochs: 160, batchSize: 64, learningRate: 0.1, sparsity: 1e-5)
        }
    }
}

let options = Options.parseOrExit()
runLab {
    let common = options.common
    var recipe = Recipe.of(common.preset)
    if let depth = options.depth { recipe.depth = depth }
    if let depth = options.l1Depth { recipe.l1Depth = depth }
    if let width = options.slimming.width { recipe.width = width }
    if let epochs = common.epochs { recipe.epochs = epochs; recipe.fineTuneEpochs = epochs }
    if let batch = common.batchSize { recipe.batchSize = batch }
    if let lr = common.lr { recipe.learningRate = Float(lr) }
    if let s = options.slimming.sparsity { recipe.sparsity = s }
    let percent = options.slimming.percent ?? 0.4
    let s = Float(recipe.sparsity)

    let notebook = try Notebook(lab: "resnet-slimming", title: "Network slimming and L1-norm pruning of ResNets", options: common)
    notebook.prose("""
        Residual networks make channel pruning harder: a block's output is added to its input, so the channels \
        of the residual stream are shared by every block of a stage and cannot be removed one layer at a time. \
        This lab prunes two ResNets in the two ways the seed reproduces:
        """)
    notebook.bullets([
        "**Network slimming** of a pre-activation ResNet-\(recipe.depth) with Bottleneck blocks (Liu et al., ICCV 2017): BatchNorm γ are pushed towards zero by an L1 penalty, one global threshold on |γ| picks the channels. Inside a block, conv1's and conv2's filters go with their BatchNorms. The block's *input* channels are shared, so a `ChannelSelection` layer after the block's first BatchNorm passes on only the kept ones and conv1 loses the matching input slices, while the residual stream stays whole (network-slimming's `resprune.py`).",
        "**L1-norm filter pruning** of a BasicBlock ResNet-\(recipe.l1Depth) (Li et al., ICLR 2017): in each block only the first conv's filters are pruned, by the L1 norm of their weights, with one ratio per stage, and sensitive layers left whole (rethinking-network-pruning's `res56prune.py -v B`).",
    ])

    notebook.section("Setup")
    let data = try notebook.loadData(pad32: true, trainLimit: recipe.trainLimit, testLimit: recipe.testLimit, modelInput: nil)
    let input = data.train.sampleShape
    func makePreResNet(seed: UInt64) -> Network {
        .preresnet(depth: recipe.depth, widthMultiplier: recipe.width, inputShape: input, seed: seed)
    }
    let baseline = makePreResNet(seed: common.seed)
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: true, seed: common.seed)
    var fineTune = config
    fineTune.epochs = recipe.fineTuneEpochs
    notebook.prose("""
        \(data.kind.rawValue): \(data.train.sampleCount) training and \(data.test.sampleCount) test images of shape \(input) \
        (zero-padded to 32×32 where smaller; random crop and flip). Both ResNets at width ×\(recipe.width). SGD with momentum \
        0.9, weight decay 1e-4, learning rate \(recipe.learningRate) divided by 10 at 50 % and 75 % of the epochs, batch \
        \(recipe.batchSize), \(recipe.epochs) epochs per training stage and \(recipe.fineTuneEpochs) for fine-tuning. \
        Sparsity $s$ = \(recipe.sparsity)\
        \(common.preset == .full ? "." : ": stronger than the paper's 1e-5, which is spread over 160 epochs; in a few short epochs γ would barely move (each step moves it by about lr·s).")
        """)
    notebook.code(baseline.summary())

    // MARK: Part A: slimming
    notebook.section("A1. Baseline pre-activation ResNet-\(recipe.depth)")
    try notebook.train("PreResNet baseline", baseline, on: data, config: config)
    let baselineAccuracy = notebook.evaluate("preresnet_baseline", baseline, on: data)

    notebook.section("A2. Sparsity training, global threshold and channel selection")
    let outcome = try notebook.slim(makePreResNet(seed: common.seed), baseline: baseline, on: data, config: config,
                                    laterConfig: fineTune, sparsity: s, percent: percent, passes: options.slimming.passes)
    let slim = outcome.network
    let (sparseAccuracy, prunedAccuracy) = (outcome.sparseAccuracy, outcome.prunedAccuracy)
    let slimmingPlan = outcome.combinedPlan
    try notebook.channelsFigure("channels-per-layer", caption: "Channels of every prunable layer of the pre-activation ResNet: original and kept by slimming. `sel` is the channel selection in front of a block's conv1, `c1` and `c2` are the filters of conv1 and conv2.",
                                original: baseline, plans: [("slimming", slimmingPlan)], groupLabel: shortGroupName)

    notebook.section("A3. Fine-tune and train from scratch")
    try notebook.train("fine-tune", slim, on: data, config: fineTune)
    let fineTunedAccuracy = notebook.evaluate("finetuned", slim, on: data)
    notebook.code(slim.summary())
    let baselineMACs = ModelCost(baseline).multiplyAccumulates
    let scratch = try notebook.trainFromScratch(slim, baselineMACs: baselineMACs, on: data, config: config, seed: common.seed &+ 7)

    // MARK: Part B: L1-norm pruning of the BasicBlock ResNet
    notebook.section("B1. BasicBlock ResNet-\(recipe.l1Depth) and L1-norm pruning")
    let resnet = Network.resnet(depth: recipe.l1Depth, widthMultiplier: recipe.width, inputShape: input, seed: common.seed)
    try notebook.train("ResNet baseline", resnet, on: data, config: config)
    let resnetAccuracy = notebook.evaluate("resnet_baseline", resnet, on: data)
    let blocksPerStage = (recipe.l1Depth - 2) / 6
    let skipped = Set(options.l1Skip.map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
                      ?? (recipe.l1Depth == 56 ? [16, 18, 20, 34, 38, 54] : []))
    // res56prune.py numbers convs from 1 (the stem); block b's first conv is 2b + 2.
    var fractions: [String: Double] = [:]
    for (block, group) in resnet.channelGroups.enumerated() where !skipped.contains(2 * block + 2) {
        fractions[group.name] = options.ratios[min(block / blocksPerStage, 2)]
    }
    let l1Plan = try PruningPlan.ratios(fractions, for: resnet, criterion: .filterL1Norm)
    notebook.prose("""
        Ratios per stage \(options.ratios); conv layers left whole: \(skipped.isEmpty ? "none" : skipped.sorted().map(String.init).joined(separator: ", ")). \
        Each block's first conv keeps ⌊n·(1 − ratio)⌋ of its n filters, those with the largest L1 norms; its BatchNorm and \
        the second conv's input slices follow. Block outputs, tied to the shortcuts, stay whole.
        """)
    let l1Pruned = resnet.clone()
    try applySurgery(l1Plan, to: l1Pruned)
    let l1PrunedAccuracy = notebook.evaluate("resnet_l1_pruned", l1Pruned, on: data)
    notebook.explainPruningDrop(before: resnetAccuracy, after: l1PrunedAccuracy)
    try notebook.train("ResNet L1 fine-tune", l1Pruned, on: data, config: fineTune)
    let l1Accuracy = notebook.evaluate("resnet_l1_finetuned", l1Pruned, on: data)
    try notebook.channelsFigure("resnet-l1-channels", caption: "Inner channels (first conv's filters) of every block of the BasicBlock ResNet: original and kept by L1-norm pruning.",
                                original: resnet, plans: [("L1 norm", l1Plan)], groupLabel: shortGroupName)

    // MARK: Results
    notebook.section("Results")
    notebook.modelTable([("PreResNet-\(recipe.depth) baseline", baseline, baselineAccuracy),
                         ("PreResNet-\(recipe.depth) slimmed, fine-tuned", slim, fineTunedAccuracy)], latencyBatch: 64)
    notebook.modelTable([("ResNet-\(recipe.l1Depth) baseline", resnet, resnetAccuracy),
                         ("ResNet-\(recipe.l1Depth) L1-pruned, fine-tuned", l1Pruned, l1Accuracy)], latencyBatch: 64)
    let stages = ["baseline": baselineAccuracy, "sparsity-trained": sparseAccuracy, "pruned": prunedAccuracy,
                  "fine-tuned": fineTunedAccuracy, "scratch-E": scratch.scratchE, "scratch-B": scratch.scratchB,
                  "ResNet": resnetAccuracy, "ResNet L1 pruned": l1PrunedAccuracy, "ResNet L1 fine-tuned": l1Accuracy]
    try notebook.figure("accuracy-stages", caption: "Test accuracy at every stage: the slimming stages of the pre-activation ResNet, then the BasicBlock ResNet before and after L1-norm pruning.",
                        LabCharts.accuracyBars(stages, order: ["baseline", "sparsity-trained", "pruned", "fine-tuned", "scratch-E",
                                                               "scratch-B", "ResNet", "ResNet L1 pruned", "ResNet L1 fine-tuned"]),
                        width: 1100)
    try notebook.figure("training-curves", caption: "Test accuracy per epoch of every training stage.",
                        LabCharts.trainingCurves(notebook.histories))
    notebook.prose(String(format: """
        Slimming: the baseline reaches %.2f%%, sparsity training %.2f%%; pruning %.0f%% of the channels leaves %.2f%% before \
        and %.2f%% after fine-tuning (%+.2f points from the baseline). Trained from scratch, the slimmed architecture reaches \
        %.2f%% (scratch-E) and %.2f%% (scratch-B, %d epochs). L1-norm pruning of ResNet-%d: %.2f%% → %.2f%% right after pruning \
        → %.2f%% after fine-tuning.
        """, baselineAccuracy * 100, sparseAccuracy * 100, percent * 100, prunedAccuracy * 100, fineTunedAccuracy * 100,
        (fineTunedAccuracy - baselineAccuracy) * 100, scratch.scratchE * 100, scratch.scratchB * 100, scratch.scratchBEpochs,
        recipe.l1Depth, resnetAccuracy * 100, l1PrunedAccuracy * 100, l1Accuracy * 100))
    try notebook.finish()
}

/// `layer2.1 (c1)`-style names are long; charts show `2.1 c1`, `2.1 sel`, `final`.
func shortGroupName(_ name: String) -> String {
    if name == "select" { return "final sel" }
    return name.replacingOccurrences(of: "layer", with: "")
        .replacingOccurrences(of: ".select", with: " sel")
        .replacingOccurrences(of: ".conv1", with: " c1")
        .replacingOccurrences(of: ".conv2", with: " c2")
}
