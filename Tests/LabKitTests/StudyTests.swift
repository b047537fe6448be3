import Foundation
import Testing
@testable import LabKit

/// A study's jobs, their recipe identity, and the merge of their results.
struct StudyTests {
    @Test func jobArgumentsReplaceTheStudyOptions() {
        let arguments = ["--preset", "smoke", "--seeds", "3", "--jobs=2", "--seed", "5", "--output-dir", "/x", "--quiet",
                         "--percent", "0.6"]
        let job = Study.jobArguments(from: arguments, seed: 7, outputDir: "/x/.prunelab-jobs/lab/seed-7", threads: 1)
        #expect(job == ["--preset", "smoke", "--percent", "0.6", "--seed", "7", "--output-dir", "/x/.prunelab-jobs/lab/seed-7",
                        "--threads", "1", "--quiet"])
    }

    @Test func recipeIdentityIgnoresSeedOutputAndOrder() {
        let a = Study.recipeIdentity(of: ["--preset", "smoke", "--seed", "1", "--percent", "0.6", "--quiet"])
        let b = Study.recipeIdentity(of: ["--percent", "0.6", "--output-dir", "/y", "--seed", "9", "--preset", "smoke", "--threads", "1"])
        #expect(a == b)
        #expect(a != Study.recipeIdentity(of: ["--preset", "smoke", "--percent", "0.7"]))
        #expect(Study.recipeIdentity(of: ["--merge", "a", "b", "--preset", "quick"]) == Study.recipeIdentity(of: ["--preset", "quick"]))
    }

    @Test func meanAndSampleStandardDeviation() {
        let stats = StudyMerge.stats([0.80, 0.82, 0.84])
        #expect(abs(stats.mean - 0.82) < 1e-12)
        #expect(abs(stats.deviation - 0.02) < 1e-12)
        #expect(StudyMerge.stats([0.5]).deviation == 0)
    }

    /// Writes a fake finished job: its JSON and a short report.
    func job(in root: URL, seed: Int, recipe: String, commit: String = "abc", accuracy: Double) throws -> URL {
        let folder = root.appendingPathComponent("seed-\(seed)")
        let reports = folder.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        let metrics: [String: MetricValue] = [
            "accuracy.baseline": .number(accuracy), "accuracy.finetuned": .number(accuracy - 0.01),
            "accuracy_order": .list([.text("accuracy.baseline"), .text("accuracy.finetuned")]),
            "comparisons": .list([.record(["name": .text("fine-tuned − baseline"), "first": .text("accuracy.finetuned"),
                                           "second": .text("accuracy.baseline"), "budgets": .text("2 against 1")])]),
            "run": .record(["seed": .number(Double(seed)), "recipe": .text(recipe), "git_commit": .text(commit)]),
        ]
        try JSONEncoder().encode(metrics).write(to: reports.appendingPathComponent("lab.json"))
        try Data("# Lab\n\nIntro.\n\n## Setup\n\nText.\n\n## Key comparisons\n\n- one seed\n\n## Run details\n".utf8)
            .write(to: reports.appendingPathComponent("lab.md"))
        return folder
    }

    @Test func mergeSumsUpTheFirstJobsConvergenceCheck() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82)].map { try job(in: root, seed: $0.0, recipe: "r", accuracy: $0.1) }
        // Only the first job checked: add its record as the lab would.
        let jsonURL = folders[0].appendingPathComponent("reports/lab.json")
        var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: jsonURL))
        metrics["convergence.baseline"] = .record(["epochs": .number(10), "accuracy": .number(0.80),
                                                   "doubled_accuracy": .number(0.8150), "gain": .number(0.015)])
        try JSONEncoder().encode(metrics).write(to: jsonURL)
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("**Convergence of baseline** (seed 1): 20 epochs reach 81.50% against 80.00% after 10"))
        #expect(report.contains("+1.50 points: **not converged**"))
    }

    @Test func mergeWritesMeanStdAndComparisons() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82), (3, 0.84)].map { try job(in: root, seed: $0.0, recipe: "r", accuracy: $0.1) }
        try StudyMerge.merge(lab: "lab", jobFolders: folders.reversed(), into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("## Summary over 3 seeds"))
        #expect(report.contains("| baseline") && report.contains("82.00 ± 2.00"))
        #expect(report.contains("-1.00 ± 0.00 points"))
        #expect(!report.contains("## Key comparisons"), "the single-run section gives way to the summary")
        #expect(report.range(of: "## Summary")!.lowerBound < report.range(of: "## Setup")!.lowerBound)
        let json = try JSONDecoder().decode([String: MetricValue].self,
                                            from: Data(contentsOf: root.appendingPathComponent("out/reports/lab.json")))
        let baseline = json["summary"]?.record?["accuracy.baseline"]?.record
        #expect(abs((baseline?["mean"]?.number ?? 0) - 0.82) < 1e-12)
        #expect(baseline?["values"]?.list?.compactMap(\.number) == [0.80, 0.82, 0.84])
        #expect(json["seeds"]?.list?.compactMap(\.number) == [1, 2, 3])
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/figures/lab/accuracy-seeds.png").path))
    }

    @Test func mergingOtherRecipesOrCodeIsOneSentenceNamingTheOddJob() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try job(in: root, seed: 1, recipe: "r", accuracy: 0.8)
        let otherRecipe = try job(in: root, seed: 2, recipe: "--percent 0.5", accuracy: 0.8)
        let otherCode = try job(in: root, seed: 3, recipe: "r", commit: "def", accuracy: 0.8)
        for (odd, mentions) in [(otherRecipe, "another recipe"), (otherCode, "ran code def")] {
            #expect {
                try StudyMerge.merge(lab: "lab", jobFolders: [good, odd], into: root.appendingPathComponent("out"))
            } throws: { error in
                let text = "\(error)"
                return text.contains(odd.path) && text.contains(mentions) && !text.contains("\n")
            }
        }
        #expect(throws: LabError.self) {
            try StudyMerge.merge(lab: "lab", jobFolders: [root.appendingPathComponent("nothing")], into: root)
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/reports/lab.md").path), "nothing written")
    }
}
