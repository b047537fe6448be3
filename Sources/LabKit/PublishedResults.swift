import Networks
import Reports

/// A result a paper or its reference code published, quoted with its source so a report can
/// set ours beside it. Accuracies in percent, as the sources print them; the numbers are
/// checked against the sources in ../shared/papers.md (the project's list), never made up.
public struct PublishedResult: Sendable {
    public let source: Phrase
    /// Model, data set and training length, as the source ran them.
    public let setup: Phrase
    /// What was pruned, e.g. "70 % of channels".
    public let pruning: Phrase
    public let baseline: Double
    public let pruned: Double
    /// What the pruning saved, as the source states it.
    public let saving: Phrase
}

extension PublishedResult {
    /// Network slimming, Liu et al., ICCV 2017, Table 1 (errors 6.34 % → 6.20 %).
    public static let slimmingVGGPaper = PublishedResult(
        source: Phrase(en: "Liu et al., ICCV 2017, Table 1 (error 6.34 → 6.20 %)", zh: "Liu 等，ICCV 2017，表 1（错误率 6.34 → 6.20 %）"),
        setup: Phrase(en: "VGGNet (19 layers), CIFAR-10, 160 epochs, s = 1e-4", zh: "VGGNet（19 层），CIFAR-10，160 个 epoch，s = 1e-4"),
        pruning: Phrase(en: "70 % of channels", zh: "70 % 的通道"), baseline: 93.66, pruned: 93.80,
        saving: Phrase(en: "88.5 % of parameters, 51 % of FLOPs", zh: "参数量 88.5 %，FLOPs 51 %"))
    /// network-slimming's README (its PyTorch re-implementation).
    public static let slimmingVGGCode = PublishedResult(
        source: Phrase(en: "Eric-mingjie/network-slimming README", zh: "Eric-mingjie/network-slimming 的 README"),
        setup: Phrase(en: "VGG-19, CIFAR-10, 160 epochs, s = 1e-4", zh: "VGG-19，CIFAR-10，160 个 epoch，s = 1e-4"),
        pruning: Phrase(en: "70 % of channels", zh: "70 % 的通道"), baseline: 93.77, pruned: 93.78,
        saving: Phrase(en: "parameters 20.04M → 2.25M", zh: "参数量 20.04M → 2.25M"))
    public static let slimmingPreResNetCode = PublishedResult(
        source: Phrase(en: "Eric-mingjie/network-slimming README", zh: "Eric-mingjie/network-slimming 的 README"),
        setup: Phrase(en: "PreResNet-164, CIFAR-10, 160 epochs, s = 1e-5", zh: "PreResNet-164，CIFAR-10，160 个 epoch，s = 1e-5"),
        pruning: Phrase(en: "40 % of channels", zh: "40 % 的通道"), baseline: 94.75, pruned: 95.05,
        saving: Phrase(en: "parameters 1.71M → 1.45M", zh: "参数量 1.71M → 1.45M"))
    /// Network slimming, Liu et al., ICCV 2017, Table 1(a) (errors 6.11 % → 5.19 %; the paper's Torch code).
    public static let slimmingDenseNetPaper = PublishedResult(
        source: Phrase(en: "Liu et al., ICCV 2017, Table 1 (error 6.11 → 5.19 %)", zh: "Liu 等，ICCV 2017，表 1（错误率 6.11 → 5.19 %）"),
        setup: Phrase(en: "DenseNet-40 (k = 12), CIFAR-10, 160 epochs, s = 1e-5",
                      zh: "DenseNet-40（k = 12），CIFAR-10，160 个 epoch，s = 1e-5"),
        pruning: Phrase(en: "40 % of channels", zh: "40 % 的通道"), baseline: 93.89, pruned: 94.81,
        saving: Phrase(en: "35.7 % of parameters (1.02M → 0.66M), 28.4 % of FLOPs (5.33×10⁸ → 3.81×10⁸)",
                       zh: "参数量 35.7 %（1.02M → 0.66M），FLOPs 28.4 %（5.33×10⁸ → 3.81×10⁸）"))
    /// network-slimming's README: `main.py --arch densenet --depth 40`, `denseprune.py --percent 0.4`, `--refine`.
    public static let slimmingDenseNetCode = PublishedResult(
        source: Phrase(en: "Eric-mingjie/network-slimming README", zh: "Eric-mingjie/network-slimming 的 README"),
        setup: Phrase(en: "DenseNet-40, CIFAR-10, 160 epochs, s = 1e-5", zh: "DenseNet-40，CIFAR-10，160 个 epoch，s = 1e-5"),
        pruning: Phrase(en: "40 % of channels", zh: "40 % 的通道"), baseline: 94.11, pruned: 94.32,
        saving: Phrase(en: "parameters 1.07M → 0.69M", zh: "参数量 1.07M → 0.69M"))
    /// Li et al., ICLR 2017, Table 1.
    public static let l1VGG16 = PublishedResult(
        source: Phrase(en: "Li et al., ICLR 2017, Table 1", zh: "Li 等，ICLR 2017，表 1"),
        setup: Phrase(en: "VGG-16, CIFAR-10", zh: "VGG-16，CIFAR-10"),
        pruning: Phrase(en: "pruned-A: conv1 and conv8–13 by 50 %", zh: "pruned-A：conv1 和 conv8–13 各剪 50 %"),
        baseline: 93.25, pruned: 93.40,
        saving: Phrase(en: "34 % of FLOPs", zh: "FLOPs 34 %"))
    public static let l1ResNet56B = PublishedResult(
        source: Phrase(en: "Li et al., ICLR 2017, Table 1", zh: "Li 等，ICLR 2017，表 1"),
        setup: Phrase(en: "ResNet-56, CIFAR-10", zh: "ResNet-56，CIFAR-10"),
        pruning: Phrase(en: "pruned-B: first conv of blocks by 60/30/10 % per stage",
                        zh: "pruned-B：各 stage 中每个残差块的第一个卷积分别剪 60/30/10 %"),
        baseline: 93.04, pruned: 93.06,
        saving: Phrase(en: "27.6 % of FLOPs", zh: "FLOPs 27.6 %"))
    /// Han et al., NeurIPS 2015, Table 1 (errors 1.64 % → 1.59 %).
    public static let magnitudeLeNet300 = PublishedResult(
        source: Phrase(en: "Han et al., NeurIPS 2015, Table 1 (error 1.64 → 1.59 %)", zh: "Han 等，NeurIPS 2015，表 1（错误率 1.64 → 1.59 %）"),
        setup: Phrase(en: "LeNet-300-100, MNIST", zh: "LeNet-300-100，MNIST"),
        pruning: Phrase(en: "92 % of weights", zh: "92 % 的权重"), baseline: 98.36, pruned: 98.41,
        saving: Phrase(en: "12× fewer weights", zh: "权重减少到 1/12"))
}

