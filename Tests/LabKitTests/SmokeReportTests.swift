import Foundation
import Testing
import TestSupport

/// Checks the reports that `make smoke` wrote with every lab at `--preset smoke`: each report
/// exists, has its JSON results, and every figure it links exists and decodes as a PNG.
/// `make test` runs the smoke labs first and sets PRUNELAB_SMOKE_DIR.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] != nil,
                "needs the smoke reports of `make smoke` (PRUNELAB_SMOKE_DIR)"))
struct SmokeReportTests {
    let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] ?? ".build/smoke")

    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func reportLinksOnlyFiguresThatDecode(lab: String) throws {
        let reportURL = root.appendingPathComponent("reports/\(lab).md")
        let report = try String(contentsOf: reportURL, encoding: .utf8)
        let links = imageLinks(in: report)
        #expect(links.count >= 4, "a lab report shows its figures")
        for link in links {
            let figure = reportURL.deletingLastPathComponent().appendingPathComponent(link).standardizedFileURL
            #expect(figure.path.contains("/figures/\(lab)/"), "figures live in figures/<lab>/")
            let image = try #require(try? DecodedImage(contentsOf: figure), "\(figure.path) must exist and decode as PNG")
            #expect(image.width >= 400 && image.height >= 300)
        }
        #expect(report.contains("## Run details"))
        #expect(report.contains("--preset smoke"))

        let json = try Data(contentsOf: root.appendingPathComponent("reports/\(lab).json"))
        let results = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(results["run"] != nil)
        #expect(results.keys.contains { $0.hasPrefix("accuracy.") })
    }

    /// Every section says something: no heading is followed directly by the next.
    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func noSectionIsEmpty(lab: String) throws {
        let report = try String(contentsOf: root.appendingPathComponent("reports/\(lab).md"), encoding: .utf8)
        let empty = emptySections(in: report)
        #expect(empty.isEmpty, "\(lab): empty sections \(empty)")
    }

    /// Every report sets its numbers beside the published ones and names how its setup differs,
    /// and says whether its baselines' convergence was checked.
    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func reportStandsBesideThePapersAndStatesConvergence(lab: String) throws {
        let report = try String(contentsOf: root.appendingPathComponent("reports/\(lab).md"), encoding: .utf8)
        #expect(report.contains("## Beside the papers") && report.contains("How this run differs from the paper"))
        #expect(report.contains("| this run (seed 1)"))
        #expect(report.contains("converged is not checked in this run"), "smoke does not check, and says so")
    }

    /// Counts of images read as the parameter counts beside them do, with thousands separators
    /// ("10,000 test images"), in both languages.
    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func imageCountsAreGroupedInBothLanguages(lab: String) throws {
        let english = try String(contentsOf: root.appendingPathComponent("reports/\(lab).md"), encoding: .utf8)
        let chinese = try String(contentsOf: root.appendingPathComponent("reports/\(lab).zh.md"), encoding: .utf8)
        #expect(english.contains(",000 test images") || english.contains(",000 images"), "\(lab) names its test set")
        #expect(english.firstMatch(of: /\d{4,} (training|test) images/) == nil, "\(lab): an ungrouped count")
        #expect(chinese.firstMatch(of: /\d{4,} 张/) == nil, "\(lab) (zh): an ungrouped count")
    }

    /// Each report embeds the diagram of its method and the figures of issue 14: training curves per
    /// network, and in the slimming labs |γ| per layer.
    @Test(arguments: [("weight-pruning", ["training-curves"]),
                      ("filter-pruning", ["method-diagram", "training-curves"]),
                      ("vgg-slimming", ["method-diagram", "gamma-per-layer", "training-curves"]),
                      ("resnet-slimming", ["method-diagram", "bottleneck-diagram", "gamma-per-layer", "training-curves"]),
                      ("densenet-slimming", ["method-diagram", "kept-channels", "gamma-per-layer", "training-curves"]),
                      ("rethinking", ["rethinking-table", "tickets-vgg", "tickets-mlp", "training-curves"])])
    func reportEmbedsItsMethodsFigures(lab: String, figures: [String]) throws {
        let report = try String(contentsOf: root.appendingPathComponent("reports/\(lab).md"), encoding: .utf8)
        let links = imageLinks(in: report)
        for figure in figures {
            #expect(links.contains("../figures/\(lab)/\(figure).png"), "\(lab) links \(figure).png")
        }
    }

    /// `make smoke` runs the labs that prune channels with `--sweep on --sweep-fractions 0.5,0.9` (SMOKE_SWEEP):
    /// the report has the sweep's section and figures, and the JSON a point per method and fraction.
    @Test(arguments: [("filter-pruning", ["L1 norm", "random"]), ("vgg-slimming", ["slimming", "L1 norm", "random"]),
                      ("resnet-slimming", ["slimming", "L1 norm", "random"]), ("densenet-slimming", ["slimming", "random"])])
    func reportHasThePruningRatioSweep(lab: String, methods: [String]) throws {
        let report = try String(contentsOf: root.appendingPathComponent("reports/\(lab).md"), encoding: .utf8)
        #expect(report.contains("Pruning-ratio sweep\n") && report.contains("| Removed | Channels kept |"))
        for figure in ["sweep-accuracy", "sweep-cost"] {
            #expect(imageLinks(in: report).contains("../figures/\(lab)/\(figure).png"), "\(lab) links \(figure).png")
            let url = root.appendingPathComponent("figures/\(lab)/\(figure).png")
            #expect((try? DecodedImage(contentsOf: url)) != nil, "\(url.path) decodes as PNG")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("reports/\(lab).json")))
        let sweep = try #require((json as? [String: Any])?["sweep"] as? [String: Any])
        let points = try #require(sweep["points"] as? [[String: Any]])
        #expect(points.compactMap { $0["method"] as? String } == methods.flatMap { [$0, $0] })
        #expect(points.compactMap { $0["fraction"] as? Double } == methods.flatMap { _ in [0.5, 0.9] })
        for point in points {
            let kept = try #require(point["kept_channels"] as? Double), channels = try #require(point["channels"] as? Double)
            #expect(kept >= 1 && kept < channels, "\(lab): \(point)")
        }
    }

    /// Targets of `![alt](target)` links.
    func imageLinks(in markdown: String) -> [String] {
        var links: [String] = []
        var rest = markdown[...]
        while let start = rest.range(of: "](") {
            guard let end = rest[start.upperBound...].firstIndex(of: ")") else { break }
            let before = rest[..<start.lowerBound]
            if let bang = before.lastIndex(of: "!"), rest[bang...].hasPrefix("![") {
                links.append(String(rest[start.upperBound..<end]))
            }
            rest = rest[rest.index(after: end)...]
        }
        return links
    }
}

