import Foundation
import Reports

/// A study: one lab at several seeds, and for a sweep at several fractions pruned. Each
/// (fraction, seed) is an independent job, a run of the same lab executable with its own
/// `--seed`, `--percent` and `--output-dir` (so it has its own stage cache and can be rerun
/// alone); the jobs' JSON results are then merged into one report. `--seeds N` runs the jobs
/// here, one after another or `--jobs K` at a time; `--merge DIR…` merges jobs that ran
/// anywhere. Both end in `StudyMerge`, the one way a multi-seed report is written.
enum Study {
    /// Options that belong to the study, not to one job: a job's command line drops them.
    static let studyOnlyOptions: Set<String> = ["--seeds", "--jobs", "--seed", "--output-dir", "--merge", "--threads", "--plan",
                                                sweepOption]
    /// The one option a study can sweep, the fraction pruned (the slimming labs' `--percent`),
    /// and the list option that asks for the sweep (declared in `SlimmingOptions`).
    static let sweptOption = "--percent"
    static let sweepOption = "--percents"
    /// Flags that change how a run looks or what it reuses, not what it computes.
    static let presentationFlags: Set<String> = ["--quiet", "--fresh", "--reuse-cache-from-other-machine"]
    /// The report's language: every job writes in it and the merge reads and writes it, but it is
    /// no part of the recipe (the numbers are the same in every language).
    static let languageOption = "--lang"

    /// The arguments of the job for `seed` (and `percent`, in a sweep): the study's own
    /// arguments without the study-only options, plus the job's fraction, seed, output folder
    /// and threads.
    static func jobArguments(from arguments: [String], percent: String? = nil, seed: UInt64, outputDir: String,
                             threads: Int) -> [String] {
        let dropped = studyOnlyOptions.union(percent == nil ? ["--quiet"] : ["--quiet", sweptOption])
        return stripping(dropped, from: arguments) + (percent.map { [sweptOption, $0] } ?? [])
            + ["--seed", "\(seed)", "--output-dir", outputDir, "--threads", "\(threads)", "--quiet"]
    }

    /// The fractions of `--percents a,b,…` in `arguments` (the parser has checked them), in a
    /// canonical spelling; nil without a sweep.
    static func sweptPercents(in arguments: [String]) -> [String]? {
        var list: String?
        for (index, argument) in arguments.enumerated() {
            if argument == sweepOption, index + 1 < arguments.count { list = arguments[index + 1] }
            if argument.hasPrefix(sweepOption + "=") { list = String(argument.dropFirst(sweepOption.count + 1)) }
        }
        return list.map { $0.split(separator: ",").map { canonicalFraction(String($0)) } }
    }

    /// `0.50` and `.5` are the same fraction: one spelling, so names and recipes match.
    static func canonicalFraction(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return Double(trimmed).map { "\($0)" } ?? trimmed
    }

    /// Whether the command line asks for a study (several seeds or a sweep) rather than one run.
    static func isStudy(_ options: CommonOptions) -> Bool {
        options.seeds > 1 || sweptPercents(in: Array(CommandLine.arguments.dropFirst())) != nil
    }

    /// What makes two jobs the same recipe: the lab's arguments without seed, output folder,
    /// threads and presentation flags, in a canonical order.
    static func recipeIdentity(of arguments: [String]) -> String {
        let kept = stripping(studyOnlyOptions.union(presentationFlags).union(["--convergence-check", languageOption]), from: arguments)
        var pairs: [String] = []
        var index = 0
        while index < kept.count {
            let argument = kept[index]
            if argument.hasPrefix("--"), !argument.contains("="), index + 1 < kept.count, !kept[index + 1].hasPrefix("--") {
                pairs.append(argument + " " + kept[index + 1])
                index += 2
            } else {
                pairs.append(argument)
                index += 1
            }
        }
        return pairs.sorted().joined(separator: " ")
    }

    /// A recipe's fraction (its `--percent p`, canonical) and the rest of it, which the jobs
    /// of one sweep share.
    static func splitFraction(ofRecipe recipe: String) -> (percent: String?, rest: String) {
        var percent: String?
        var rest: [Substring] = []
        var tokens = recipe.split(separator: " ")[...]
        while let token = tokens.popFirst() {
            if token == sweptOption, let value = tokens.first {
                percent = canonicalFraction(String(value))
                tokens = tokens.dropFirst()
            } else if token.hasPrefix(sweptOption + "=") {
                percent = canonicalFraction(String(token.dropFirst(sweptOption.count + 1)))
            } else {
                rest.append(token)
            }
        }
        return (percent, rest.joined(separator: " "))
    }

    /// `arguments` without the named options (and their values, `--name value` or `--name=value`).
    static func stripping(_ names: Set<String>, from arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if names.contains(name) {
                index += 1
                if !argument.contains("=") && !presentationFlags.contains(name) {
                    // Skip the values (several for --merge).
                    while index < arguments.count && !arguments[index].hasPrefix("--") { index += 1 }
                }
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    /// One job of a study: its seed, its output folder and its arguments.
    struct Job {
        let seed: UInt64
        let folder: URL
        let arguments: [String]

        /// `seed-3`, or `percent-0.5-seed-3` in a sweep: the job's folder and its name in messages.
        var name: String { folder.lastPathComponent }
    }

    /// This lab's executable, which every job runs again.
    static var executable: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).standardizedFileURL
    }

