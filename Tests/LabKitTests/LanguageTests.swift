import Foundation
import Testing
@testable import LabKit

/// `--lang`: parsed like any option, no part of a recipe, passed to every job of a study and to
/// its merge, which then reads and writes the Chinese files.
struct LanguageTests {
    @Test func langParsesAndDefaultsToEnglish() throws {
        #expect(try CommonOptions.parse([]).lang == .en)
        #expect(try CommonOptions.parse(["--lang", "zh"]).lang == .zh)
        #expect(throws: (any Error).self) { try CommonOptions.parse(["--lang", "fr"]) }
    }

    @Test func filesOfEachLanguage() {
        let root = URL(fileURLWithPath: "/out")
        #expect(Language.en.reportFile("vgg-slimming") == "vgg-slimming.md")
        #expect(Language.zh.reportFile("vgg-slimming") == "vgg-slimming.zh.md")
        #expect(Language.zh.reportFile("vgg-slimming", extension: "json") == "vgg-slimming.zh.json")
        #expect(Language.en.figuresFolder("lab", under: root).path == "/out/figures/lab")
        #expect(Language.zh.figuresFolder("lab", under: root).path == "/out/figures/lab/zh")
    }

    /// The language changes no number, so it is no part of the recipe (nor of the stage cache's
    /// key, which knows a stage by its English id).
    @Test func languageIsNoPartOfTheRecipe() {
        #expect(Study.recipeIdentity(of: ["--preset", "smoke", "--lang", "zh"]) == Study.recipeIdentity(of: ["--preset", "smoke"]))
        let stage = Stage(en: "fine-tune", zh: "微调", .zh)
        #expect(stage.id == "fine-tune" && stage.label == "微调")
        #expect(Stage(en: "fine-tune", zh: "微调", .en).label == "fine-tune")
    }

    @Test func studyJobsAndMergeKeepTheLanguage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--preset", "smoke", "--seeds", "2", "--lang", "zh", "--plan", folder.path]
        try Study.plan(lab: "filter-pruning", options: CommonOptions.parse(["--preset", "smoke", "--seeds", "2", "--lang", "zh"]),
                       arguments: arguments, folder: folder)
        let lines = try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains(" --lang zh ") })
        let merge = try String(contentsOf: folder.appendingPathComponent("merge.txt"), encoding: .utf8)
        #expect(merge.contains("--merge") && merge.contains("--lang zh"))
    }

    @Test func chineseMergeWritesTheChineseSummary() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82)].map {
            try StudyTests().job(in: root, seed: $0.0, recipe: "--preset smoke lab=lab", codeTree: "t1", accuracy: $0.1, language: .zh)
        }
        let out = root.appendingPathComponent("out")
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: out, language: .zh)
        let report = try String(contentsOf: out.appendingPathComponent("reports/lab.zh.md"), encoding: .utf8)
        #expect(report.contains("## 2 个随机种子的汇总") && report.contains("种子 1 |") && report.contains("种子 2 |"))
        #expect(report.contains("JSON 中。所有随机种子都在提交 `abc`"), "Chinese sentences follow each other without a space")
        #expect(report.contains("| 基线") && report.contains("81.00 ± 1.41"), "stages by the labels the lab gave them")
        #expect(report.contains("**fine-tuned − baseline**：-1.00 ± 0.00 个百分点（2 against 1）；大于它在各随机种子间的波动，也大于测试集的抽样误差（0.56 个百分点）。"))
        #expect(!report.contains("## 主要对比"), "the single-run comparisons give way to the summary")
        #expect(report.contains("](../figures/lab/zh/accuracy-seeds.png)"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/lab/zh/accuracy-seeds.png").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("reports/lab.md").path))
        #expect(throws: LabError.self) { try StudyMerge.merge(lab: "lab", jobFolders: folders, into: out) }
    }

    @Test func chineseSweepMergeNamesFractionsAndStagesInChinese() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(0.3, 1, 0.80), (0.3, 2, 0.82), (0.5, 1, 0.70), (0.5, 2, 0.74)].map { percent, seed, accuracy in
            try StudyTests().job(in: root, seed: seed, recipe: "--percent \(percent) --preset smoke lab=lab", accuracy: accuracy,
                                 language: .zh)
        }
        let out = root.appendingPathComponent("out")
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: out, language: .zh)
        let report = try String(contentsOf: out.appendingPathComponent("reports/lab.zh.md"), encoding: .utf8)
        #expect(report.contains("## --percent 扫描：2 个剪枝比例，每个比例 2 个随机种子"))
        #expect(report.contains("随机种子为 1、2") && report.contains("| --percent |") && report.contains("基线"))
        #expect(report.contains("](../figures/lab/zh/accuracy-sweep.png)"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/lab/zh/accuracy-sweep.png").path))
    }
}
