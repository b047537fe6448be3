import Foundation

/// The index of the committed results: `reports/README.md` (one table of every lab's key
/// results, links to the reports, the run details) and the README's results table, both read
/// from `reports/*.json`, so they claim only what the reports measured. `report-index` writes
/// them; `--check` (run by the tests) says when they are out of date.
public enum ReportIndex {
    /// One pruning method of a lab as the tables show it: its accuracy keys (without
    /// `accuracy.`) and the substrings naming its model and its baseline in the lab's model table.
    struct Method {
        let label: Phrase
        let baselineKey: String
        let prunedKey: String
        let fineTunedKey: String
        /// Scratch-B trains this method's pruned architecture (nil when it trains another's).
        let scratchBKey: String?
        let model: String
        let baselineModel: String
    }

    struct Lab {
        let name: String
        /// The lab in the weekly report: its name as the student's 周报 calls it, and what it did.
        let weekly: (name: String, work: String)
        /// The baselines the README's table names, with their labels.
        let baselines: [(key: String, label: String)]
        let methods: [Method]
    }

    /// The labs in the order of the tables.
    static let labs: [Lab] = [
        Lab(name: "weight-pruning", weekly: ("weight-pruning（全连接层剪枝）", """
            对 784-200-200-10 的全连接网络做幅值剪枝（Han 等，2015），并按 L1 范数把隐藏层剪到 [50, 100, 10]，\
            与同样的小网络从头训练对比（Liu 等，2019）。
            """), baselines: [("baseline", "MLP 784-200-200-10")], methods: [
            Method(label: Phrase(en: "[50, 100, 10] fine-tuned", zh: "剪枝到 [50, 100, 10]"), baselineKey: "baseline", prunedKey: "neurons_pruned",
                   fineTunedKey: "neurons_finetuned", scratchBKey: "scratch_b", model: "pruned", baselineModel: "baseline"),
        ]),
        Lab(name: "filter-pruning", weekly: ("filter-pruning（卷积层剪枝）", """
            按 L1 范数把三层卷积网络的卷积核从 [32, 64, 64] 剪到 [8, 16, 32]（Li 等，ICLR 2017）；最后一层卷积层之后的 \
            `Flatten` 需要特殊处理，全连接层的输入从 3136 减到 1568。
            """), baselines: [("baseline", "SmallCNN [32, 64, 64]")], methods: [
            Method(label: Phrase(en: "[8, 16, 32] fine-tuned", zh: "剪枝到 [8, 16, 32]"), baselineKey: "baseline", prunedKey: "pruned", fineTunedKey: "finetuned",
                   scratchBKey: "scratch_b", model: "pruned", baselineModel: "baseline"),
        ]),
        Lab(name: "vgg-slimming", weekly: ("vgg-slimming（VGG 网络瘦身）", """
            对 BatchNorm 的缩放因子 γ 加 L1 惩罚做稀疏训练，用一个全局阈值剪掉通道后微调（Liu 等，ICCV 2017），\
            并与相同计算量下的 L1 范数剪枝和随机剪枝对比。
            """), baselines: [("baseline", "VGG")], methods: [
            Method(label: Phrase(en: "slimmed", zh: "网络瘦身"), baselineKey: "baseline", prunedKey: "pruned", fineTunedKey: "finetuned",
                   scratchBKey: "scratch_b", model: "slimmed", baselineModel: "baseline"),
            Method(label: Phrase(en: "L1 norm", zh: "L1 范数"), baselineKey: "baseline", prunedKey: "l1_pruned", fineTunedKey: "l1_finetuned",
                   scratchBKey: nil, model: "L1-norm", baselineModel: "baseline"),
        ]),
        Lab(name: "resnet-slimming", weekly: ("resnet-slimming（ResNet 剪枝）", """
            对带 Bottleneck 模块和通道选择层的预激活 ResNet 做网络瘦身（network-slimming 的 `resprune.py`），\
            对 BasicBlock 结构的 ResNet 按 L1 范数剪枝（ResNet-56-B 方案）。
            """), baselines: [("preresnet_baseline", "PreResNet"), ("resnet_baseline", "ResNet")], methods: [
            Method(label: Phrase(en: "PreResNet slimmed", zh: "PreResNet 网络瘦身"), baselineKey: "preresnet_baseline", prunedKey: "pruned", fineTunedKey: "finetuned",
                   scratchBKey: "scratch_b", model: "slimmed", baselineModel: "PreResNet-"),
            Method(label: Phrase(en: "ResNet L1 norm", zh: "ResNet L1 范数"), baselineKey: "resnet_baseline", prunedKey: "resnet_l1_pruned",
                   fineTunedKey: "resnet_l1_finetuned", scratchBKey: nil, model: "L1-pruned", baselineModel: "ResNet-"),
        ]),
        Lab(name: "densenet-slimming", weekly: ("densenet-slimming（DenseNet 网络瘦身）", """
            对 DenseNet 做网络瘦身（network-slimming 的 `denseprune.py`）：每层前面的 BatchNorm 的 γ 决定该层读入哪些通道，\
            通道选择层只传递保留的通道，拼接起来的特征图本身不剪。
            """), baselines: [("baseline", "DenseNet")], methods: [
            Method(label: Phrase(en: "slimmed", zh: "网络瘦身"), baselineKey: "baseline", prunedKey: "pruned", fineTunedKey: "finetuned",
                   scratchBKey: "scratch_b", model: "slimmed", baselineModel: "DenseNet-"),
        ]),
        // The quick and standard presets prune VGG-11 (the full preset's VGG-16/19 keys differ and show "–");
        // the lottery tickets are a round-by-round table of their own, in the report only.
        Lab(name: "rethinking", weekly: ("rethinking（剪枝的价值：微调与从头训练）", """
            复现 *Rethinking the Value of Network Pruning* 的核心对比：L1 范数剪枝、网络瘦身、权重级剪枝（VGG）和软滤波器剪枝（ResNet-20）\
            剪完微调，与同样结构从头训练 scratch-E / scratch-B 比较；并在两个学习率下做彩票假设（中奖彩票与随机初始化）。
            """), baselines: [("vgg11_baseline", "VGG-11"), ("resnet_baseline", "ResNet-20")], methods: [
            Method(label: Phrase(en: "L1 norm", zh: "L1 范数"), baselineKey: "vgg11_baseline", prunedKey: "l1_pruned",
                   fineTunedKey: "l1_finetuned", scratchBKey: "l1_scratch_b", model: "L1", baselineModel: "VGG-"),
            Method(label: Phrase(en: "slimmed", zh: "网络瘦身"), baselineKey: "vgg11_baseline", prunedKey: "slimming_pruned",
                   fineTunedKey: "slimming_finetuned", scratchBKey: "slimming_scratch_b", model: "slimmed", baselineModel: "VGG-"),
            Method(label: Phrase(en: "weight-level", zh: "权重级剪枝"), baselineKey: "vgg11_baseline", prunedKey: "weight_level_pruned",
                   fineTunedKey: "weight_level_finetuned", scratchBKey: "weight_level_scratch_b", model: "weight-level",
                   baselineModel: "VGG-"),
            // Soft filter pruning trains the pruned model itself: its "fine-tuned" is the soft-pruned training's result.
            Method(label: Phrase(en: "ResNet soft filter pruning", zh: "ResNet 软滤波器剪枝"), baselineKey: "resnet_baseline",
                   prunedKey: "sfp_pruned", fineTunedKey: "sfp_soft", scratchBKey: "sfp_scratch_b", model: "SFP",
                   baselineModel: "ResNet-"),
        ]),
    ]

