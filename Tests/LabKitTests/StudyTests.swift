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

    @Test func sweepJobsReplaceThePercentList() {
        let arguments = ["--preset", "smoke", "--percent", "0.7", "--percents=0.1,0.50"]
        let job = Study.jobArguments(from: arguments, percent: "0.5", seed: 2, outputDir: "/d/jobs/percent-0.5-seed-2", threads: 1)
        #expect(job == ["--preset", "smoke", "--percent", "0.5", "--seed", "2", "--output-dir", "/d/jobs/percent-0.5-seed-2",
                        "--threads", "1", "--quiet"])
        #expect(Study.sweptPercents(in: arguments) == ["0.1", "0.5"])
        #expect(Study.sweptPercents(in: ["--preset", "smoke"]) == nil)
        #expect(Study.splitFraction(ofRecipe: "--percent 0.50 --preset smoke lab=x") == ("0.5", "--preset smoke lab=x"))
    }

    /// The example: a 3-seed × 5-fraction sweep is 15 jobs, each its own command line.
    @Test func planOfASweepHasOneDistinctLinePerSeedAndFraction() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--preset", "smoke", "--seeds", "3", "--percents", "0.1,0.3,0.5,0.7,0.9", "--plan", folder.path]
        try Study.plan(lab: "vgg-slimming", options: CommonOptions.parse(["--preset", "smoke", "--seeds", "3"]),
                       arguments: arguments, folder: folder)
        let lines = try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 15 && Set(lines).count == 15)
        for percent in ["0.1", "0.3", "0.5", "0.7", "0.9"] {
            for seed in 1...3 {
                let id = "percent-\(percent)-seed-\(seed)"
                let matching = lines.filter {
                    $0.contains(" --percent \(percent) --seed \(seed) ") && $0.contains("--output-dir \(folder.path)/jobs/\(id) ")
                }
                #expect(matching.count == 1, "one job for \(id)")
            }
        }
        #expect(!lines.contains { $0.contains("--percents") || $0.contains("--seeds") || $0.contains("--plan") })
        let merge = try String(contentsOf: folder.appendingPathComponent("merge.txt"), encoding: .utf8)
        #expect(merge.contains("--merge") && merge.contains("/jobs/percent-0.9-seed-3"))
    }

    @Test func meanAndSampleStandardDeviation() {
        let stats = StudyMerge.stats([0.80, 0.82, 0.84])
        #expect(abs(stats.mean - 0.82) < 1e-12)
        #expect(abs(stats.deviation - 0.02) < 1e-12)
        #expect(StudyMerge.stats([0.5]).deviation == 0)
    }

    /// Writes a fake finished job: its JSON and a short report, in `language` (a Chinese job's
    /// files are `lab.zh.*`, with the stage labels a Chinese run records; an English job records
    /// `labels` when given, as runs since English labels were recorded do).
    func job(in root: URL, seed: Int, recipe: String, commit: String = "abc", codeTree: String? = nil, accuracy: Double,
             fineTuningLoss: Double = 0.01, language: Language = .en, labels: [String: String]? = nil) throws -> URL {
        let percent = Study.splitFraction(ofRecipe: recipe).percent
        let folder = root.appendingPathComponent((percent.map { "percent-\($0)-" } ?? "") + "seed-\(seed)")
        let reports = folder.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        var metrics: [String: MetricValue] = [
            "accuracy.baseline": .number(accuracy), "accuracy.finetuned": .number(accuracy - fineTuningLoss),
            "accuracy_order": .list([.text("accuracy.baseline"), .text("accuracy.finetuned")]),
            "comparisons": .list([.record(["name": .text("fine-tuned − baseline"), "first": .text("accuracy.finetuned"),
                                           "second": .text("accuracy.baseline"), "budgets": .text("2 against 1")])]),
            "run": .record(["seed": .number(Double(seed)), "recipe": .text(recipe), "git_commit": .text(commit)]
                .merging(codeTree.map { ["code_tree": .text($0)] } ?? [:]) { $1 }),
        ]
        let stageLabels = language == .zh ? ["baseline": "基线", "finetuned": "微调后"] : labels
        if let stageLabels { metrics["accuracy_labels"] = .record(stageLabels.mapValues { .text($0) }) }
        try JSONEncoder().encode(metrics).write(to: reports.appendingPathComponent(language.reportFile("lab", extension: "json")))
        let comparisons = NotebookText(language: language).keyComparisons
        try Data("# Lab\n\nIntro.\n\n## Setup\n\nText.\n\n## \(comparisons)\n\n- one seed\n\n## Run details\n".utf8)
            .write(to: reports.appendingPathComponent(language.reportFile("lab")))
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
        // The summary says what an unconverged baseline does to the comparisons above it.
        #expect(report.contains("flatter a pruned network that trained longer than this baseline"))
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

    @Test func theSummarySaysHowManyStagesTheSeedsReusedFromTheirCaches() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82)].map { try job(in: root, seed: $0.0, recipe: "r", accuracy: $0.1) }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("fresh"))
        let fresh = try String(contentsOf: root.appendingPathComponent("fresh/reports/lab.md"), encoding: .utf8)
        #expect(!fresh.contains("reused from their stage caches"))
        // The second seed ran again from its cache: two of its three stages were reused.
        let jsonURL = folders[1].appendingPathComponent("reports/lab.json")
        var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: jsonURL))
        var run = metrics["run"]?.record ?? [:]
        run["stages"] = .list([.record(["name": .text("Load"), "seconds": .number(0.3)]),
                               .record(["name": .text("Train: baseline"), "seconds": .number(0), "reused_from_cache": .text("yes")]),
                               .record(["name": .text("Train: fine-tune"), "seconds": .number(0), "reused_from_cache": .text("yes")])])
        metrics["run"] = .record(run)
        try JSONEncoder().encode(metrics).write(to: jsonURL)
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("reused"))
        let reused = try String(contentsOf: root.appendingPathComponent("reused/reports/lab.md"), encoding: .utf8)
        #expect(reused.contains("2 of the seeds' 3 stages were reused from their stage caches"), "\(reused)")
    }

    @Test func aStudyNamesItsStagesAsTheLabLabelledThemAndByKeyWhenItRecordedNoLabels() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let labels = ["baseline": "VGG-11 baseline", "finetuned": "L1 fine-tuned"]
        let labelled = try [(1, 0.80), (2, 0.82)].map {
            try job(in: root.appendingPathComponent("labelled"), seed: $0.0, recipe: "r", accuracy: $0.1, labels: labels)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: labelled, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("| VGG-11 baseline ") && report.contains("| L1 fine-tuned "), "\(report)")
        #expect(!report.contains("| finetuned "))
        // Jobs run before English runs recorded their labels keep the keys.
        let older = try [(1, 0.80), (2, 0.82)].map { try job(in: root.appendingPathComponent("older"), seed: $0.0, recipe: "r", accuracy: $0.1) }
        try StudyMerge.merge(lab: "lab", jobFolders: older, into: root.appendingPathComponent("out-older"))
        let olderReport = try String(contentsOf: root.appendingPathComponent("out-older/reports/lab.md"), encoding: .utf8)
        #expect(olderReport.contains("| finetuned "))
    }

    @Test func aDifferenceBelowTheTestSetsSamplingErrorIsWithinNoiseHoweverCloselyTheSeedsAgree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // Every seed loses exactly 0.1 points: the spread over the seeds is 0, but on 10,000 test images two
        // accuracies near 82 % carry a sampling error of √(2 · 0.82 · 0.18 / 10,000) ≈ 0.54 points.
        let close = try [(1, 0.80), (2, 0.82), (3, 0.84)].map {
            try job(in: root.appendingPathComponent("close"), seed: $0.0, recipe: "r", accuracy: $0.1, fineTuningLoss: 0.001)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: close, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("-0.10 ± 0.00 points (2 against 1); within noise: the difference is smaller than the test set's "
                                + "sampling error of a difference, 0.54 points."), "\(report)")
        let json = try JSONDecoder().decode([String: MetricValue].self,
                                            from: Data(contentsOf: root.appendingPathComponent("out/reports/lab.json")))
        let comparison = json["comparisons"]?.list?.first?.record
        #expect(comparison?["within_noise"]?.text == "yes")
        let expected = VerdictNoise.sampling(0.82, 0.819, testImages: 10_000)
        #expect(abs((comparison?["sampling_error"]?.number ?? 0) - expected) < 1e-9)

        // A point's loss in every seed is larger than both.
        let far = try [(1, 0.80), (2, 0.82), (3, 0.84)].map {
            try job(in: root.appendingPathComponent("far"), seed: $0.0, recipe: "r", accuracy: $0.1)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: far, into: root.appendingPathComponent("out-far"))
        let farReport = try String(contentsOf: root.appendingPathComponent("out-far/reports/lab.md"), encoding: .utf8)
        #expect(farReport.contains("-1.00 ± 0.00 points (2 against 1); larger than its spread over the seeds and than the "
                                   + "test set's sampling error (0.55 points)."), "\(farReport)")
    }

    /// The summary says what pruning removed in every seed, each pruned network against its own
    /// baseline, and whether slimming's threshold separated the channels in each seed.
    @Test func mergeSumsUpWhatPruningRemovedAndTheSeparationOfEverySeed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82), (3, 0.84)].map { try job(in: root, seed: $0.0, recipe: "r", accuracy: $0.1) }
        for (folder, (kept, separation)) in zip(folders, [(0.20, 0.002), (0.30, 0.05), (0.40, 0.30)]) {
            let jsonURL = folder.appendingPathComponent("reports/lab.json")
            var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: jsonURL))
            func model(_ parameters: Double, _ macs: Double, channels: Double?) -> MetricValue {
                .record(["parameters": .number(parameters), "macs": .number(macs), "latency_ms": .number(1), "accuracy": .number(0.8)]
                    .merging(channels.map { ["channels": .number($0)] } ?? [:]) { $1 })
            }
            metrics["models.PreResNet-20 baseline"] = model(1000, 4000, channels: 100)
            metrics["models.PreResNet-20 slimmed, fine-tuned"] = model(1000 * kept, 4000 * (kept + 0.1), channels: 60)
            // ResNet-20's baseline is half as large: its pruned network must be set against it, not PreResNet's.
            // Seed 3 ran before channels were recorded, so ResNet's channels are not shown for 2 of 3 seeds.
            let counted = separation < 0.1
            metrics["models.ResNet-20 baseline"] = model(500, 2000, channels: counted ? 80 : nil)
            metrics["models.ResNet-20 L1-pruned, fine-tuned"] = model(250, 1000, channels: counted ? 60 : nil)
            metrics["separation"] = .number(separation)
            try JSONEncoder().encode(metrics).write(to: jsonURL)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("| PreResNet-20 slimmed, fine-tuned | 40.0 ± 0.0 "), "\(report)")
        #expect(report.contains("| 70.0 ± 10.0") && report.contains("| 60.0 ± 10.0"))
        #expect(report.contains("| ResNet-20 L1-pruned, fine-tuned  | –  "), "\(report)")
        #expect(report.contains("| 50.0 ± 0.0"))
        #expect(!report.contains("| PreResNet-20 baseline"), "a baseline removes nothing from itself")
        #expect(report.contains("0.002 (seed 1), 0.050 (seed 2), 0.300 (seed 3); under 0.1 in 2 of 3 seeds only"))
    }

    @Test func aSeedWhoseRunBrokeDownIsLeftOutOfTheComparisonAndNamed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82), (3, 0.84)].map { try job(in: root, seed: $0.0, recipe: "r", accuracy: $0.1) }
        // Seed 2's fine-tuned network broke down in training, and its difference is far off the others.
        let jsonURL = folders[1].appendingPathComponent("reports/lab.json")
        var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: jsonURL))
        metrics["accuracy.finetuned"] = .number(0.30)
        metrics["broken_down"] = .list([.text("accuracy.finetuned")])
        try JSONEncoder().encode(metrics).write(to: jsonURL)
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("-1.00 ± 0.00 points"), "seeds 1 and 3 only")
        #expect(report.contains("Left out: seed 2 (its finetuned broke down in training)"))
        #expect(report.contains("30.00% †") && report.contains("† broke down in training"))
        let json = try JSONDecoder().decode([String: MetricValue].self,
                                            from: Data(contentsOf: root.appendingPathComponent("out/reports/lab.json")))
        let comparison = json["comparisons"]?.list?.first?.record
        #expect(comparison?["left_out"]?.list?.first?.record?["seed"]?.number == 2)

        // When every seed broke down, no difference is given.
        for folder in [folders[0], folders[2]] {
            let url = folder.appendingPathComponent("reports/lab.json")
            var other = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: url))
            other["broken_down"] = .list([.text("accuracy.finetuned")])
            try JSONEncoder().encode(other).write(to: url)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out2"))
        let none = try String(contentsOf: root.appendingPathComponent("out2/reports/lab.md"), encoding: .utf8)
        #expect(none.contains("**fine-tuned − baseline**: no seed gives this comparison."))
        #expect(!none.contains("± 0.00 points ("))
    }

    @Test func mergingASweepSummarisesEachFraction() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(0.5, 1, 0.70), (0.3, 1, 0.80), (0.3, 2, 0.82), (0.5, 2, 0.74)].map { percent, seed, accuracy in
            try job(in: root, seed: seed, recipe: "--percent \(percent) --preset smoke lab=lab", accuracy: accuracy)
        }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("## Sweep over --percent: 2 fractions, 2 seeds each"))
        let rows = report.split(separator: "\n").filter { $0.hasPrefix("| 0.") }
        #expect(rows.count == 4 && rows[0].hasPrefix("| 0.3 ") && rows[0].contains("81.00 ± 1.41")
                && rows[1].contains("72.00 ± 2.83"), "a row per fraction in each table, in order: \(rows)")
        #expect(report.contains("seed 1 at --percent 0.3"), "the walkthrough is the first fraction's first seed")
        #expect(!report.contains("## Summary over"), "no average over different fractions")
        let json = try JSONDecoder().decode([String: MetricValue].self,
                                            from: Data(contentsOf: root.appendingPathComponent("out/reports/lab.json")))
        let fractions = json["sweep"]?.record?["fractions"]?.list?.compactMap(\.record) ?? []
        #expect(fractions.compactMap { $0["percent"]?.number } == [0.3, 0.5])
        #expect(fractions.first?["summary"]?.record?["accuracy.baseline"]?.record?["values"]?.list?.compactMap(\.number) == [0.80, 0.82])
        #expect(json["runs"]?.list?.count == 4 && json["summary"] == nil)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/figures/lab/accuracy-sweep.png").path))
    }

    /// Seeds run in different sessions sit at different commits; they merge when the code that
    /// computes (its tree) is the same, and not when it differs.
    @Test func jobsAtOtherCommitsMergeWhenTheirCodeTreeIsTheSame() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try job(in: root, seed: 1, recipe: "r", commit: "abc", codeTree: "t1", accuracy: 0.8)
        let later = try job(in: root, seed: 2, recipe: "r", commit: "fed", codeTree: "t1", accuracy: 0.81)
        let otherCode = try job(in: root, seed: 3, recipe: "r", commit: "fed", codeTree: "t2", accuracy: 0.81)
        try StudyMerge.merge(lab: "lab", jobFolders: [first, later], into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("on one code tree (`t1`: the same Sources, labs and Package.swift), at commits `abc` (seed 1), `fed` (seed 2)"))
        #expect {
            try StudyMerge.merge(lab: "lab", jobFolders: [first, otherCode], into: root.appendingPathComponent("out2"))
        } throws: { "\($0)".contains("ran code tree t2") && "\($0)".contains(otherCode.path) }
    }

    @Test func mergingOtherRecipesOrCodeIsOneSentenceNamingTheOddJob() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try job(in: root, seed: 1, recipe: "r", accuracy: 0.8)
        let otherRecipe = try job(in: root, seed: 2, recipe: "--percent 0.5", accuracy: 0.8)
        let otherCode = try job(in: root, seed: 3, recipe: "r", commit: "def", accuracy: 0.8)
        // Fractions of a sweep merge per fraction, but only when nothing else differs.
        let sweep = try job(in: root, seed: 1, recipe: "--percent 0.3 --preset smoke", accuracy: 0.8)
        let otherSweep = try job(in: root, seed: 1, recipe: "--percent 0.5 --preset quick", accuracy: 0.8)
        for (first, odd, mentions) in [(good, otherRecipe, "another recipe"), (good, otherCode, "ran code def"),
                                       (sweep, otherSweep, "another recipe")] {
            #expect {
                try StudyMerge.merge(lab: "lab", jobFolders: [first, odd], into: root.appendingPathComponent("out"))
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
