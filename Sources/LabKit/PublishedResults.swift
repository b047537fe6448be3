import Networks
import Reports

/// A result a paper or its reference code published, quoted with its source so a report can
/// set ours beside it. Accuracies in percent, as the sources print them; the numbers are
/// checked against the sources in ../shared/papers.md (the project's list), never made up.
public struct PublishedResult: Sendable {
    public let source: String
    /// Model, data set and training length, as the source ran them.
    public let setup: String
    /// What was pruned, e.g. "70 % of channels".
    public let pruning: String
    public let baseline: Double
    public let pruned: Double
    /// What the pruning saved, as the source states it.
    public let saving: String
}

extension PublishedResult {
    /// Network slimming, Liu et al., ICCV 2017, Table 1 (errors 6.34 % → 6.20 %).
    public static let slimmingVGGPaper = PublishedResult(
        source: "Liu et al., ICCV 2017, Table 1 (error 6.34 → 6.20 %)", setup: "VGGNet (19 layers), CIFAR-10, 160 epochs, s = 1e-4",
        pruning: "70 % of channels", baseline: 93.66, pruned: 93.80,
        saving: "88.5 % of parameters, 51 % of FLOPs")
    /// network-slimming's README (its PyTorch re-implementation).
    public static let slimmingVGGCode = PublishedResult(
        source: "Eric-mingjie/network-slimming README", setup: "VGG-19, CIFAR-10, 160 epochs, s = 1e-4",
        pruning: "70 % of channels", baseline: 93.77, pruned: 93.78,
        saving: "parameters 20.04M → 2.25M")
    public static let slimmingPreResNetCode = PublishedResult(
        source: "Eric-mingjie/network-slimming README", setup: "PreResNet-164, CIFAR-10, 160 epochs, s = 1e-5",
        pruning: "40 % of channels", baseline: 94.75, pruned: 95.05,
        saving: "parameters 1.71M → 1.45M")
    /// Li et al., ICLR 2017, Table 1.
    public static let l1VGG16 = PublishedResult(
        source: "Li et al., ICLR 2017, Table 1", setup: "VGG-16, CIFAR-10",
        pruning: "pruned-A: conv1 and conv8–13 by 50 %", baseline: 93.25, pruned: 93.40,
        saving: "34 % of FLOPs")
    public static let l1ResNet56B = PublishedResult(
        source: "Li et al., ICLR 2017, Table 1", setup: "ResNet-56, CIFAR-10",
        pruning: "pruned-B: first conv of blocks by 60/30/10 % per stage", baseline: 93.04, pruned: 93.06,
        saving: "27.6 % of FLOPs")
    /// Han et al., NeurIPS 2015, Table 1 (errors 1.64 % → 1.59 %).
    public static let magnitudeLeNet300 = PublishedResult(
        source: "Han et al., NeurIPS 2015, Table 1 (error 1.64 → 1.59 %)", setup: "LeNet-300-100, MNIST",
        pruning: "92 % of weights", baseline: 98.36, pruned: 98.41,
        saving: "12× fewer weights")
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
        section("Beside the papers")
        let seedNote = "this run (seed \(options.seed))"
        var rows: [[TableCell]] = published.map { result in
            [.text(result.source), .text(result.setup), .text(result.pruning),
             .text(String(format: "%.2f", result.baseline)), .text(String(format: "%.2f", result.pruned)),
             .text(String(format: "%+.2f", result.pruned - result.baseline)), .text(result.saving)]
        }
        rows += ours.map { result in
            [.text(seedNote), .text(result.setup), .text(result.pruning),
             .text(String(format: "%.2f", 100 * result.baseline)), .text(String(format: "%.2f", 100 * result.pruned)),
             .text((result.pruned - result.baseline).pointsText), .text(result.saving)]
        }
        table(headers: ["Source", "Setup", "Pruned", "Baseline (%)", "Pruned, fine-tuned (%)", "Change (points)", "Saved"],
              rows: rows)
        prose("""
            The published numbers are CIFAR-10 (or MNIST) results at the papers' scale, quoted from the sources named; \
            they show what the method achieves there, not a target for these smaller runs. **How this run differs from \
            the paper:**
            """)
        table(headers: ["", "Paper", "This run"],
              rows: differences.map { [.text($0.aspect), .text($0.paper), .text($0.ours)] })
    }
}

/// What pruning `original` into `pruned` saved, in the published tables' words:
/// "81.2 % of parameters, 62.0 % of MACs".
public func savingText(from original: Network, to pruned: Network) -> String {
    let before = ModelCost(original), after = ModelCost(pruned)
    let parameters = 1 - Double(after.parameters) / Double(before.parameters)
    let macs = 1 - Double(after.multiplyAccumulates) / Double(before.multiplyAccumulates)
    return String(format: "%.1f %% of parameters, %.1f %% of MACs", 100 * parameters, 100 * macs)
}