    static let readmeStart = "<!-- results:start (swift run report-index --readme) -->"
    static let readmeEnd = "<!-- results:end -->"

    /// A lab's results file: a single run, or a study with its runs and a summary over the seeds.
    struct Results {
        let lab: Lab
        let metrics: [String: MetricValue]
        /// The first line of the lab's report (`# …`), for the links.
        let title: String

        var runs: [[String: MetricValue]] { metrics["runs"]?.list?.compactMap(\.record) ?? [metrics] }
        var first: [String: MetricValue] { runs[0] }
        var run: [String: MetricValue] { first["run"]?.record ?? [:] }
        var preset: String { run["preset"]?.text ?? "?" }
        var seedCount: Int { runs.count }
        /// Minutes of computing behind the results, summed over the runs: each run's wall time with every stage it
        /// reused from the stage cache counted at the time it took to train (a report rewritten from the cache, in
        /// another language say, ran for seconds but stands on the training's minutes).
        var minutes: Double { runs.reduce(0) { $0 + Results.seconds(of: $1["run"]?.record ?? [:]) } / 60 }

        static func seconds(of run: [String: MetricValue]) -> Double {
            let reused = (run["stages"]?.list ?? []).compactMap(\.record).filter { $0["reused_from_cache"]?.text == "yes" }
            let untimed = reused.reduce(0) { $0 + ($1["trained_seconds"]?.number ?? 0) - ($1["seconds"]?.number ?? 0) }
            return (run["wall_seconds"]?.number ?? 0) + untimed
        }

