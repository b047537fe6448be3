// report-index: writes reports/README.md, one table of every lab's key results with links to
// the reports and their run details, and with --readme the README's results table; both are
// read from reports/*.json. --check (the tests run it) exits 1 when either is out of date.
//   swift run report-index            # reports/README.md
//   swift run report-index --readme   # the table between README.md's results markers
//   swift run report-index --lang zh  # reports/weekly.zh.md, a one-page 周报 draft
//   swift run report-index --check
import ArgumentParser
import Foundation
import LabKit

struct ReportIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-index", abstract: "Write reports/README.md and the README's results table from reports/*.json.")

    @Flag(help: "Rewrite the results table between README.md's markers instead of reports/README.md.")
    var readme = false

    @Option(help: "en (default): reports/README.md; zh: reports/weekly.zh.md, a 周报 draft (本周工作, 实验结果, 下周计划 to fill).")
    var lang: Language = .en

    @Flag(help: "Write nothing; exit 1 if reports/README.md, the README's table or reports/weekly.zh.md differs from reports/*.json.")
    var check = false

    @Option(help: "The PruneLab folder holding README.md and reports/ (default: the package around the current folder).")
    var root: String?

    func run() throws {
        let folder = root.map { URL(fileURLWithPath: $0) } ?? Notebook.packageRoot()
        do {
            if check {
                let stale = try ReportIndex.outOfDate(root: folder)
                guard stale.isEmpty else {
                    print("out of date with reports/*.json: " + stale.map(\.path).joined(separator: ", ")
                          + "; run make index (swift run report-index, with --readme and with --lang zh)")
                    throw ExitCode.failure
                }
                return
            }
            for url in try ReportIndex.write(root: folder, readme: readme, language: lang) { print("Wrote \(url.path)") }
        } catch let error as LabError {
            print("error: \(error)")
            throw ExitCode.failure
        }
    }
}

ReportIndexCommand.main()
