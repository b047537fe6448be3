import Foundation
import PackagePlugin

/// Writes the code tree the engine is being built from into LabKit (`builtCodeTree`), so a run
/// names the code its binary was compiled from, not whatever the checkout holds when it starts.
/// The hash is the one RunMetadata documents:
/// `git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift | git hash-object --stdin`, first 10
/// characters, `-dirty` when those paths differ from HEAD; empty without git.
///
/// A build command, not a prebuild one: SwiftPM runs prebuild commands only when it plans the
/// build again (a file added or removed, Package.swift touched), so an edit to an existing file
/// left the old stamp in a binary built from the new code (swift-package-manager#5476). As a
/// build command its inputs are every file of the code paths and the git files a commit,
/// checkout, reset or `git add` rewrites, so it runs again whenever the tree or the dirty flag
/// can have changed. It rewrites the stamp only when the tree changed, so an unchanged tree
/// recompiles nothing.
@main struct CodeTreeStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltCodeTree.swift")
        let script = """
            out="$2"
            tree=$(cd "$1" 2>/dev/null && git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift 2>/dev/null | git hash-object --stdin 2>/dev/null | cut -c1-10)
            if [ -n "$tree" ] && [ -n "$(cd "$1" && git status --porcelain --untracked-files=no -- Sources labs Package.swift 2>/dev/null)" ]; then
                tree="$tree-dirty"
            fi
            new="// Written by the CodeTreeStamp plugin when this module was built.
            let builtCodeTree = \\"$tree\\""
            [ "$(cat "$out" 2>/dev/null)" = "$new" ] || printf '%s\\n' "$new" > "$out"
            """
        return [.buildCommand(displayName: "Stamp the code tree of \(target.name)",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "stamp", package.path, output.path],
                              inputFiles: codeFiles(in: package) + gitStateFiles(of: package),
                              outputFiles: [output])]
    }

    /// Every file under `Sources` and `labs`, and `Package.swift`: the paths the tree hashes.
    func codeFiles(in package: URL) -> [URL] {
        var files = [package.appendingPathComponent("Package.swift")]
        for folder in ["Sources", "labs"] {
            let enumerator = FileManager.default.enumerator(at: package.appendingPathComponent(folder),
                                                            includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { files.append(url) }
            }
        }
        return files
    }

    /// The git files that change when HEAD or the index moves: `HEAD`, `index` and the branch HEAD
    /// names, in the checkout's git folder (a worktree's `.git` file points to its own; its
    /// branches live in the common folder). Only those that exist: none without git.
    func gitStateFiles(of package: URL) -> [URL] {
        var gitFolder = package.appendingPathComponent(".git")
        if let pointer = try? String(contentsOf: gitFolder, encoding: .utf8), pointer.hasPrefix("gitdir:") {
            gitFolder = resolve(String(pointer.dropFirst("gitdir:".count)), against: package)
        }
        let head = gitFolder.appendingPathComponent("HEAD")
        var files = [head, gitFolder.appendingPathComponent("index")]
        if let reference = try? String(contentsOf: head, encoding: .utf8), reference.hasPrefix("ref:") {
            let common = (try? String(contentsOf: gitFolder.appendingPathComponent("commondir"), encoding: .utf8))
                .map { resolve($0, against: gitFolder) } ?? gitFolder
            files.append(common.appendingPathComponent(reference.dropFirst("ref:".count)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// A path read from a git pointer file: absolute, or relative to `folder`.
    func resolve(_ path: String, against folder: URL) -> URL {
        let path = path.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") ? URL(fileURLWithPath: path)
                                   : folder.appendingPathComponent(path).standardizedFileURL
    }
}
