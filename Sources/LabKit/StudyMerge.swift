import Foundation
import Reports

/// Merges the jobs of a study (one lab, one recipe, several seeds) into one report: the first
/// job's walkthrough with a summary over the seeds at the top (mean ± standard deviation of
/// every accuracy, an error-bar chart, the lab's comparisons and whether each is within
/// noise), and every job's numbers in the JSON. The jobs of a sweep (one recipe at several
/// `--percent`) are summarised per fraction instead: a table and a curve of accuracy against
/// the fraction. Needs no training and can be repeated.
public enum StudyMerge {
    /// One job's results as the merge reads them.
    struct Job {
        let folder: URL
        let metrics: [String: MetricValue]
        let markdown: String

        var seed: UInt64 { UInt64(run["seed"]?.number ?? 0) }
        var run: [String: MetricValue] { metrics["run"]?.record ?? [:] }
        var recipe: String { run["recipe"]?.text ?? "" }
        /// The code the job ran: its code tree (equal across commits that changed no code), else its commit.
        var codeVersion: String {
            if let tree = run["code_tree"]?.text, !tree.isEmpty { return "tree " + tree }
            return run["git_commit"]?.text ?? ""
        }
        var accuracies: [String: Double] {
            metrics.compactMapValues(\.number).filter { $0.key.hasPrefix("accuracy.") }
        }
        /// The fraction pruned when the job's command line set it (every job of a sweep does).
        var percent: String? { Study.splitFraction(ofRecipe: recipe).percent }
        /// Accuracy keys (`accuracy.scratch_b`) of networks that broke down in training.
        var brokenDown: [String] { metrics["broken_down"]?.list?.compactMap(\.text) ?? [] }
        /// The report's name of an accuracy (key without `accuracy.`), recorded by a Chinese run.
        var labels: [String: String] { metrics["accuracy_labels"]?.record?.compactMapValues(\.text) ?? [:] }
    }