/// The empty-section finder the smoke reports are checked with.
struct EmptySectionTests {
    @Test func emptySectionsAreFound() {
        let report = "# Lab\n\nIntro.\n\n## 1. Baseline\n\n## 2. Pruning\n\nText.\n\n## Results\n"
        #expect(emptySections(in: report) == ["1. Baseline", "Results"])
    }
}

/// Titles of `##` sections with nothing but blank lines before the next heading or the end.
func emptySections(in markdown: String) -> [String] {
    var empty: [String] = []
    var current: String?
    var hasContent = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("#") {
            if let current, !hasContent { empty.append(current) }
            current = line.hasPrefix("## ") ? String(line.dropFirst(3)) : nil
            hasContent = false
        } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            hasContent = true
        }
    }
    if let current, !hasContent { empty.append(current) }
    return empty
}

/// The smoke study `make study` runs through GNU parallel: two seeds merged into one report.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_STUDY_DIR"] != nil,
                "needs the smoke study of `make study` (PRUNELAB_STUDY_DIR)"))
struct SmokeStudyTests {
    let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PRUNELAB_STUDY_DIR"] ?? ".build/smoke-study")

    @Test func mergedStudyReportHasItsSummaryFiguresAndBothSeeds() throws {
        try checkSmokeStudy(at: root)
    }
}

