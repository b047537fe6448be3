import Foundation
import Testing
@testable import Reports
import TestSupport

@Suite struct FileWritingTests {
    /// Root can write anywhere, so an unwritable folder is made by putting a file where a folder should be.
    func blockedFolder() throws -> (root: URL, target: URL) {
        let root = try temporaryFolder(prefix: "reports-tests")
        let blocker = root.appendingPathComponent("figures")
        try Data("not a folder".utf8).write(to: blocker)
        return (root, blocker.appendingPathComponent("lab/chart.png"))
    }

    @Test func unwritableFolderThrowsAClearErrorAndLeavesNoFile() throws {
        let (root, target) = try blockedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let chart = LineChart(series: [LineSeries(name: "", y: [1, 2, 3])])
        do {
            try chart.write(to: target, width: 400, height: 300, scale: 1)
            Issue.record("writing into a file path should fail")
        } catch let error as ReportError {
            guard case let .cannotWrite(path, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(path == target.path)
            #expect(error.description.hasPrefix("Cannot write \(target.path)"))
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["figures"])
    }

    @Test func unwritableReportFolderThrowsToo() throws {
        let (root, target) = try blockedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var document = MarkdownDocument()
        document.paragraph("text")
        #expect(throws: ReportError.self) { try document.write(to: target.deletingPathExtension().appendingPathExtension("md")) }
    }

    @Test func failedRenameLeavesNoTemporaryFile() throws {
        let root = try temporaryFolder(prefix: "reports-tests")
        defer { try? FileManager.default.removeItem(at: root) }
        // The destination is an existing non-empty folder, so the final rename fails.
        let destination = root.appendingPathComponent("chart.png")
        try FileManager.default.createDirectory(at: destination.appendingPathComponent("inside"), withIntermediateDirectories: true)
        #expect(throws: ReportError.self) { try AtomicWrite.write(Data([1, 2, 3]), to: destination) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["chart.png"])
    }

    @Test func writeReplacesAnExistingFileAndCreatesFolders() throws {
        let root = try temporaryFolder(prefix: "reports-tests")
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("a/b/c.txt")
        try AtomicWrite.write(Data("old".utf8), to: target)
        try AtomicWrite.write(Data("new".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["c.txt"])
    }
}