        /// A study's mean ± std, or the single run's value, in %; nil when the JSON lacks it.
        func accuracy(_ key: String) -> String? {
            if let summary = metrics["summary"]?.record?["accuracy." + key]?.record,
               let mean = summary["mean"]?.number, let deviation = summary["std"]?.number {
                return String(format: "%.2f ± %.2f %%", 100 * mean, 100 * deviation)
            }
            return first["accuracy." + key]?.number.map { String(format: "%.2f %%", 100 * $0) }
        }

        /// The model-table records of `method`'s pruned model and its baseline in `run`.
        func models(_ method: Method, in run: [String: MetricValue]) -> (model: [String: MetricValue], baseline: [String: MetricValue])? {
            let models = run.filter { $0.key.hasPrefix("models.") }.sorted { $0.key < $1.key }
                .map { (name: String($0.key.dropFirst("models.".count)), record: $0.value.record ?? [:]) }
            guard let model = models.first(where: { $0.name.contains(method.model) && !$0.name.contains("baseline") }),
                  let baseline = models.first(where: { $0.name.hasPrefix(method.baselineModel) && $0.name.contains("baseline") })
            else { return nil }
            return (model.record, baseline.record)
        }

        /// The fractions of parameters and MACs `method` removed (the same in every run).
        func removed(_ method: Method) -> (parameters: Double, macs: Double)? {
            guard let (model, baseline) = models(method, in: first),
                  let parameters = model["parameters"]?.number, let macs = model["macs"]?.number,
                  let baseParameters = baseline["parameters"]?.number, let baseMACs = baseline["macs"]?.number
            else { return nil }
            return (1 - parameters / baseParameters, 1 - macs / baseMACs)
        }

        /// Baseline latency over the pruned model's, as measured on the run's machine: mean ± std over the runs.
        func speedUp(_ method: Method) -> String? {
            let ratios = runs.compactMap { run -> Double? in
                guard let (model, baseline) = models(method, in: run), let latency = model["latency_ms"]?.number,
                      let baseLatency = baseline["latency_ms"]?.number, latency > 0 else { return nil }
                return baseLatency / latency
            }
            guard !ratios.isEmpty else { return nil }
            let stats = StudyMerge.stats(ratios)
            return ratios.count > 1 ? String(format: "%.2f ± %.2f×", stats.mean, stats.deviation) : String(format: "%.2f×", stats.mean)
        }
    }

    /// Reads `reports/<lab>.json` of every lab that has one, in the tables' order.
    static func read(root: URL) throws -> [Results] {
        let reports = root.appendingPathComponent("reports")
        return try labs.compactMap { lab in
            let url = reports.appendingPathComponent(lab.name + ".json")
            guard let data = try? Data(contentsOf: url) else { return nil }
            guard let metrics = try? JSONDecoder().decode([String: MetricValue].self, from: data) else {
                throw LabError("\(url.path) is not a lab's results; rerun the lab or restore the file")
            }
            let markdown = (try? String(contentsOf: reports.appendingPathComponent(lab.name + ".md"), encoding: .utf8)) ?? ""
            let title = markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? lab.name
            return Results(lab: lab, metrics: metrics, title: title)
        }
    }