/// The same smoke study run as a Slurm job array by `make slurm-study` (CI runs it where a
/// one-node Slurm cluster can start): the merge job's report, and a log per task.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_SLURM_STUDY_DIR"].map {
                    FileManager.default.fileExists(atPath: $0 + "/reports/filter-pruning.md") } ?? false,
                "needs the Slurm smoke study of `make slurm-study`, which runs where a local Slurm cluster can start"))
struct SlurmStudyTests {
    let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PRUNELAB_SLURM_STUDY_DIR"] ?? ".build/slurm-study")

    @Test func jobArrayMergedIntoTheSameReport() throws {
        try checkSmokeStudy(at: root)
        let logs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("logs").path)
        #expect(logs.filter { $0.hasPrefix("task-") }.count == 2 && logs.contains { $0.hasPrefix("merge-") },
                "one log per task and the merge's: \(logs)")
    }
}

/// The checks of a merged two-seed smoke study of lab-filter-pruning planned in `root`.
func checkSmokeStudy(at root: URL) throws {
    let reportURL = root.appendingPathComponent("reports/filter-pruning.md")
    let report = try String(contentsOf: reportURL, encoding: .utf8)
    #expect(report.contains("## Summary over 2 seeds") && report.contains("| Seed 1 | Seed 2 |"))
    #expect(emptySections(in: report).isEmpty)
    for name in ["accuracy-seeds", "accuracy-stages", "training-curves"] {
        let figure = root.appendingPathComponent("figures/filter-pruning/\(name).png")
        #expect((try? DecodedImage(contentsOf: figure)) != nil, "\(figure.path) decodes as PNG")
    }
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("reports/filter-pruning.json")))
    let runs = try #require((json as? [String: Any])?["runs"] as? [Any])
    #expect(runs.count == 2)
    let jobs = try String(contentsOf: root.appendingPathComponent("jobs.txt"), encoding: .utf8)
    #expect(Set(jobs.split(separator: "\n")).count == 2, "one distinct command line per seed")
}

/// The Chinese reports `make smoke` wrote with `--lang zh`: `reports/<lab>.zh.md` with its figures
/// in `figures/<lab>/zh/`, every figure it links there and decoding, no English sentence left,
/// and every character of its charts drawn with a glyph (the lab records those without one).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] != nil,
                "needs the smoke reports of `make smoke` (PRUNELAB_SMOKE_DIR)"))
