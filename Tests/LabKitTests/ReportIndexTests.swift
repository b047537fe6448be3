import Foundation
import LabKit
import Testing
import TestSupport

/// reports/README.md and the README's results table are written from reports/*.json by
/// `report-index`; these fail when a report changed and they were not regenerated, and check
/// what the tables say on results made up for the purpose.
struct ReportIndexTests {
    @Test func committedIndexAndReadmeTableMatchTheReports() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let stale = try ReportIndex.outOfDate(root: root)
        #expect(stale.isEmpty, "out of date: \(stale.map(\.lastPathComponent)); run make index")
    }

    /// A filter-pruning result: one run, or a study of `accuracies.count` seeds.
    func filterResults(accuracies: [Double]) -> String {
        func run(_ seed: Int, _ accuracy: Double) -> String {
            """
            {"accuracy.baseline": 0.9, "accuracy.pruned": 0.6, "accuracy.finetuned": \(accuracy), "accuracy.scratch_b": 0.85,
             "models.baseline [32, 64, 64]": {"parameters": 1000, "macs": 4000, "latency_ms": 8, "accuracy": 0.9},
             "models.pruned [8, 16, 32], fine-tuned": {"parameters": 250, "macs": 400, "latency_ms": \(2 * seed), "accuracy": 0.88},
             "run": {"preset": "standard", "seed": \(seed), "wall_seconds": 600, "git_commit": "abc1234", "date": "2026-12-02"}}
            """
        }
        if accuracies.count == 1 { return run(1, accuracies[0]) }
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        return """
            {"runs": [\(accuracies.enumerated().map { run($0.offset + 1, $0.element) }.joined(separator: ","))],
             "summary": {"accuracy.finetuned": {"mean": \(mean), "std": 0.01}, "accuracy.baseline": {"mean": 0.9, "std": 0.02}},
             "run": {"preset": "standard"}}
            """
    }

    func makeRoot(results: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-index-\(UUID().uuidString)")
        let reports = root.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try Data(results.utf8).write(to: reports.appendingPathComponent("filter-pruning.json"))
        try Data("# L1-norm filter pruning of a small CNN\n".utf8).write(to: reports.appendingPathComponent("filter-pruning.md"))
        let readme = "# X\n\n<!-- results:start (swift run report-index --readme) -->\nold\n<!-- results:end -->\n\nafter\n"
        try Data(readme.utf8).write(to: root.appendingPathComponent("README.md"))
        return root
    }

    @Test func aStudyShowsMeansAndSpreadsAndASingleRunItsValues() throws {
        let study = try makeRoot(results: filterResults(accuracies: [0.87, 0.89]))
        defer { try? FileManager.default.removeItem(at: study) }
        #expect(try ReportIndex.outOfDate(root: study).count == 3, "no file is written yet")
        _ = try ReportIndex.write(root: study, readme: false)
        _ = try ReportIndex.write(root: study, readme: true)
        _ = try ReportIndex.write(root: study, readme: false, language: .zh)
        #expect(try ReportIndex.outOfDate(root: study).isEmpty)
        let index = try String(contentsOf: study.appendingPathComponent("reports/README.md"), encoding: .utf8)
        #expect(index.contains("| [filter-pruning](filter-pruning.md) | [8, 16, 32] fine-tuned | 90.00 ± 2.00 % | 60.00 % | "
                               + "88.00 ± 1.00 % | 85.00 % | 75.0 % | 90.0 % | 3.00 ± 1.41× | 2 |"), "\(index)")
        #expect(index.contains("- [filter-pruning](filter-pruning.md): L1-norm filter pruning of a small CNN"))
        #expect(index.contains("| filter-pruning | standard | 1, 2 | `abc1234` | 2026-12-02 | 20 min |"))
        let readme = try String(contentsOf: study.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| filter-pruning (standard, 2 seeds, 20 min) | SmallCNN [32, 64, 64] 90.00 ± 2.00 % | "
                                + "[8, 16, 32] fine-tuned 88.00 ± 1.00 % | [8, 16, 32] fine-tuned: 75 %, 90 % |"), "\(readme)")
        #expect(readme.hasPrefix("# X\n\n<!-- results:start") && readme.hasSuffix("<!-- results:end -->\n\nafter\n") && !readme.contains("old"))

        let single = try makeRoot(results: filterResults(accuracies: [0.8812]))
        defer { try? FileManager.default.removeItem(at: single) }
        let text = try #require(ReportIndex.outputs(root: single, readme: false).first?.text)
        #expect(text.contains("| 90.00 % | 60.00 % | 88.12 % | 85.00 % | 75.0 % | 90.0 % | 4.00× | 1 |"), "\(text)")
    }

    @Test func stagesReusedFromTheCacheCountAtTheirTrainingTime() throws {
        // A report rewritten from the stage cache: 70 s of replay, but its baseline took 600.5 s to train.
        let replay = filterResults(accuracies: [0.88]).replacingOccurrences(of: "\"wall_seconds\": 600", with: """
            "wall_seconds": 70, "stages": [{"name": "Load", "seconds": 1},
             {"name": "Train: baseline", "reused_from_cache": "yes", "seconds": 0.5, "trained_seconds": 600.5},
             {"name": "Train: fine-tune", "seconds": 30}]
            """)
        let root = try makeRoot(results: replay)
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try ReportIndex.write(root: root, readme: true)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| filter-pruning (standard, 1 seed, 11 min) |"), "670 s, not 70 s: \(readme)")
    }

    @Test func aReadmeWithoutMarkersOrNoResultsIsRefused() throws {
        let root = try makeRoot(results: filterResults(accuracies: [0.88]))
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("# no markers\n".utf8).write(to: root.appendingPathComponent("README.md"))
        #expect(throws: LabError.self) { try ReportIndex.write(root: root, readme: true) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("reports/filter-pruning.json"))
        #expect(throws: LabError.self) { try ReportIndex.write(root: root, readme: false) }
    }

    /// The weekly draft: the student's three sections, the results in Chinese, the lab's figures
    /// (Chinese ones first), and the plan left to fill; no English sentence.
    @Test func weeklyDraftHasTheStudentsSectionsAndTheLabsFigures() throws {
        let root = try makeRoot(results: filterResults(accuracies: [0.87, 0.89]))
        defer { try? FileManager.default.removeItem(at: root) }
        let figures = root.appendingPathComponent("figures/filter-pruning")
        try FileManager.default.createDirectory(at: figures.appendingPathComponent("zh"), withIntermediateDirectories: true)
        try Data().write(to: figures.appendingPathComponent("accuracy-seeds.png"))
        try Data().write(to: figures.appendingPathComponent("zh/accuracy-seeds.png"))
        try Data().write(to: figures.appendingPathComponent("method-diagram.png"))
        try Data("# 小型 CNN 的 L1 范数卷积核剪枝\n".utf8).write(to: root.appendingPathComponent("reports/filter-pruning.zh.md"))
        let written = try ReportIndex.write(root: root, readme: false, language: .zh)
        #expect(written.map(\.lastPathComponent) == ["weekly.zh.md"])
        let weekly = try String(contentsOf: written[0], encoding: .utf8)
        let sections = weekly.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(sections == ["## 本周工作", "## 实验结果", "## 下周计划"])
        #expect(weekly.contains("| [filter-pruning](filter-pruning.zh.md) | 剪枝到 [8, 16, 32] | 90.00 ± 2.00 % | 60.00 % | "
                                + "88.00 ± 1.00 % | 85.00 % | 75.0 % | 90.0 % | 3.00 ± 1.41× | 2 |"), "\(weekly)")
        #expect(weekly.contains("](../figures/filter-pruning/zh/accuracy-seeds.png)"), "the Chinese figure where there is one")
        #expect(weekly.contains("](../figures/filter-pruning/method-diagram.png)"), "else the English one")
        #expect(!weekly.contains("accuracy-stages.png"), "a study shows its seeds chart, and no figure that is not there")
        #expect(weekly.hasSuffix("## 下周计划\n\n1. （待填写）\n2. （待填写）\n3. （待填写）\n"))
        #expect(englishSentences(in: weekly).isEmpty, "\(englishSentences(in: weekly))")
    }
}
