import Foundation

/// A Markdown report built block by block, as a lab notebook reads: headings, prose,
/// tables of results, figures and code.
///
/// Images are stored by location and linked relative to the folder the report is written
/// to, so `reports/lab.md` links `figures/lab/x.png` as `../figures/lab/x.png` and the
/// links work on GitHub and in any Markdown viewer.
public struct MarkdownDocument: Sendable {
    enum Block: Sendable {
        case text(String)
        case image(target: URL, caption: String, number: Int)
    }

    var blocks: [Block] = []
    var figureCount = 0

    /// The folder the report will live in; image links are made relative to it by `render()`.
    public var folder: URL
    /// How a caption starts, from the figure's number: "Figure 3. " (the default), or "图 3：" in a Chinese report.
    public var captionPrefix: @Sendable (Int) -> String = { "Figure \($0). " }

    /// Starts an empty document that will live in `folder` (default `reports`, relative to the working directory).
    public init(folder: URL = URL(fileURLWithPath: "reports")) {
        self.folder = folder
    }

    /// Adds a heading; level 1 is the report title, 2 a section, 3 a subsection.
    public mutating func heading(_ text: String, level: Int = 2) {
        let hashes = String(repeating: "#", count: min(max(level, 1), 6))
        blocks.append(.text("\(hashes) \(text)"))
    }

    /// Adds a paragraph of prose; inline Markdown (`**bold**`, `` `code` ``, `$x^2$`) is kept as written.
    public mutating func paragraph(_ text: String) {
        blocks.append(.text(text))
    }

    /// Adds a bullet list, one item per element.
    public mutating func bullets(_ items: [String]) {
        guard !items.isEmpty else { return }
        blocks.append(.text(items.map { "- \($0)" }.joined(separator: "\n")))
    }

    /// Adds a numbered list, for steps that happen in order.
    public mutating func numbered(_ items: [String]) {
        guard !items.isEmpty else { return }
        blocks.append(.text(items.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")))
    }

    /// Adds a table whose cells may be text or numbers; numbers are right-aligned and shown
    /// with `decimals` digits unless a cell asks otherwise.
    public mutating func table(headers: [String], rows: [[TableCell]], alignments: [ColumnAlignment]? = nil, decimals: Int = 2) {
        let table = MarkdownTable(headers: headers, rows: rows, alignments: alignments, decimals: decimals)
        blocks.append(.text(table.render()))
    }

    /// Adds a table of text cells.
    public mutating func table(headers: [String], rows: [[String]], alignments: [ColumnAlignment]? = nil) {
        table(headers: headers, rows: rows.map { $0.map(TableCell.text) }, alignments: alignments)
    }

    /// Adds a numbered figure. `path` is a file path, absolute or relative to the working
    /// directory (e.g. `figures/lab/gamma.png`); the link is rewritten relative to the report folder.
    public mutating func image(path: String, caption: String) {
        image(url: URL(fileURLWithPath: path), caption: caption)
    }

    /// Adds a numbered figure from a file URL.
    public mutating func image(url: URL, caption: String) {
        figureCount += 1
        blocks.append(.image(target: url.standardizedFileURL, caption: caption, number: figureCount))
    }

    /// Adds a fenced code block; the fence grows if the code itself contains backticks.
    public mutating func code(_ code: String, language: String = "") {
        var fence = "```"
        while code.contains(fence) { fence += "`" }
        let body = code.hasSuffix("\n") ? String(code.dropLast()) : code
        blocks.append(.text("\(fence)\(language)\n\(body)\n\(fence)"))
    }

    /// Adds a displayed equation, rendered by GitHub as a math block.
    public mutating func equation(_ latex: String) {
        blocks.append(.text("```math\n\(latex)\n```"))
    }

    /// Adds Markdown exactly as given, for anything the builder has no method for.
    public mutating func raw(_ markdown: String) {
        blocks.append(.text(markdown))
    }

    /// The document as Markdown, with image links relative to `folder`.
    public func render() -> String {
        render(relativeTo: folder)
    }

    /// The document as Markdown, with image links relative to `base`.
    public func render(relativeTo base: URL) -> String {
        let parts = blocks.map { block -> String in
            switch block {
            case let .text(text):
                return text
            case let .image(target, caption, number):
                let link = MarkdownPaths.relativePath(from: base, to: target)
                let alt = caption.replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: "\n", with: " ")
                return "![\(alt)](\(MarkdownPaths.escapeLink(link)))\n\n*\(captionPrefix(number))\(caption)*"
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Writes the document atomically; image links are made relative to the file's folder.
    public func write(to url: URL) throws {
        let text = render(relativeTo: url.standardizedFileURL.deletingLastPathComponent())
        try AtomicWrite.write(Data(text.utf8), to: url)
    }
}

/// Helpers for inline Markdown, so prose can be assembled without remembering syntax.
public enum Markdown {
    /// Inline math as GitHub renders it: `$…$` (no spaces just inside the dollars).
    public static func math(_ latex: String) -> String {
        "$\(latex.trimmingCharacters(in: .whitespaces))$"
    }

    /// Inline code.
    public static func code(_ text: String) -> String {
        text.contains("`") ? "`` \(text) ``" : "`\(text)`"
    }

    /// Bold text.
    public static func bold(_ text: String) -> String { "**\(text)**" }

    /// Escapes characters that Markdown would otherwise read as formatting.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\`*_{}[]<>#|$".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
