import AtomicFiles
import Foundation
import Reports

/// The notebook a lab's `main.swift` writes into, top to bottom: prose, timed steps,
/// tables, figures and metrics. `finish()` writes `reports/<lab>.md`, `reports/<lab>.json`
/// and the figures in `figures/<lab>/`, each file atomically.
public final class Notebook {
    /// Short lab name, e.g. `weight-pruning` (files are named after it).
    public let lab: String
    public let options: CommonOptions
    /// The report's language (`--lang`); the catalogues of LabKit and the labs write in it.
    public let language: Language
    /// The shared steps' sentences in the report's language.
    let text: NotebookText
    public private(set) var document: MarkdownDocument
    public let reportsFolder: URL
    public let figuresFolder: URL
    private var metrics: [String: MetricValue] = [:]
    /// The `accuracy.*` keys in the order the lab evaluated them (the merged report's order).
    private var accuracyOrder: [String] = []
    /// The network each accuracy was measured on (key without `accuracy.`), for the stage chart of a merge.
    var accuracyNetworks: [String: String] = [:]
    /// The report's name of each accuracy (key without `accuracy.`), for a Chinese study's summary.
    var accuracyLabels: [String: String] = [:]
    /// The baselines whose convergence this run checked, by the report's name of each (in the order checked).
    public private(set) var convergenceChecks: [(name: String, check: ConvergenceCheck)] = []
    /// The comparisons the lab declared (`compare`), for the summaries.
    private(set) var comparisons: [(name: String, first: String, second: String, budgets: String)] = []
    /// Accuracy keys (`accuracy.scratch_b`) of networks whose training broke down (`markBrokenDown`):
    /// a comparison with one says so, and a study leaves that seed out of it.
    private var brokenDownAccuracies: Set<String> = []
    /// Ids of the stages that broke down in training (`train` finds them).
    var brokenDownStages: Set<String> = []
    /// Each step's wall time; a training stage reused from the stage cache also carries the
    /// seconds its epochs took when they were trained, so the run details never show a stage
    /// that took minutes as 0.0 s without saying why.
    private var stageTimes: [(name: String, seconds: Double, reusedTrainingSeconds: Double?)] = []
    /// Set by `train` when the step it is inside restored its stage from the cache.
    var currentStepReusedTrainingSeconds: Double?
    /// Every training stage run so far, for the training-curve figure.
    public internal(set) var histories: [StageHistory] = []
    /// Rendered figures waiting for `finish()`.
    private var pendingFigures: [(url: URL, png: Data)] = []
    private let started = Date()
    private let metadata = RunMetadata.current()
    /// Finished and partial training stages (`<output>/.prunelab-cache/<lab>`).
    let cache: StageCache

    /// Starts a notebook; checks now (not at the end) that the output folders can be written.
    public init(lab: String, title: String, options: CommonOptions) throws {
        self.lab = lab
        self.options = options
        language = options.lang
        text = NotebookText(language: options.lang)
        let root = options.outputDir.map { URL(fileURLWithPath: $0) } ?? Notebook.packageRoot()
        reportsFolder = root.appendingPathComponent("reports")
        figuresFolder = options.lang.figuresFolder(lab, under: root)
        for folder in [reportsFolder, figuresFolder] { try Notebook.ensureWritable(folder) }
        cache = StageCache(folder: root.appendingPathComponent(".prunelab-cache").appendingPathComponent(lab),
                           readsCache: !options.fresh, adoptsCachedNumerics: options.reuseCacheFromOtherMachine)
        if let adopted = cache.adoptedNumerics {
            print("The stage cache was written on a machine whose kernels round differently (numerics \(adopted.cached), "
                  + "here \(adopted.here)); --reuse-cache-from-other-machine reuses its stages.")
        }
        document = MarkdownDocument(folder: reportsFolder)
        document.captionPrefix = { [text] in text.captionPrefix($0) }
        document.heading(title, level: 1)
        print("== \(title) ==")
    }

    // MARK: Writing

    /// A section heading.
    public func section(_ title: String) {
        document.heading(title, level: 2)
        print("\n## \(title)")
    }

    /// A paragraph of explanation (Markdown, `$…$` for math).
    public func prose(_ text: String) { document.paragraph(text) }

