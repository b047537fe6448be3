import Foundation
import Testing

/// The release build keeps the engine's invariants: `invariant-check` breaks one (a channel
/// group whose BatchNorm does not match its convolution) and the surgery's `precondition` must
/// stop it with a trap. With `-Ounchecked` on the Pruning target the check would be compiled away
/// and this test fails. `make test` builds the release binaries first.
private let invariantCheck = URL(fileURLWithPath: ".build/release/invariant-check")

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: invariantCheck.path),
                "needs the release build of invariant-check: run `swift build -c release` first (make test does)"))
struct ReleaseTrapTests {

    @Test func aBrokenChannelGroupTrapsInRelease() throws {
        let process = Process()
        process.executableURL = invariantCheck
        // No backtrace: the trap itself is the result, and symbolicating takes seconds.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!output.contains("invariant not enforced"), "\(output)")
        // A Swift trap is an illegal instruction on x86-64 (ud2) and a breakpoint on ARM (brk).
        #expect(process.terminationReason == .uncaughtSignal, "ended normally with status \(process.terminationStatus): \(output)")
        #expect([SIGILL, SIGTRAP].contains(process.terminationStatus), "ended by signal \(process.terminationStatus), not a trap: \(output)")
    }
}