/// One of our results for the table beside the papers'.
public struct OurResult {
    public let setup: String
    public let pruning: String
    public let baseline: Float
    public let pruned: Float
    public let saving: String

    public init(setup: String, pruning: String, baseline: Float, pruned: Float, saving: String) {
        self.setup = setup
        self.pruning = pruning
        self.baseline = baseline
        self.pruned = pruned
        self.saving = saving
    }
}

extension Notebook {
    /// The section that sets this run beside the published results: one table of both, with
    /// the change each side saw, then "how this run differs from the paper" as a table of
    /// (aspect, the paper, this run), so a reader knows which differences a gap may come from.
    public func besideThePapers(_ published: [PublishedResult], ours: [OurResult],
                                differences: [(aspect: String, paper: String, ours: String)]) {
        let text = PapersText(language: language)
        section(text.title)
        let seedNote = text.thisRun(seed: options.seed)
        var rows: [[TableCell]] = published.map { result in
            [.text(result.source.text(language)), .text(result.setup.text(language)), .text(result.pruning.text(language)),
             .text(String(format: "%.2f", result.baseline)), .text(String(format: "%.2f", result.pruned)),
             .text(String(format: "%+.2f", result.pruned - result.baseline)), .text(result.saving.text(language))]
        }
        rows += ours.map { result in
            [.text(seedNote), .text(result.setup), .text(result.pruning),
             .text(String(format: "%.2f", 100 * result.baseline)), .text(String(format: "%.2f", 100 * result.pruned)),
             .text((result.pruned - result.baseline).pointsText), .text(result.saving)]
        }
        table(headers: text.headers, rows: rows)
        prose(text.scaleNote)
        table(headers: text.differenceHeaders,
              rows: differences.map { [.text($0.aspect), .text($0.paper), .text($0.ours)] })
    }
}

/// What pruning `original` into `pruned` saved, in the published tables' words:
/// "81.2 % of parameters, 62.0 % of MACs".
public func savingText(from original: Network, to pruned: Network, _ language: Language = .en) -> String {
    let before = ModelCost(original), after = ModelCost(pruned)
    let parameters = 1 - Double(after.parameters) / Double(before.parameters)
    let macs = 1 - Double(after.multiplyAccumulates) / Double(before.multiplyAccumulates)
    return PapersText(language: language).saving(parameters: parameters, macs: macs)
}
