import Foundation
import Testing
@testable import LabKit

/// A run names the code its program was built from, not whatever its checkout holds when it starts.
struct ProvenanceTests {
    @Test func aRunNamesTheBuiltTreeAndTheCommitOnlyWhileTheCheckoutStillHoldsIt() {
        let same = RunMetadata.provenance(built: "19c37424b8", checkoutTree: "19c37424b8", checkoutCommit: "e9d64d8abc")
        #expect(same.tree == "19c37424b8" && same.commit == "e9d64d8abc" && same.warning == nil)

        // The checkout moved (checkout or pull) after the build: the built tree, no commit, and a note naming both.
        let moved = RunMetadata.provenance(built: "19c37424b8", checkoutTree: "5a0e2c1f77", checkoutCommit: "0123456789")
        #expect(moved.tree == "19c37424b8" && moved.commit == nil)
        let warning = moved.warning ?? ""
        #expect(warning.contains("19c37424b8") && warning.contains("5a0e2c1f77") && warning.contains("swift build"), "\(warning)")

        // Built without git (a tarball): only the checkout can tell, as before the stamp.
        let unstamped = RunMetadata.provenance(built: "", checkoutTree: "abc", checkoutCommit: "def")
        #expect(unstamped.tree == "abc" && unstamped.commit == "def" && unstamped.warning == nil)
    }

    @Test func theBuildStampIsTheTreeTheDocsComputeByHand() throws {
        let root = RunMetadata.sourceRoot()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cd '\(root.path)' && git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift | git hash-object --stdin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            #expect(builtCodeTree.isEmpty, "no git here, yet the build stamped \(builtCodeTree)")
            return
        }
        let byHand = String(output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(10))
        #expect(builtCodeTree == byHand || builtCodeTree == byHand + "-dirty", "stamped \(builtCodeTree), by hand \(byHand)")
    }
}
