import Foundation
import Testing
@testable import Reports
import TestSupport

@Suite struct MarkdownTests {
    @Test func tablesAlignColumnsAndFormatNumbersConsistently() {
        var document = MarkdownDocument()
        document.table(headers: ["layer", "channels", "|γ| mean"],
                       rows: [["conv1", 64, 0.93123], ["conv10", 1234, .number(0.5)], ["fc", .empty, .percent(0.6134)]],
                       decimals: 3)
        let expected = """
        | layer  | channels | \\|γ\\| mean |
        | :----- | -------: | ---------: |
        | conv1  |       64 |      0.931 |
        | conv10 |    1,234 |      0.500 |
        | fc     |          |      61.3% |

        """
        #expect(document.render() == expected)
    }

    @Test func explicitAlignmentsAndTextRows() {
        var document = MarkdownDocument()
        document.table(headers: ["a", "b"], rows: [["x|y", "long text"]], alignments: [.center, .right])
        #expect(document.render() == "|  a   |         b |\n| :--: | --------: |\n| x\\|y | long text |\n")
    }

    @Test func imagesLinkRelativeToTheReportFolder() throws {
        let root = URL(fileURLWithPath: "/project")
        var document = MarkdownDocument(folder: root.appendingPathComponent("reports"))
        document.image(path: "/project/figures/lab/gamma.png", caption: "γ before pruning")
        document.image(path: "/project/reports/local.png", caption: "same folder")
        let text = document.render()
        #expect(text.contains("![γ before pruning](../figures/lab/gamma.png)\n\n*Figure 1. γ before pruning*"))
        #expect(text.contains("![same folder](local.png)\n\n*Figure 2. same folder*"))
    }

    @Test func writtenReportsLinkFiguresFromWhereTheyAreWritten() throws {
        let root = try temporaryFolder(prefix: "reports-tests")
        defer { try? FileManager.default.removeItem(at: root) }
        var document = MarkdownDocument()
        document.heading("Lab", level: 1)
        document.image(url: root.appendingPathComponent("figures/lab/curve 1.png"), caption: "Training")
        let report = root.appendingPathComponent("reports/lab.md")
        try document.write(to: report)
        let text = try String(contentsOf: report, encoding: .utf8)
        #expect(text.hasPrefix("# Lab\n\n"))
        #expect(text.contains("](../figures/lab/curve%201.png)"))
    }

    @Test func blocksRenderAsGitHubMarkdown() {
        var document = MarkdownDocument()
        document.heading("Setup", level: 2)
        document.paragraph("Keep channels with \(Markdown.math("|\\gamma| > t")).")
        document.bullets(["one", "two"])
        document.numbered(["first", "second"])
        document.code("let x = 1\n", language: "swift")
        document.code("a ``` b")
        document.equation("\\sum_i |\\gamma_i|")
        #expect(document.render() == """
        ## Setup

        Keep channels with $|\\gamma| > t$.

        - one
        - two

        1. first
        2. second

        ```swift
        let x = 1
        ```

        ````
        a ``` b
        ````

        ```math
        \\sum_i |\\gamma_i|
        ```

        """)
    }

    @Test func numbersNeverShowNegativeZero() {
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(-1.005, decimals: 1) == "-1.0")
        #expect(NumberFormat.grouped(-1_234_567) == "-1,234,567")
        #expect(NumberFormat.grouped(999) == "999")
    }
}
