import Foundation

/// Facts about a run that a reader needs to trust and reproduce a report.
public struct RunMetadata: Codable, Sendable {
    public var date: String
    public var commandLine: String
    public var gitCommit: String?
    /// The code that computes a run's results: the code tree the program was built from (see
    /// `codeTree()` and `provenance`); equal for two runs at different commits when only
    /// reports, docs or tests changed between them.
    public var codeTree: String?
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
        let code = provenance(built: builtCodeTree, checkoutTree: codeTree(), checkoutCommit: gitCommit())
        if let warning = code.warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        return RunMetadata(date: formatter.string(from: Date()), commandLine: command, gitCommit: code.commit,
                           codeTree: code.tree, cores: ProcessInfo.processInfo.activeProcessorCount,
                           buildConfiguration: buildConfiguration, swiftVersion: swiftVersion)
    }

    /// Which code a run names. The tree comes from the build (the CodeTreeStamp plugin), since that
    /// is the code that computes; the commit comes from the checkout, and only while the checkout
    /// still holds the code the program was built from. After a `git checkout` or `pull` without a
    /// rebuild the two differ: the run then names the built tree and no commit, and says so.
    /// Without a stamp (built without git) the checkout is all there is to read.
    static func provenance(built: String, checkoutTree: String?, checkoutCommit: String?)
        -> (tree: String?, commit: String?, warning: String?) {
        guard !built.isEmpty else { return (checkoutTree, checkoutCommit, nil) }
        if built == checkoutTree { return (built, checkoutCommit, nil) }
        let now = checkoutTree.map { "code tree \($0)" } ?? "no git checkout"
        return (built, nil, "Note: this program was built from code tree \(built), but its checkout now holds \(now); "
                    + "the report names the built tree and no commit. Rebuild (swift build -c release) to record the commit.")
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
        guard let commit = git(["rev-parse", "--short=10", "HEAD"]) else { return nil }
        // The labs' own outputs do not make the code dirty.
        return commit + (isDirty([".", ":!reports", ":!figures"]) ? "-dirty" : "")
    }

    /// The folders and files whose content decides what a lab computes and writes.
    static let codePaths = ["Sources", "labs", "Package.swift"]

    /// One hash of the git trees of `codePaths` at HEAD (with `-dirty` when they differ from it):
    /// the same for every commit that changed only reports, docs, tests or tools, so the seeds
    /// of one study can run in different sessions or on different machines and still merge.
    /// By hand: `git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift | git hash-object --stdin`.
    static func codeTree() -> String? {
        guard let trees = git(["rev-parse"] + codePaths.map { "HEAD:" + $0 }),
              let hash = git(["hash-object", "--stdin"], input: trees + "\n") else { return nil }
        return String(hash.prefix(10)) + (isDirty(codePaths) ? "-dirty" : "")
    }

    static func isDirty(_ paths: [String]) -> Bool {
        git(["status", "--porcelain", "--untracked-files=no", "--"] + paths).map { !$0.isEmpty } ?? false
    }

    /// Runs git in the program's own checkout; its output, or nil when git or the checkout is missing.
    static func git(_ arguments: [String], input: String? = nil) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", sourceRoot().path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe }
        do { try process.run() } catch { return nil }
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inputPipe.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