    /// Reads the jobs in `jobFolders` (each a job's `--output-dir`), checks they are one recipe
    /// (or one sweep) at one code version, and writes `<root>/reports/<lab>.md`, `.json` and the figures.
    public static func merge(lab: String, jobFolders: [URL], into root: URL, language: Language = .en) throws {
        let jobs = try jobFolders.map { try read(lab: lab, folder: $0, language: language) }
        let fractions = try groupByFraction(jobs)
        let reports = root.appendingPathComponent("reports")
        let figures = language.figuresFolder(lab, under: root)
        for folder in [reports, figures] { try Notebook.ensureWritable(folder) }

        var section = MarkdownDocument(folder: reports)
        let text = StudyText(language: language)
        let figuresLink = "../figures/\(lab)/" + (language == .en ? "" : language.rawValue + "/")
        let charts = fractions.count == 1 ? try seedsSection(fractions[0], figuresLink: figuresLink, text: text, into: &section)
            : [try sweepSection(fractions, figuresLink: figuresLink, text: text, into: &section)]

        // The first job's figures go beside the merged report, so its links still hold.
        let first = fractions[0][0]
        let jobFigures = language.figuresFolder(lab, under: first.folder)
        var pngs: [(URL, Data)] = charts.map { (figures.appendingPathComponent($0.name), $0.png) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: jobFigures.path)) ?? [] where name.hasSuffix(".png") {
            pngs.append((figures.appendingPathComponent(name), try Data(contentsOf: jobFigures.appendingPathComponent(name))))
        }
        let markdown = insert(section.render(relativeTo: reports), intoWalkthrough: first.markdown,
                              comparisonsTitle: NotebookText(language: language).keyComparisons)
        let json = try mergedJSON(fractions)
        for (url, data) in pngs { try writeAtomically(data, to: url) }
        try writeAtomically(json, to: reports.appendingPathComponent(language.reportFile(lab, extension: "json")))
        try writeAtomically(Data(markdown.utf8), to: reports.appendingPathComponent(language.reportFile(lab)))
        print("Merged \(jobs.count) jobs: \(reports.appendingPathComponent(language.reportFile(lab)).path)")
    }

    /// The summary over the seeds of one recipe: a table, the comparisons and an error-bar chart,
    /// and the pruning-ratio sweep over the seeds when the jobs ran one.
    static func seedsSection(_ jobs: [Job], figuresLink: String, text: StudyText,
                             into section: inout MarkdownDocument) throws -> [(name: String, png: Data)] {
        let summary = summarize(jobs)
        let label = labeler(jobs[0])
        section.heading(text.summaryTitle(seeds: jobs.count), level: 2)
        section.paragraph(summarySentence(jobs, text))
        section.table(headers: text.seedsHeaders(jobs.map(\.seed)),
                      rows: summary.map { key, stats in
                          [.text(label(key)), .text(meanAndDeviation(stats))] + zip(jobs, stats.values).map { job, value in
                              // A run that broke down in training is marked, so no one reads it as the method's.
                              job.brokenDown.contains(key) ? .text(String(format: "%.2f%% †", 100 * value)) : .percent(value, decimals: 2)
                          }
                      })
        if jobs.contains(where: { !$0.brokenDown.isEmpty }) { section.paragraph(text.brokenDownMark) }
        let comparisons = compare(jobs)
        let checks = convergenceSentences(jobs, text)
        if !comparisons.isEmpty || !checks.isEmpty { section.bullets(comparisons.map { $0.sentence(text, label: label) } + checks) }
        // Jobs older than the record of networks give one group.
        let networks = jobs[0].metrics["accuracy_networks"]?.record ?? [:]
        let chart = LabCharts.accuracyBars(summary.map { key, stats in
                                               (label(key), networks[stageName(key)]?.text ?? "", Float(stats.mean))
                                           },
                                           errors: summary.map { Float($0.stats.deviation) }, language: text.language)
        let png = try chart.renderPNG(width: min(1400, max(800, 90 * summary.count + 200)), height: 560, scale: 2)
        // Unnumbered, so the walkthrough's figure numbers stay as its text gives them.
        let caption = text.seedsCaption(seeds: jobs.count)
        section.raw("![\(caption)](\(figuresLink)accuracy-seeds.png)\n\n*\(caption)*")
        pruningSummary(jobs, text: text, into: &section)
        return [("accuracy-seeds.png", png)]
            + (try seedTables(jobs, figuresLink: figuresLink, text: text, into: &section))
            + (try sweepSummary(jobs, figuresLink: figuresLink, language: text.language, into: &section).map { [$0] } ?? [])
    }

    /// The summary of a sweep: per fraction, every stage's mean ± std over its seeds and the
    /// lab's comparisons, and a curve of accuracy against the fraction.
    static func sweepSection(_ fractions: [[Job]], figuresLink: String, text: StudyText,
                             into section: inout MarkdownDocument) throws -> (name: String, png: Data) {
        let summaries = fractions.map { summarize($0) }
        let label = labeler(fractions[0][0])
        let stages = summaries[0].map(\.key).filter { key in summaries.allSatisfy { $0.contains { $0.key == key } } }
        func stats(_ fraction: Int, _ key: String) -> Stats { summaries[fraction].first { $0.key == key }!.stats }
        let percents = fractions.map { $0[0].percent! }
        let option = Study.sweptOption

        section.heading(text.sweepTitle(option: option, fractions: fractions.count, seeds: seedCounts(fractions, text)), level: 2)
        section.paragraph(sweepSentence(fractions, text))
        section.table(headers: [option] + stages.map(label),
                      rows: percents.indices.map { index in
                          [percents[index]] + stages.map { meanAndDeviation(stats(index, $0)) }
                      })
        let comparisons = fractions.map { compare($0) }
        if let names = comparisons.first?.map(\.name), !names.isEmpty, comparisons.allSatisfy({ $0.map(\.name) == names }) {
            section.paragraph(text.sweepComparisons)
            section.table(headers: [option] + names, rows: percents.indices.map { index in
                [percents[index]] + comparisons[index].map { $0.cell(text) }
            })
        }
        let checks = convergenceSentences(fractions.flatMap { $0 }, text)
        if !checks.isEmpty { section.bullets(checks) }
        let chart = LabCharts.accuracyAgainst(title: text.sweepChartTitle,
                                              xLabel: text.sweepAxis(option), x: percents.map { Double($0) ?? .nan },
                                              stages: stages.map { key in
                                                  (label(key), percents.indices.map { stats($0, key).mean },
                                                   percents.indices.map { stats($0, key).deviation })
                                              }, language: text.language)
        let png = try chart.renderPNG(width: 1000, height: 600, scale: 2)
        let caption = text.sweepCaption
        section.raw("![\(caption)](\(figuresLink)accuracy-sweep.png)\n\n*\(caption)*")
        return ("accuracy-sweep.png", png)
    }

    /// "3 seeds each", or "2–3 seeds each" when some fractions have fewer.
    static func seedCounts(_ fractions: [[Job]], _ text: StudyText) -> String {
        let counts = fractions.map(\.count)
        return text.seedCounts(low: counts.min()!, high: counts.max()!)
    }

    /// `91.57 ± 0.12`: a fraction's mean ± standard deviation over the seeds, in %; accuracies take two
    /// decimals (their spread is a tenth of a point), removed shares one.
    static func meanAndDeviation(_ stats: Stats, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f ± %.\(decimals)f", 100 * stats.mean, 100 * stats.deviation)
    }

    static func read(lab: String, folder: URL, language: Language = .en) throws -> Job {
        let jsonURL = folder.appendingPathComponent("reports").appendingPathComponent(language.reportFile(lab, extension: "json"))
        let markdownURL = folder.appendingPathComponent("reports").appendingPathComponent(language.reportFile(lab))
        guard let data = try? Data(contentsOf: jsonURL), let markdown = try? String(contentsOf: markdownURL, encoding: .utf8) else {
            throw LabError("\(folder.path) holds no finished \(lab) job (reports/\(language.reportFile(lab, extension: "json")) and "
                           + ".md); run the job first or check the folder")
        }
        guard let metrics = try? JSONDecoder().decode([String: MetricValue].self, from: data),
              metrics["run"]?.record?["recipe"] != nil else {
            throw LabError("\(jsonURL.path) is not the result of a \(lab) job of this PruneLab; rerun that job")
        }
        return Job(folder: folder, metrics: metrics, markdown: markdown)
    }

    /// The jobs by fraction (one group without a sweep), fractions and seeds in increasing order.
    /// Jobs of one study share the code and the recipe, or all of the recipe but `--percent` in
    /// a sweep; the error names the odd one out.
    static func groupByFraction(_ jobs: [Job]) throws -> [[Job]] {
        guard let first = jobs.first else { throw LabError("nothing to merge: name at least one job folder") }
        let rest = Study.splitFraction(ofRecipe: first.recipe).rest
        for job in jobs.dropFirst() {
            let sameSweep = first.percent != nil && job.percent != nil && Study.splitFraction(ofRecipe: job.recipe).rest == rest
            if job.recipe != first.recipe && !sameSweep {
                throw LabError("the job in \(job.folder.path) ran another recipe ('\(job.recipe)') than the job in "
                               + "\(first.folder.path) ('\(first.recipe)'); merge only jobs of one recipe, "
                               + "or of one recipe at several \(Study.sweptOption)")
            }
            if job.codeVersion != first.codeVersion {
                throw LabError("the job in \(job.folder.path) ran code \(job.codeVersion) but the job in \(first.folder.path) "
                               + "ran \(first.codeVersion); rerun the odd job at the code of the others")
            }
        }
        let groups = Dictionary(grouping: jobs) { $0.percent.flatMap(Double.init) ?? 0 }
            .sorted { $0.key < $1.key }.map { $0.value.sorted { $0.seed < $1.seed } }
        for group in groups {
            let seeds = group.map(\.seed)
            if Set(seeds).count != seeds.count {
                throw LabError("two jobs ran the same seed (\(seeds.map(String.init).joined(separator: ", "))"
                               + (group[0].percent.map { " at \(Study.sweptOption) \($0)" } ?? "")
                               + "); merge jobs of different seeds")
            }
        }
        return groups
    }

    /// Mean, standard deviation over the seeds (n − 1) and the values, per accuracy in stage order.
    struct Stats { let mean: Double, deviation: Double, values: [Double] }

    static func summarize(_ jobs: [Job]) -> [(key: String, stats: Stats)] {
        let order = jobs[0].metrics["accuracy_order"]?.list?.compactMap(\.text) ?? jobs[0].accuracies.keys.sorted()
        return order.compactMap { key in
            let values = jobs.compactMap { $0.accuracies[key] }
            guard values.count == jobs.count else { return nil }
            return (key, stats(values))
        }
    }

    static func stats(_ values: [Double]) -> Stats {
        guard !values.isEmpty else { return Stats(mean: 0, deviation: 0, values: []) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
        return Stats(mean: mean, deviation: variance.squareRoot(), values: values)
    }

    /// A lab's declared comparison, over the seeds.
    struct Comparison {
        let name: String, first: String, second: String, budgets: String
        /// Over the seeds where neither side broke down in training.
        let difference: Stats
        /// The test set's sampling error of the difference of the two sides' mean accuracies
        /// (`VerdictNoise.sampling`): the floor of the noise, since every seed used the same test set.
        var samplingError = 0.0
        /// What the difference is judged against (`VerdictNoise.study`).
        var noise: Double { VerdictNoise.study(deviation: difference.deviation, sampling: samplingError) }
        /// The seeds left out, each with the accuracy key of the side that broke down there.
        var leftOut: [(seed: UInt64, key: String)] = []
        var withinNoise: Bool { abs(difference.mean) <= noise }
        func sentence(_ text: StudyText, label: (String) -> String) -> String {
            let leftOutNote = leftOut.isEmpty ? "" : text.leftOutOfComparison(leftOut.map { ($0.seed, label($0.key)) })
            guard !difference.values.isEmpty else { return text.comparisonWithoutSeeds(name: name) + leftOutNote }
            return text.comparison(name: name, mean: 100 * difference.mean, deviation: 100 * difference.deviation, budgets: budgets,
                                   seeds: difference.values.count, samplingError: 100 * samplingError) + leftOutNote
        }
        /// The difference as a sweep table's cell: `+1.20 ± 0.30`, marked when within noise.
        func cell(_ text: StudyText) -> String {
            guard !difference.values.isEmpty else { return "–" }
            return String(format: "%+.2f ± %.2f", 100 * difference.mean, 100 * difference.deviation)
                + text.withinNoise(difference.values.count > 1 && withinNoise)
        }
    }

    static func compare(_ jobs: [Job]) -> [Comparison] {
        let declared = jobs[0].metrics["comparisons"]?.list?.compactMap(\.record) ?? []
        return declared.compactMap { record in
            guard let name = record["name"]?.text, let first = record["first"]?.text, let second = record["second"]?.text
            else { return nil }
            // A side that broke down in training measures that failure, not the method: its seed is left out.
            var differences: [Double] = [], firsts: [Double] = [], seconds: [Double] = []
            var leftOut: [(seed: UInt64, key: String)] = []
            for job in jobs {
                guard let a = job.accuracies[first], let b = job.accuracies[second] else { return nil }
                if let broken = [first, second].first(where: job.brokenDown.contains) {
                    leftOut.append((job.seed, broken))
                } else {
                    differences.append(a - b)
                    firsts.append(a)
                    seconds.append(b)
                }
            }
            let images = testImages(jobs)
            let samplingError = differences.isEmpty ? 0 : VerdictNoise.sampling(stats(firsts).mean, stats(seconds).mean, testImages: images)
            return Comparison(name: name, first: first, second: second, budgets: record["budgets"]?.text ?? "",
                              difference: stats(differences), samplingError: samplingError,
                              leftOut: leftOut)
        }
    }

    /// How many test images every job was evaluated on (10,000 when a job did not record it).
    static func testImages(_ jobs: [Job]) -> Int {
        jobs.first.flatMap(recordedTestImages) ?? 10_000
    }

    /// The test images `job` recorded it was evaluated on, if it did.
    static func recordedTestImages(_ job: Job) -> Int? {
        Int(job.metrics["data"]?.record?["test_samples"]?.text ?? "")
    }

    /// The baselines' convergence checks (a study's first job runs them), one sentence each.
    static func convergenceSentences(_ jobs: [Job], _ text: StudyText = StudyText(language: .en)) -> [String] {
        jobs.flatMap { job in
            job.metrics.filter { $0.key.hasPrefix("convergence.") }.sorted { $0.key < $1.key }.compactMap { key, value in
                guard let record = value.record, let epochs = record["epochs"]?.number,
                      let accuracy = record["accuracy"]?.number, let doubled = record["doubled_accuracy"]?.number
                else { return nil }
                let check = ConvergenceCheck(epochs: Int(epochs), accuracy: Float(accuracy), doubledAccuracy: Float(doubled))
                let name = labeler(job)(key.replacingOccurrences(of: "convergence.", with: "accuracy."))
                return text.convergence(name: name, seed: job.seed, check: check)
            }
        }
    }

    static func sweepSentence(_ fractions: [[Job]], _ text: StudyText) -> String {
        let percents = text.list(fractions.map { $0[0].percent! })
        let seeds = text.list(Set(fractions.flatMap { $0.map(\.seed) }).sorted().map(String.init))
        let first = fractions[0][0]
        let testImages = recordedTestImages(first)?.groupedText ?? text.allImages
        return text.sweepSentence(option: Study.sweptOption, percents: percents, seeds: seeds, testImages: testImages,
                                  firstSeed: first.seed, firstPercent: first.percent!)
    }

    static func summarySentence(_ jobs: [Job], _ text: StudyText) -> String {
        let seeds = text.list(jobs.map { String($0.seed) })
        let testImages = recordedTestImages(jobs[0])?.groupedText ?? text.allImages
        let stages = jobs.flatMap { $0.run["stages"]?.list ?? [] }.compactMap(\.record)
        let reused = stages.filter { $0["reused_from_cache"] != nil }.count
        let then = CommonText(text.language).then
        return text.summarySentence(seeds: seeds, testImages: testImages, firstSeed: jobs[0].seed) + then(provenance(jobs, text))
            + then(reused > 0 ? text.reusedStages(reused, of: stages.count) : nil)
    }

    /// Which commits the seeds ran at, on which code tree: seeds of one study may run in several
    /// sessions, at commits that changed no code. Nil for jobs that recorded no code tree.
    static func provenance(_ jobs: [Job], _ text: StudyText) -> String? {
        guard let tree = jobs[0].run["code_tree"]?.text, !tree.isEmpty else { return nil }
        var commits: [(commit: String, seeds: [String])] = []
        for job in jobs {
            let commit = job.run["git_commit"]?.text ?? ""
            if let index = commits.firstIndex(where: { $0.commit == commit }) {
                commits[index].seeds.append(String(job.seed))
            } else {
                commits.append((commit, [String(job.seed)]))
            }
        }
        return text.provenance(tree: tree, commits: commits)
    }

    /// The walkthrough with the summary section before its first `##` section, and without its
    /// single-run "Key comparisons" (the summary gives them over the seeds).
    static func insert(_ section: String, intoWalkthrough walkthrough: String, comparisonsTitle: String = "Key comparisons") -> String {
        var markdown = walkthrough
        if let start = markdown.range(of: "\n## \(comparisonsTitle)\n") {
            let end = markdown[start.upperBound...].range(of: "\n## ")?.lowerBound ?? markdown.endIndex
            markdown.removeSubrange(start.lowerBound..<end)
        }
        guard let range = markdown.range(of: "\n## ") else { return markdown + "\n" + section }
        return String(markdown[..<range.lowerBound]) + "\n\n" + section.trimmingCharacters(in: .newlines) + "\n"
            + String(markdown[range.lowerBound...])
    }

    /// Every run's numbers under `runs`; the seeds, summary and comparisons at the top, or in a
    /// sweep per fraction under `sweep`.
    static func mergedJSON(_ fractions: [[Job]]) throws -> Data {
        func summary(_ jobs: [Job]) -> [String: MetricValue] {
            ["seeds": .list(jobs.map { .number(Double($0.seed)) }),
             "summary": .record(Dictionary(uniqueKeysWithValues: summarize(jobs).map { key, stats in
                 (key, .record(["mean": .number(stats.mean), "std": .number(stats.deviation),
                                "values": .list(stats.values.map { .number($0) })]))
             })),
             "comparisons": .list(compare(jobs).map { comparison in
                 var record: [String: MetricValue] = [
                     "name": .text(comparison.name), "first": .text(comparison.first), "second": .text(comparison.second),
                     "budgets": .text(comparison.budgets),
                     "left_out": .list(comparison.leftOut.map { .record(["seed": .number(Double($0.seed)), "broke_down": .text($0.key)]) })]
                 if !comparison.difference.values.isEmpty {
                     record["mean"] = .number(comparison.difference.mean)
                     record["std"] = .number(comparison.difference.deviation)
                     record["sampling_error"] = .number(comparison.samplingError)
                     record["within_noise"] = .text(comparison.withinNoise ? "yes" : "no")
                 }
                 return .record(record)
             })]
        }
        var merged: [String: MetricValue] = fractions.count == 1 ? summary(fractions[0]) : [:]
        if fractions.count > 1 {
            merged["sweep"] = .record(["option": .text(Study.sweptOption), "fractions": .list(fractions.map { jobs in
                .record(summary(jobs).merging(["percent": .number(Double(jobs[0].percent!) ?? 0)]) { $1 })
            })])
        }
        merged["runs"] = .list(fractions.flatMap { $0.map { .record($0.metrics) } })
        merged["run"] = fractions[0][0].metrics["run"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(merged)
    }

    /// `accuracy.l1_finetuned` → `l1_finetuned`.
    static func stageName(_ key: String) -> String { String(key.dropFirst("accuracy.".count)) }

    /// How the summary names a stage: by the label the lab gave it in the report's language
    /// (`job`'s `accuracy_labels`: "L1 fine-tuned", "L1 微调后"), by its key (`l1_finetuned`) when the
    /// job recorded none (jobs run before English runs recorded their labels).
    static func labeler(_ job: Job) -> (String) -> String {
        let labels = job.labels
        return { key in labels[stageName(key)] ?? stageName(key) }
    }
}

extension MetricValue {
    var number: Double? { if case let .number(value) = self { value } else { nil } }
    var text: String? { if case let .text(value) = self { value } else { nil } }
    var list: [MetricValue]? { if case let .list(value) = self { value } else { nil } }
    var record: [String: MetricValue]? { if case let .record(value) = self { value } else { nil } }
}
