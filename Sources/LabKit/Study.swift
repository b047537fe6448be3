import Foundation
import Reports

/// A study: one lab at several seeds. Each seed is an independent job, a run of the same lab
/// executable with its own `--seed` and `--output-dir` (so it has its own stage cache and can
/// be rerun alone); the jobs' JSON results are then merged into one report. `--seeds N` runs
/// the jobs here, one after another or `--jobs K` at a time; `--merge DIR…` merges jobs that
/// ran anywhere. Both end in `StudyMerge`, the one way a multi-seed report is written.
enum Study {
    /// Options that belong to the study, not to one job: a job's command line drops them.
    static let studyOnlyOptions: Set<String> = ["--seeds", "--jobs", "--seed", "--output-dir", "--merge", "--threads", "--plan"]
    /// Flags that change how a run looks or what it reuses, not what it computes.
    static let presentationFlags: Set<String> = ["--quiet", "--fresh"]

    /// The arguments of the job for `seed`: the study's own arguments without the study-only
    /// options, plus the job's seed, output folder and threads.
    static func jobArguments(from arguments: [String], seed: UInt64, outputDir: String, threads: Int) -> [String] {
        stripping(studyOnlyOptions.union(["--quiet"]), from: arguments)
            + ["--seed", "\(seed)", "--output-dir", outputDir, "--threads", "\(threads)", "--quiet"]
    }

    /// What makes two jobs the same recipe: the lab's arguments without seed, output folder,
    /// threads and presentation flags, in a canonical order.
    static func recipeIdentity(of arguments: [String]) -> String {
        let kept = stripping(studyOnlyOptions.union(presentationFlags).union(["--convergence-check"]), from: arguments)
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
    }

    /// This lab's executable, which every job runs again.
    static var executable: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).standardizedFileURL
    }

    /// Threads of each job: the cores shared by the jobs that run at once.
    static func threads(_ options: CommonOptions) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / options.jobs)
    }

    /// The jobs of the study `options` asks for, one per seed from `--seed` on, each with its
    /// output in `folder/seed-<s>`: the one place job command lines are made.
    static func jobs(_ options: CommonOptions, under folder: URL) -> [Job] {
        let arguments = Array(CommandLine.arguments.dropFirst())
        return (0..<UInt64(options.seeds)).map { offset in
            let seed = options.seed &+ offset
            let jobFolder = folder.appendingPathComponent("seed-\(seed)")
            // The convergence check belongs to the recipe, not to a seed: by default only the first job runs it.
            let check = offset > 0 && options.convergenceCheck == nil && options.checksConvergence
                ? ["--convergence-check", "off"] : []
            return Job(seed: seed, folder: jobFolder, arguments: jobArguments(from: arguments, seed: seed,
                                                                             outputDir: jobFolder.path,
                                                                             threads: threads(options)) + check)
        }
    }

    /// Runs the study of `options.seeds` seeds from `options.seed` on: each job's output goes to
    /// `<output>/.prunelab-jobs/<lab>/seed-<s>/`, its console output to `job.log` there. Then
    /// merges them into `<output>/reports/<lab>.md`.
    static func run(lab: String, options: CommonOptions) throws {
        let root = options.outputDir.map { URL(fileURLWithPath: $0) } ?? Notebook.packageRoot()
        let jobs = jobs(options, under: root.appendingPathComponent(".prunelab-jobs").appendingPathComponent(lab))
        print("== \(lab): \(jobs.count) seeds, \(options.jobs) job(s) at a time, \(threads(options)) thread(s) each ==")
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
                print("  seed \(job.seed): started (\(log.path))")
                fflush(nil)
                let status = runJob(executable, job.arguments, log: log)
                print(String(format: "  seed %llu: %@ after %.0f s", job.seed, status == 0 ? "done" : "FAILED",
                             Date().timeIntervalSince(started)))
                fflush(nil)
                if status != 0 { failures.add("seed \(job.seed) (see \(log.path))") }
            }
        }
        group.wait()
        guard failures.list.isEmpty else {
            throw LabError("\(failures.list.count) job(s) failed: \(failures.list.joined(separator: "; ")); "
                           + "run the study again and the finished stages are reused")
        }
        try StudyMerge.merge(lab: lab, jobFolders: jobs.map(\.folder), into: root)
    }

    /// Writes the study as a job list for engines that already exist (GNU parallel, a Slurm
    /// array): `<folder>/jobs.txt`, one shell command line per seed with its own
    /// `--output-dir <folder>/jobs/seed-<s>`, and `<folder>/merge.txt`, the command that merges
    /// their results into `<folder>/reports/<lab>.md`. Runs nothing.
    static func plan(lab: String, options: CommonOptions, folder: URL) throws {
        try Notebook.ensureWritable(folder)
        let jobs = jobs(options, under: folder.appendingPathComponent("jobs"))
        func commandLine(_ arguments: [String]) -> String {
            ([executable.path] + arguments).map(RunMetadata.shellQuoted).joined(separator: " ")
        }
        let lines = jobs.map { commandLine($0.arguments) }
        let merge = commandLine(["--merge"] + jobs.map(\.folder.path) + ["--output-dir", folder.path])
        try writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("jobs.txt"))
        try writeAtomically(Data((merge + "\n").utf8), to: folder.appendingPathComponent("merge.txt"))
        print("""
            \(lines.count) jobs in \(folder.path)/jobs.txt (\(threads(options)) thread(s) each); run them with e.g.
              parallel -j \(options.jobs) --joblog \(folder.path)/joblog < \(folder.path)/jobs.txt
            then merge with: sh \(folder.path)/merge.txt
            """)
    }

    /// Runs one job to completion with its output in `log`; returns its exit status.
    static func runJob(_ executable: URL, _ arguments: [String], log: URL) -> Int32 {
        do {
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: log.path, contents: nil)
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
