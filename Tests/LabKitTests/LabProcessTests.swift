import Foundation
import Testing

/// Runs real lab processes (the release binaries `make smoke` builds): a run killed in the
/// middle of a training stage resumes, and bad input ends in one clear sentence.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] != nil,
                "needs the release lab binaries that `make smoke` builds (PRUNELAB_SMOKE_DIR)"))
struct LabProcessTests {
    let binary = URL(fileURLWithPath: ".build/release/lab-filter-pruning")

    @Test func killedRunResumesAndKeepsTheEarlierReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("reports/filter-pruning.md")

        // 1. A first complete run leaves a report.
        let first = try run(["--preset", "smoke", "--quiet", "--output-dir", folder.path, "--seed", "3"])
        #expect(first.status == 0, "first run: \(first.output)")
        let earlier = try Data(contentsOf: report)

        // 2. A longer run (other settings, so nothing is reused) is killed during its baseline training.
        let arguments = ["--preset", "smoke", "--quiet", "--output-dir", folder.path, "--seed", "4", "--epochs", "6"]
        let killed = try run(arguments, killWhenOutputContains: "baseline epoch 2/6")
        #expect(killed.status != 0, "the process was killed: \(killed.output)")
        #expect(try Data(contentsOf: report) == earlier, "the earlier report is intact after the kill")

        // 3. Started again, it resumes after the last finished epoch and writes a complete report.
        let resumed = try run(arguments)
        #expect(resumed.status == 0, "resumed run: \(resumed.output)")
        #expect(resumed.output.contains("resuming after epoch"), "resumed from the stage cache: \(resumed.output)")
        let text = try String(contentsOf: report, encoding: .utf8)
        #expect(text.contains("--epochs 6") && text.contains("## Run details"))
        #expect(try Data(contentsOf: report) != earlier)