    /// The README's table: per lab its preset, seeds and wall time, baselines, pruned networks
    /// and what they removed.
    static func readmeTable(_ results: [Results]) -> String {
        var rows = ["| Lab (preset, seeds, wall time) | Baseline | Pruned | Removed (parameters, MACs) |",
                    "| --- | --- | --- | --- |"]
        for result in results {
            let lab = result.lab
            let removed = lab.methods.compactMap { method in
                result.removed(method).map { String(format: "%@: %.0f %%, %.0f %%", method.label.en, 100 * $0.parameters, 100 * $0.macs) }
            }
            let seeds = "\(result.seedCount) seed\(result.seedCount > 1 ? "s" : "")"
            let baselines = lab.baselines.map { "\($0.label) \(result.accuracy($0.key) ?? "–")" }
            let pruned = lab.methods.map { "\($0.label.en) \(result.accuracy($0.fineTunedKey) ?? "–")" }
            rows.append("| \(lab.name) (\(result.preset), \(seeds), \(String(format: "%.0f", max(result.minutes, 1))) min) | "
                        + baselines.joined(separator: "; ") + " | " + pruned.joined(separator: "; ") + " | "
                        + (removed.isEmpty ? "see the report" : removed.joined(separator: "; ")) + " |")
        }
        return rows.joined(separator: "\n")
    }

