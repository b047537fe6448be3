import Foundation
import Tensors

/// Runs a lab: its body writes into a fresh notebook whose report `finish()` then writes.
/// With `--seeds N` (or a sweep, `--percents`) the lab runs as a study of independent jobs
/// (this executable again, one per seed and fraction) merged into one report; with
/// `--merge DIR…` it only merges finished jobs.
///
/// Any error ends the process with one clear sentence and exit code 1: errors users cause
/// (bad data files, unwritable folders, diverging training) all have a readable
/// `description`; nothing is printed as a stack trace.
public func runLab(lab: String, title: String, options: CommonOptions, _ body: (Notebook) throws -> Void) -> Never {
    do {
        try KernelVariant.checkEnvironment()
        try Conv3x3Algorithm.checkEnvironment()
        if let threads = options.threads { setBLASThreads(threads) }
        if let plan = options.plan {
            try Study.plan(lab: lab, options: options, folder: URL(fileURLWithPath: plan))
        } else if !options.merge.isEmpty {
            let root = options.outputDir.map { URL(fileURLWithPath: $0) } ?? Notebook.packageRoot()
            try StudyMerge.merge(lab: lab, jobFolders: options.merge.map { URL(fileURLWithPath: $0) }, into: root,
                                 language: options.lang)
        } else if Study.isStudy(options) {
            try Study.run(lab: lab, options: options)
        } else {
            let notebook = try Notebook(lab: lab, title: title, options: options)
            try body(notebook)
            try notebook.finish()
        }
        exit(0)
    } catch {
        let message = "\(error)"
        fflush(nil)  // what the lab printed so far comes before the error
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
