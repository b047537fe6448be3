import Foundation
import PackagePlugin

/// Writes the code tree the engine is being built from into LabKit (`builtCodeTree`), so a run
/// names the code its binary was compiled from, not whatever the checkout holds when it starts.
/// It runs before every build (git is quick) and rewrites the file only when the tree changed, so
/// an unchanged tree recompiles nothing. The hash is the one RunMetadata documents:
/// `git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift | git hash-object --stdin`, first 10
/// characters, `-dirty` when those paths differ from HEAD; empty without git.
@main struct CodeTreeStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("stamp")
        let script = """
            out="$2/BuiltCodeTree.swift"
            mkdir -p "$2"
            tree=$(cd "$1" 2>/dev/null && git rev-parse HEAD:Sources HEAD:labs HEAD:Package.swift 2>/dev/null | git hash-object --stdin 2>/dev/null | cut -c1-10)
            if [ -n "$tree" ] && [ -n "$(cd "$1" && git status --porcelain --untracked-files=no -- Sources labs Package.swift 2>/dev/null)" ]; then
                tree="$tree-dirty"
            fi
            new="// Written by the CodeTreeStamp plugin when this module was built.
            let builtCodeTree = \\"$tree\\""
            [ "$(cat "$out" 2>/dev/null)" = "$new" ] || printf '%s\\n' "$new" > "$out"
            """
        return [.prebuildCommand(displayName: "Stamp the code tree of \(target.name)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "stamp", context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