    /// A displayed formula.
    public func equation(_ latex: String) { document.equation(latex) }

    /// A bullet list.
    public func bullets(_ items: [String]) { document.bullets(items) }

    /// A fenced code block (e.g. a model summary).
    public func code(_ text: String, language: String = "") { document.code(text, language: language) }

    /// A table of results.
    public func table(headers: [String], rows: [[TableCell]], decimals: Int = 2) {
        document.table(headers: headers, rows: rows, decimals: decimals)
    }

    /// Renders `chart` (at 2×, for slides) and links it with a caption. The PNG is kept in memory
    /// and written to `figures/<lab>/<name>.png` by `finish()`, so a run that fails or is
    /// interrupted before its end writes no figure at all. The size is 800×500 points unless
    /// given, or the size a diagram or small multiples were laid out for.
    public func figure(_ name: String, caption: String, _ chart: any Chart, width: Int? = nil, height: Int? = nil) throws {
        let url = figuresFolder.appendingPathComponent(name + ".png")
        let size = LabCharts.naturalSize(of: chart)
        pendingFigures.append((url, try chart.renderPNG(width: width ?? size.width, height: height ?? size.height, scale: 2)))
        document.image(url: url, caption: caption)
    }

    /// Records a number or text in the machine-readable results.
    /// Keeps a convergence check for the lab's conclusions (`convergenceChecks`).
    func recordConvergence(_ name: String, _ check: ConvergenceCheck) {
        convergenceChecks.append((name, check))
    }

    public func metric(_ key: String, _ value: some MetricConvertible) {
        if key.hasPrefix("accuracy."), !accuracyOrder.contains(key) { accuracyOrder.append(key) }
        metrics[key] = value.metricValue
    }

    /// The accuracies recorded so far (`evaluate`), by key without `accuracy.`.
    func recordedAccuracies() -> [String: Double] {
        Dictionary(uniqueKeysWithValues: metrics.compactMap { key, value in
            guard key.hasPrefix("accuracy."), case let .number(number) = value else { return nil }
            return (String(key.dropFirst("accuracy.".count)), number)
        })
    }

    /// Declares a comparison the report sums up: accuracy `first` minus accuracy `second`
    /// (keys as given to `evaluate`), with both sides' training budgets in words. A single
    /// run lists it under "Key comparisons"; a study gives its mean ± std over the seeds.
    public func compare(_ name: String, _ first: String, minus second: String, budgets: String) {
        comparisons.append((name, "accuracy." + first, "accuracy." + second, budgets))
    }

    /// Records that the network evaluated as `key` broke down in training (`TrainingBreakdown`).
    public func markBrokenDown(_ key: String) {
        brokenDownAccuracies.insert("accuracy." + key)
    }

    // MARK: Steps

