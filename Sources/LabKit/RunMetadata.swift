import Foundation

/// Facts about a run that a reader needs to trust and reproduce a report.
public struct RunMetadata: Codable, Sendable {
    public var date: String
    public var commandLine: String
    public var gitCommit: String?
    public var cores: Int
    public var buildConfiguration: String
    public var swiftVersion: String

    /// Reads the facts of the current process.
    public static func current() -> RunMetadata {
        let arguments = CommandLine.arguments
        let program = URL(fileURLWithPath: arguments[0]).lastPathComponent
        let command = (["swift run -c \(buildConfiguration) \(program)"] + arguments.dropFirst().map(shellQuoted))
            .joined(separator: " ")
        let formatter = ISO8601DateFormatter()
        return RunMetadata(date: formatter.string(from: Date()), commandLine: command, gitCommit: gitCommit(),
                           cores: ProcessInfo.processInfo.activeProcessorCount,
                           buildConfiguration: buildConfiguration, swiftVersion: swiftVersion)
    }

    static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static var swiftVersion: String {
        #if swift(>=6.3)
        return "6.3"
        #elseif swift(>=6.0)
        return "6.x"
        #else
        return "5.x"
        #endif
    }

    static func shellQuoted(_ argument: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,+"))
        if !argument.isEmpty && argument.unicodeScalars.allSatisfy(safe.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The checkout the running program was built from: the folder holding Package.swift above the
    /// executable (`<root>/.build/<triple>/release/lab-…`), so a lab started from another folder still
    /// names its own code; for a program copied out of its checkout, the package above the current folder.
    static func sourceRoot() -> URL {
        if var folder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
                folder = folder.deletingLastPathComponent()
            }
        }
        return Notebook.packageRoot()
    }

    /// The commit of the code this program was built from (with `-dirty` when the code differs from
    /// it), if git is there.
    static func gitCommit() -> String? {
        let root = sourceRoot().path
        func run(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let commit = run(["rev-parse", "--short=10", "HEAD"]) else { return nil }
        // The labs' own outputs do not make the code dirty.
        let dirty = run(["status", "--porcelain", "--untracked-files=no", "--", ".", ":!reports", ":!figures"])
            .map { !$0.isEmpty } ?? false
        return commit + (dirty ? "-dirty" : "")
    }
}