struct ChineseSmokeReportTests {
    let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] ?? ".build/smoke")

    func report(_ lab: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("reports/\(lab).zh.md"), encoding: .utf8)
    }

    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func reportLinksOnlyItsOwnFiguresThatDecode(lab: String) throws {
        let report = try report(lab)
        let links = SmokeReportTests().imageLinks(in: report)
        #expect(links.count >= 4, "a lab report shows its figures")
        for link in links {
            let figure = root.appendingPathComponent("reports").appendingPathComponent(link).standardizedFileURL
            #expect(figure.path.contains("/figures/\(lab)/zh/"), "a Chinese report's figures live in figures/<lab>/zh/: \(link)")
            let image = try #require(try? DecodedImage(contentsOf: figure), "\(figure.path) must exist and decode as PNG")
            #expect(image.width >= 400 && image.height >= 300)
        }
        #expect(report.contains("## 运行信息") && report.contains("## 与论文结果对照"))
        #expect(report.contains("`--convergence-check on`"), "smoke does not check convergence, and says so in Chinese")
        #expect(emptySections(in: report).isEmpty)
    }

    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func noEnglishSentenceIsLeft(lab: String) throws {
        let english = englishSentences(in: try report(lab))
        #expect(english.isEmpty, "\(lab).zh.md still has English: \(english)")
    }

    @Test(arguments: ["weight-pruning", "filter-pruning", "vgg-slimming", "resnet-slimming", "densenet-slimming", "rethinking"])
    func everyChartCharacterHadAGlyph(lab: String) throws {
        let json = try Data(contentsOf: root.appendingPathComponent("reports/\(lab).zh.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let missing = try #require(results["missing_glyphs"] as? String, "a Chinese run records the characters without a glyph")
        #expect(missing.isEmpty, "\(lab): chart text drawn without a glyph (install fonts-noto-cjk): \(missing)")
        #expect(results.keys.contains { $0.hasPrefix("accuracy.") }, "the same numbers as in English")
    }

    @Test(arguments: [("weight-pruning", ["training-curves"]),
                      ("filter-pruning", ["method-diagram", "training-curves"]),
                      ("vgg-slimming", ["method-diagram", "gamma-per-layer", "training-curves"]),
                      ("resnet-slimming", ["method-diagram", "bottleneck-diagram", "gamma-per-layer", "training-curves"]),
                      ("densenet-slimming", ["method-diagram", "kept-channels", "gamma-per-layer", "training-curves"]),
                      ("rethinking", ["rethinking-table", "tickets-vgg", "tickets-mlp", "training-curves"])])
    func reportEmbedsItsMethodsFigures(lab: String, figures: [String]) throws {
        let links = SmokeReportTests().imageLinks(in: try report(lab))
        for figure in figures {
            #expect(links.contains("../figures/\(lab)/zh/\(figure).png"), "\(lab).zh.md links zh/\(figure).png")
        }
    }
}

/// The English-sentence finder the Chinese reports are checked with.
struct EnglishSentenceTests {
    @Test func findsEnglishOutsideCodeMathNumbersAndTitles() {
        let report = """
            # 标题

            本实验（Liu 等，ICCV 2017）剪掉 70% 的通道。This sentence was not translated.

            《Rethinking the Value of Network Pruning》提出了 scratch-B；`--preset standard` 会运行它，$s \\cdot N$ 个权重。

            | 模型 | 参数量 |
            | :--- | ---: |
            | VGG-11 ×0.125 | 1,234 |
            | BasicBlock ResNet-8 | 4,934 |
            | test accuracy | 5 |

            ```
            Layer   Output shape  Param #
            ```

            ## Run details
            """
        #expect(englishSentences(in: report) == ["This sentence was not translated", "test accuracy", "Run details"])
    }
}

/// Fragments of `markdown` written in English: pieces between punctuation (Chinese or ASCII)
/// with no Chinese character and at least two English words, outside fenced code, inline code,
/// math, link targets and titles in 《》. Names (`ResNet-8`, `fashion-mnist`, camel case such as
/// `BasicBlock ResNet`), acronyms (`ICCV`) and numbers are not words of a sentence and pass.
func englishSentences(in markdown: String) -> [String] {
    var found: [String] = []
    var inFence = false
    for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        if rawLine.hasPrefix("```") { inFence.toggle(); continue }
        if inFence { continue }
        var line = String(rawLine)
        for pattern in ["`[^`]*`", "\\$[^$]*\\$", "\\]\\([^)]*\\)", "《[^》]*》", "\\*"] {
            line = line.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        let fragments = line.components(separatedBy: CharacterSet(charactersIn: "。，；：、（）()|!?.,;:[]#-—→=±×/"))
        for fragment in fragments {
            guard !fragment.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) else { continue }
            let words = fragment.split(separator: " ").filter { word in
                word.count >= 2 && word.allSatisfy { $0.isLetter || $0 == "'" } && word.contains { $0.isLowercase }
                    && !word.dropFirst().contains { $0.isUppercase }
            }
            if words.count >= 2 { found.append(fragment.trimmingCharacters(in: .whitespaces)) }
        }
    }
    return found
}