    /// Runs one named stage of the lab, prints it, and records its wall time for the report.
    @discardableResult
    public func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        print("\n▶ \(name)")
        let start = Date()
        currentStepReusedTrainingSeconds = nil
        let result = try body()
        let seconds = Date().timeIntervalSince(start)
        stageTimes.append((name, seconds, currentStepReusedTrainingSeconds))
        currentStepReusedTrainingSeconds = nil
        print(String(format: "  done in %.1f s", seconds))
        return result
    }

    // MARK: Finishing

    /// Appends the run's metadata and writes the figures, the JSON results and the report, each
    /// file atomically (never half-written). The report goes last, so it never links a figure
    /// that is not there; only an interruption inside `finish()` itself can leave new figures
    /// beside the previous report.
    public func finish() throws {
        let wall = Date().timeIntervalSince(started)
        let reusedStages = stageTimes.filter { $0.reusedTrainingSeconds != nil }
        if !comparisons.isEmpty {
            document.heading(text.keyComparisons, level: 2)
            document.bullets(comparisons.map { comparison in
                let difference = (metrics[comparison.first]?.number ?? 0) - (metrics[comparison.second]?.number ?? 0)
                let brokenDown = [comparison.first, comparison.second].filter(brokenDownAccuracies.contains)
                return text.comparison(name: comparison.name, points: 100 * difference, budgets: comparison.budgets)
                    + brokenDown.map { text.brokenDownInComparison(String($0.dropFirst("accuracy.".count))) }.joined()
            })
        }
        document.heading(text.runDetails, level: 2)
        document.bullets([
            text.date(metadata.date),
            text.command(metadata.commandLine),
            text.commit(metadata.gitCommit, codeTree: metadata.codeTree),
            text.machine(cores: metadata.cores, build: metadata.buildConfiguration, swift: metadata.swiftVersion),
            text.preset(options.preset.rawValue, seed: options.seed),
            text.wallTime(wall),
        ] + (reusedStages.isEmpty ? [] : [text.reusedStages(reusedStages.count, of: stageTimes.count)]))
        document.table(headers: text.stageTimeHeaders,
                       rows: stageTimes.map { stage in
                           [.text(stage.name), .number(stage.seconds, decimals: 1),
                            .text(stage.reusedTrainingSeconds.map { text.reusedStageNote(trainingSeconds: $0) } ?? "")]
                       }, decimals: 1)
        metrics["run"] = .record([
            "date": .text(metadata.date), "command": .text(metadata.commandLine),
            "git_commit": .text(metadata.gitCommit ?? ""), "code_tree": .text(metadata.codeTree ?? ""), "cores": .number(Double(metadata.cores)),
            "build": .text(metadata.buildConfiguration), "preset": .text(options.preset.rawValue),
            "seed": .number(Double(options.seed)), "wall_seconds": .number(wall), "numerics": .text(StageCache.currentNumerics),
            "recipe": .text(Study.recipeIdentity(of: Array(CommandLine.arguments.dropFirst())) + " lab=\(lab)"),
            "stages": .list(stageTimes.map { stage in
                var record: [String: MetricValue] = ["name": .text(stage.name), "seconds": .number(stage.seconds)]
                if let trained = stage.reusedTrainingSeconds {
                    record["reused_from_cache"] = .text("yes")
                    record["trained_seconds"] = .number(trained)
                }
                return .record(record)
            }),
        ])
        if let adopted = cache.adoptedNumerics, case .record(var run)? = metrics["run"] {
            run["numerics_of_reused_stages"] = .text(adopted.cached)
            metrics["run"] = .record(run)
        }
        metrics["accuracy_order"] = .list(accuracyOrder.map { .text($0) })
        metrics["accuracy_networks"] = .record(accuracyNetworks.mapValues { .text($0) })
        metrics["accuracy_labels"] = .record(accuracyLabels.mapValues { .text($0) })
        if language != .en {
            // Rendered above (`figure`): characters of the figures that the fonts could not draw.
            metrics["missing_glyphs"] = .text(GlyphCoverage.missingCharacters)
        }
        metrics["broken_down"] = .list(brokenDownAccuracies.sorted().map { .text($0) })
        metrics["comparisons"] = .list(comparisons.map {
            .record(["name": .text($0.name), "first": .text($0.first), "second": .text($0.second), "budgets": .text($0.budgets)])
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(metrics)
        let reportURL = reportsFolder.appendingPathComponent(language.reportFile(lab))
        if !pendingFigures.isEmpty { try Notebook.ensureWritable(figuresFolder) }
        for (url, png) in pendingFigures { try writeAtomically(png, to: url) }
        try writeAtomically(json, to: reportsFolder.appendingPathComponent(language.reportFile(lab, extension: "json")))
        try document.write(to: reportURL)
        print(String(format: "\nReport: %@  (%.1f s)", reportURL.path, wall))
    }

    // MARK: Files

    /// The folder holding Package.swift above the current directory, or the current directory.
    public static func packageRoot() -> URL {
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Creates `folder` if needed and proves it can be written, with a clear error if not.
    static func ensureWritable(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LabError("cannot create the output folder \(folder.path); choose a writable place with --output-dir")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw LabError("the output folder \(folder.path) is not writable; choose a writable place with --output-dir")
        }
    }
}

/// Writes `data` atomically (see `AtomicFile`), with a failure told as a `LabError`.
func writeAtomically(_ data: Data, to url: URL) throws {
    do {
        try AtomicFile.write(data, to: url)
    } catch let error as AtomicWriteError {
        throw LabError("\(error.description); check that the folder is writable or pass --output-dir")
    }
}