        // 4. The first run again: every training stage comes from the cache, and the run details
        //    say so, with the seconds those epochs took when they were trained.
        let again = try run(["--preset", "smoke", "--quiet", "--output-dir", folder.path, "--seed", "3"])
        #expect(again.status == 0, "repeated run: \(again.output)")
        let repeated = try String(contentsOf: report, encoding: .utf8)
        #expect(repeated.contains("were reused from the stage cache"), "run details name the reused stages")
        #expect(repeated.contains("reused from the stage cache; its epochs took"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("reports/filter-pruning.json"))) as? [String: Any])
        let stages = try #require((json["run"] as? [String: Any])?["stages"] as? [[String: Any]])
        let reused = stages.filter { $0["reused_from_cache"] as? String == "yes" }
        #expect(!reused.isEmpty && reused.allSatisfy { ($0["trained_seconds"] as? Double ?? -1) >= 0 })
        // A reused stage counts what it cost when it ran, its epochs' test evaluations included.
        let baselineEpochs = try #require(json["history.baseline"] as? [[String: Any]])
        let trainingSteps = baselineEpochs.reduce(0) { $0 + ($1["seconds"] as? Double ?? 0) }
        let baselineStage = try #require(reused.first { $0["name"] as? String == "Train: baseline" })
        #expect((baselineStage["trained_seconds"] as? Double ?? 0) > trainingSteps)
        #expect(stages.contains { $0["reused_from_cache"] == nil }, "loading the data is never a reused stage")
    }

    /// One code path: three single-seed runs merged with `--merge` give the same numbers as
    /// `--seeds 3`, which runs the same jobs and merges them.
    @Test func singleSeedRunsMergeToTheSameSummaryAsASeedsStudy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let threads = "\(ProcessInfo.processInfo.activeProcessorCount)"  // what a one-job-at-a-time study gives each job
        let study = try run(["--preset", "smoke", "--quiet", "--seeds", "3", "--output-dir", folder.appendingPathComponent("study").path])
        #expect(study.status == 0, "study: \(study.output)")
        var jobs: [String] = []
        for seed in 1...3 {
            let job = folder.appendingPathComponent("single-\(seed)").path
            let single = try run(["--preset", "smoke", "--quiet", "--seed", "\(seed)", "--threads", threads, "--output-dir", job])
            #expect(single.status == 0, "seed \(seed): \(single.output)")
            jobs.append(job)
        }
        let merged = try run(["--merge"] + jobs + ["--output-dir", folder.appendingPathComponent("merged").path])
        #expect(merged.status == 0, "merge: \(merged.output)")

        func summary(_ name: String) throws -> [String: [String: Any]] {
            let url = folder.appendingPathComponent("\(name)/reports/filter-pruning.json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            return try #require(json["summary"] as? [String: [String: Any]])
        }
        let fromStudy = try summary("study"), fromMerge = try summary("merged")
        #expect(fromStudy.count >= 4 && Set(fromStudy.keys) == Set(fromMerge.keys))
        for (key, stats) in fromStudy {
            for field in ["mean", "std"] {
                let a = try #require(stats[field] as? Double), b = try #require(fromMerge[key]?[field] as? Double)
                #expect(abs(a - b) < 1e-12, "\(key) \(field): --seeds 3 gives \(a), merged single runs \(b)")
            }
        }
    }

    @Test(arguments: [
        (["--dataset", "mnist", "--data-dir", "/nonexistent/mnist"], "/nonexistent/mnist"),
        (["--dataset", "cifar10"], "--data-dir"),
        (["--epochs", "0"], "--epochs"),
        (["--lr", "-1"], "--lr"),
        (["--pruned-cfg", "8,16"], "--pruned-cfg"),
        (["--pruned-cfg", "8,x,32"], "--pruned-cfg"),
        (["--fine-tune-epochs", "0"], "--fine-tune-epochs"),
        (["--train-limit", "-5"], "--train-limit"),
        (["--sweep-fractions", "0.5,1.5"], "--sweep-fractions"),
        (["--sweep", "yes"], "--sweep"),
        (["--preset", "enormous"], "preset"),
        (["--lr", "1000000"], "lower learning rate"),
        (["--dataset", "cifar10", "--data-dir", "/nonexistent/cifar"], "/nonexistent/cifar"),
    ])
    func badInputIsOneClearSentenceAndLosesNothing(arguments: [String], mentions: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("reports/filter-pruning.md")
        try FileManager.default.createDirectory(at: report.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("an earlier report".utf8).write(to: report)

        let result = try run(["--preset", "smoke", "--quiet", "--output-dir", folder.path] + arguments)
        #expect(result.status != 0)
        let errorLines = result.output.split(separator: "\n").filter { $0.lowercased().hasPrefix("error") }
        #expect(errorLines.count == 1, "one error sentence: \(result.output)")
        #expect(errorLines.first?.contains(mentions) == true, "the sentence names the problem: \(result.output)")
        #expect(!result.output.contains("Fatal error") && !result.output.contains("Stack dump"))
        #expect(try String(contentsOf: report, encoding: .utf8) == "an earlier report", "nothing already saved is lost")
        let files = try FileManager.default.contentsOfDirectory(atPath: report.deletingLastPathComponent().path)
        #expect(files == ["filter-pruning.md"], "no partial output: \(files)")
    }

    /// A kernel variant this CPU does not run (or that does not exist) is one sentence before anything runs.
    @Test func unknownKernelVariantIsOneClearSentence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-kernels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(["--preset", "smoke", "--quiet", "--output-dir", folder.path],
                             environment: ["PRUNELAB_KERNELS": "avx9"])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: PRUNELAB_KERNELS=avx9 is not a kernel variant this CPU runs; set it to simd8"),
                "one sentence: \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing written")
    }

    /// `train` shares the labs' options: it trains on the --train-limit subset, and refuses the
    /// lab options it has no use for in one sentence instead of ignoring them.
    @Test func trainHonoursTrainLimitAndRefusesLabOptions() throws {
        let train = URL(fileURLWithPath: ".build/release/train")
        let limited = try run(["--model", "mlp", "--train-limit", "300", "--epochs", "1", "--quiet"], binary: train)
        #expect(limited.status == 0, "\(limited.output)")
        #expect(limited.output.contains("300 training images"), "trains on the subset: \(limited.output)")
        let result = try run(["--model", "mlp", "--seeds", "3"], binary: train)
        #expect(result.status != 0)
        let errorLines = result.output.split(separator: "\n").filter { $0.lowercased().hasPrefix("error") }
        #expect(errorLines.count == 1 && errorLines[0].contains("--seeds"), "one sentence naming the option: \(result.output)")
    }

    /// A lab started from a folder outside the checkout still records the commit of its own code
    /// (git runs where the binary was built, not in the user's current folder).
    @Test func runFromAnotherFolderRecordsItsOwnCommit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-commit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let git = URL(fileURLWithPath: "/usr/bin/env")
        let head = try run(["git", "rev-parse", "--short=10", "HEAD"], binary: git)
        let result = try run(["--preset", "smoke", "--quiet", "--output-dir", folder.path], currentDirectory: folder)
        #expect(result.status == 0, "\(result.output)")
        let url = folder.appendingPathComponent("reports/filter-pruning.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let recorded = try #require((json["run"] as? [String: Any])?["git_commit"] as? String)
        if head.status == 0 {
            let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(recorded == commit || recorded == commit + "-dirty", "recorded \(recorded), checkout at \(commit)")
            // The code tree is the one the docs give to compute by hand.
            let shell = URL(fileURLWithPath: "/bin/sh")
            let byHand = try run(["-c", "git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift | git hash-object --stdin"],
                                 binary: shell)
            let tree = try #require((json["run"] as? [String: Any])?["code_tree"] as? String)
            let expected = String(byHand.output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(10))
            #expect(tree == expected || tree == expected + "-dirty", "recorded tree \(tree), by hand \(expected)")
        } else {
            #expect(recorded.isEmpty, "no git here, yet the run recorded \(recorded)")
        }
    }

    /// Runs the lab; with `killWhenOutputContains`, sends SIGKILL as soon as that text appears.
    func run(_ arguments: [String], killWhenOutputContains marker: String? = nil,
             environment: [String: String] = [:], binary: URL? = nil,
             currentDirectory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = (binary ?? self.binary).absoluteURL
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard let marker else {
            // Read to the end on this thread: a readability handler still running after the
            // process exits could append its last chunk after the output was returned.
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        let collected = OutputCollector()
        pipe.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && !collected.text.contains(marker) && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        collected.append(pipe.fileHandleForReading.readDataToEndOfFile())
        return (process.terminationStatus, collected.text)
    }
}

/// Output gathered from a child process on another thread.
final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