    /// Threads of each job: the cores shared by the jobs that run at once.
    static func threads(_ options: CommonOptions) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / options.jobs)
    }

    /// The jobs of the study `options` and `arguments` (the command line) ask for, one per
    /// seed from `--seed` on and, in a sweep, per fraction of `--percents`, each with its output
    /// in `folder/<name>`: the one place job command lines are made.
    static func jobs(_ options: CommonOptions, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                     under folder: URL) -> [Job] {
        let percents: [String?] = sweptPercents(in: arguments) ?? [nil]
        let pairs = percents.flatMap { percent in (0..<UInt64(options.seeds)).map { (percent, options.seed &+ $0) } }
        return pairs.enumerated().map { index, pair in
            let (percent, seed) = pair
            let name = (percent.map { "percent-\($0)-" } ?? "") + "seed-\(seed)"
            let jobFolder = folder.appendingPathComponent(name)
            // The convergence check belongs to the recipe (its baseline is the same at every
            // fraction), not to a seed: by default only the first job runs it.
            let check = index > 0 && options.convergenceCheck == nil && options.checksConvergence
                ? ["--convergence-check", "off"] : []
            return Job(seed: seed, folder: jobFolder,
                       arguments: jobArguments(from: arguments, percent: percent, seed: seed, outputDir: jobFolder.path,
                                               threads: threads(options)) + check)
        }
    }

    /// Runs the study's jobs here: each job's output goes to `<output>/.prunelab-jobs/<lab>/<name>/`,
    /// its console output to `job.log` there. Then merges them into `<output>/reports/<lab>.md`.
    static func run(lab: String, options: CommonOptions) throws {
        let root = options.outputDir.map { URL(fileURLWithPath: $0) } ?? Notebook.packageRoot()
        let jobs = jobs(options, under: root.appendingPathComponent(".prunelab-jobs").appendingPathComponent(lab))
        print("== \(lab): \(jobs.count) jobs, \(options.jobs) at a time, \(threads(options)) thread(s) each ==")
        let failures = Failures()
        let queue = DispatchQueue(label: "prunelab.study", attributes: .concurrent)
        let slots = DispatchSemaphore(value: options.jobs)
        let group = DispatchGroup()
        for job in jobs {
            slots.wait()
            group.enter()
            queue.async {
                defer { slots.signal(); group.leave() }
                let started = Date()
                let log = job.folder.appendingPathComponent("job.log")
                print("  \(job.name): started (\(log.path))")
                fflush(nil)
                let status = runJob(executable, job.arguments, log: log)
                print(String(format: "  %@: %@ after %.0f s", job.name, status == 0 ? "done" : "FAILED",
                             Date().timeIntervalSince(started)))
                fflush(nil)
                if status != 0 { failures.add("\(job.name) (see \(log.path))") }
            }
        }
        group.wait()
        guard failures.list.isEmpty else {
            throw LabError("\(failures.list.count) job(s) failed: \(failures.list.joined(separator: "; ")); "
                           + "run the study again and the finished stages are reused")
        }
        try StudyMerge.merge(lab: lab, jobFolders: jobs.map(\.folder), into: root, language: options.lang)
    }

    /// Writes the study as a job list for engines that already exist (GNU parallel, a Slurm
    /// array): `<folder>/jobs.txt`, one shell command line per job with its own
    /// `--output-dir <folder>/jobs/<name>`, and `<folder>/merge.txt`, the command that merges
    /// their results into `<folder>/reports/<lab>.md`. Runs nothing.
    static func plan(lab: String, options: CommonOptions, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                     folder: URL) throws {
        try Notebook.ensureWritable(folder)
        let jobs = jobs(options, arguments: arguments, under: folder.appendingPathComponent("jobs"))
        func commandLine(_ arguments: [String]) -> String {
            ([executable.path] + arguments).map(RunMetadata.shellQuoted).joined(separator: " ")
        }
        let lines = jobs.map { commandLine($0.arguments) }
        let language = options.lang == .en ? [] : [languageOption, options.lang.rawValue]
        let merge = commandLine(["--merge"] + jobs.map(\.folder.path) + ["--output-dir", folder.path] + language)
        try writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("jobs.txt"))
        try writeAtomically(Data((merge + "\n").utf8), to: folder.appendingPathComponent("merge.txt"))
        print("""
            \(lines.count) jobs in \(folder.path)/jobs.txt (\(threads(options)) thread(s) each); run them with e.g.
              parallel -j \(options.jobs) --joblog \(folder.path)/joblog < \(folder.path)/jobs.txt
            or as a Slurm job array: scripts/slurm-array.sh \(folder.path)
            then merge with: sh \(folder.path)/merge.txt
            """)
    }

    /// Runs one job to completion with its output in `log`; returns its exit status.
    static func runJob(_ executable: URL, _ arguments: [String], log: URL) -> Int32 {
        do {
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)  // a failure throws just below
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        } catch {
            return -1
        }
    }

    /// Failed jobs, collected from several threads.
    final class Failures: @unchecked Sendable {
        private var items: [String] = []
        private let lock = NSLock()
        func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
        var list: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }
}
