import Foundation
import Testing

/// Kills a real lab process in the middle of a training stage, starts it again, and checks
/// that it resumes from the stage cache and that the earlier report stayed intact until the
/// new one replaced it. Uses the release binaries `make smoke` builds.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_SMOKE_DIR"] != nil,
                "needs the release lab binaries that `make smoke` builds (PRUNELAB_SMOKE_DIR)"))
struct ResumeTests {
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
    }

    /// Runs the lab; with `killWhenOutputContains`, sends SIGKILL as soon as that text appears.
    func run(_ arguments: [String], killWhenOutputContains marker: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let collected = OutputCollector()
        pipe.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        if let marker {
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && !collected.text.contains(marker) && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
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