    /// `reports/README.md`: every method's key results, the reports, and how each was run.
    static func indexDocument(_ results: [Results]) -> String {
        var lines = [
            "# PruneLab results",
            "",
            "Every lab's key results, read from `reports/*.json` by `swift run report-index` (`make index`), which "
                + "rewrites this page after a lab run. Test accuracies on the full test set: mean ± standard deviation "
                + "over the seeds where a study ran several, else the one run. *Pruned* is right after pruning, "
                + "*fine-tuned* after the method's fine-tuning, *scratch-B* the pruned architecture trained from scratch "
                + "with the baseline's compute (– where the preset did not run it). The speed-up is the baseline's "
                + "latency over the pruned network's, measured on the run's machine.",
            "",
            "| Lab | Method | Baseline | Pruned | Fine-tuned | Scratch-B | Parameters removed | MACs removed | Speed-up | Seeds |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for result in results {
            for method in result.lab.methods {
                lines.append(resultRow(result, method, label: method.label.en, report: "\(result.lab.name).md"))
            }
        }
        lines += ["", "## Reports", ""]
        lines += results.map { "- [\($0.lab.name)](\($0.lab.name).md): \($0.title)" }
        lines += ["", "## Run details", "",
                  "| Lab | Preset | Seeds | Commit | Date | Wall time |", "| --- | --- | --- | --- | --- | --- |"]
        for result in results {
            let commit = result.run["git_commit"]?.text.map { $0.isEmpty ? "–" : "`\($0)`" } ?? "–"
            let seeds = result.runs.compactMap { $0["run"]?.record?["seed"]?.number }.map { String(Int($0)) }
            lines.append("| \(result.lab.name) | \(result.preset) | \(seeds.joined(separator: ", ")) | \(commit) | "
                         + "\(result.run["date"]?.text ?? "–") | \(String(format: "%.0f min", max(result.minutes, 1))) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A row of the results table: lab (linked to `report`), method, accuracies, what was removed, speed-up, seeds.
    static func resultRow(_ result: Results, _ method: Method, label: String, report: String) -> String {
        let removed = result.removed(method)
        let cells = [
            "[\(result.lab.name)](\(report))", label,
            result.accuracy(method.baselineKey) ?? "–", result.accuracy(method.prunedKey) ?? "–",
            result.accuracy(method.fineTunedKey) ?? "–", method.scratchBKey.flatMap(result.accuracy) ?? "–",
            removed.map { String(format: "%.1f %%", 100 * $0.parameters) } ?? "–",
            removed.map { String(format: "%.1f %%", 100 * $0.macs) } ?? "–",
            result.speedUp(method) ?? "–", "\(result.seedCount)",
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    /// `reports/weekly.zh.md`: a one-page 周报 draft in the student's shape, 本周工作 (what each lab
    /// did), 实验结果 (the results table, each lab's key numbers and figures) and 下周计划, left to fill.
    /// Links go to the Chinese report and figures where they exist, else to the English ones.
    static func weeklyDocument(_ results: [Results], root: URL) -> String {
        let reports = root.appendingPathComponent("reports")
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: reports.appendingPathComponent(path).path) }
        func report(_ lab: Lab) -> String { exists("\(lab.name).zh.md") ? "\(lab.name).zh.md" : "\(lab.name).md" }
        func figure(_ lab: Lab, _ file: String) -> String? {
            ["../figures/\(lab.name)/zh/\(file).png", "../figures/\(lab.name)/\(file).png"].first(where: exists)
        }
        var lines = ["# " + WeeklyText.title, "", WeeklyText.note, "", "## " + WeeklyText.work, "", WeeklyText.workIntro(results.count), ""]
        for (index, result) in results.enumerated() {
            lines.append("\(index + 1). **\(result.lab.weekly.name)**：\(result.lab.weekly.work)\(WeeklyText.report(report(result.lab)))")
        }
        lines += ["", "## " + WeeklyText.results, "", WeeklyText.resultsIntro, "",
                  "| " + WeeklyText.headers.joined(separator: " | ") + " |",
                  "|" + String(repeating: " --- |", count: WeeklyText.headers.count)]
        for result in results {
            for method in result.lab.methods { lines.append(resultRow(result, method, label: method.label.zh, report: report(result.lab))) }
        }
        var figureNumber = 0
        for result in results {
            lines += ["", "### " + result.lab.weekly.name, "",
                      "- " + WeeklyText.run(preset: result.preset, seeds: result.seedCount, minutes: result.minutes)]
            for method in result.lab.methods {
                let removed = result.removed(method)
                lines.append("- " + WeeklyText.method(method.label.zh, fineTuned: result.accuracy(method.fineTunedKey) ?? "–",
                                                      baseline: result.accuracy(method.baselineKey) ?? "–",
                                                      parameters: removed?.parameters, macs: removed?.macs))
            }
            let accuracy = figure(result.lab, "accuracy-seeds") == nil ? [WeeklyText.singleRunFigure] : []
            for key in accuracy + WeeklyText.keyFigures {
                guard let link = figure(result.lab, key.file) else { continue }
                figureNumber += 1
                let caption = WeeklyText.caption(figureNumber, lab: result.lab.name, shows: key.shows)
                lines += ["", "![\(result.lab.name) \(key.shows)](\(link))", "", "*\(caption)*"]
            }
        }
        lines += ["", "## " + WeeklyText.plan, ""] + WeeklyText.toFill.enumerated().map { "\($0.offset + 1). \($0.element)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The README with its results table replaced by `table`.
    static func readme(_ text: String, withTable table: String) throws -> String {
        guard let start = text.range(of: readmeStart), let end = text.range(of: readmeEnd),
              start.upperBound <= end.lowerBound else {
            throw LabError("README.md has no results markers (\(readmeStart) … \(readmeEnd)); put them where the table goes")
        }
        return String(text[..<start.upperBound]) + "\n" + table + "\n" + String(text[end.lowerBound...])
    }

    /// What `report-index` writes: each file with its new text (with `language` zh, the weekly report draft).
    public static func outputs(root: URL, readme: Bool, language: Language = .en) throws -> [(url: URL, text: String)] {
        let results = try read(root: root)
        guard !results.isEmpty else { throw LabError("\(root.path)/reports holds no lab results (reports/<lab>.json); run a lab first") }
        if readme {
            let url = root.appendingPathComponent("README.md")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw LabError("cannot read \(url.path)") }
            return [(url, try self.readme(text, withTable: readmeTable(results)))]
        }
        if language == .zh {
            return [(root.appendingPathComponent("reports").appendingPathComponent("weekly.zh.md"), weeklyDocument(results, root: root))]
        }
        return [(root.appendingPathComponent("reports").appendingPathComponent("README.md"), indexDocument(results))]
    }

    /// The files whose text differs from what `report-index` would write (the index, the README and the weekly draft).
    public static func outOfDate(root: URL) throws -> [URL] {
        try (outputs(root: root, readme: false) + outputs(root: root, readme: true) + outputs(root: root, readme: false, language: .zh))
            .filter { url, text in
            (try? String(contentsOf: url, encoding: .utf8)) != text
        }.map(\.url)
    }

    /// Writes the index (or with `readme`, the README's table; with `language` zh, the weekly draft), each file atomically.
    public static func write(root: URL, readme: Bool, language: Language = .en) throws -> [URL] {
        try outputs(root: root, readme: readme, language: language).map { url, text in
            try writeAtomically(Data(text.utf8), to: url)
            return url
        }
    }
}
