import Foundation

/// How a table column lines up its cells.
public enum ColumnAlignment: Sendable {
    case left, center, right
}

/// One cell of a Markdown table: text, or a number formatted the same way in every row.
public enum TableCell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Text shown as written (pipes are escaped).
    case text(String)
    /// An integer, shown with thousands separators (1,234,567).
    case integer(Int)
    /// A real number with the table's number of decimals, or `decimals` if given.
    case number(Double, decimals: Int? = nil)
    /// A fraction shown as a percentage (0.613 → 61.3%), with `decimals` digits.
    case percent(Double, decimals: Int = 1)
    /// An empty cell.
    case empty

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }

    /// Whether the cell holds a number, so its column is right-aligned by default.
    var isNumeric: Bool {
        switch self {
        case .integer, .number, .percent: return true
        case .text, .empty: return false
        }
    }

    /// The cell as table text, using `defaultDecimals` for numbers without their own.
    func formatted(defaultDecimals: Int) -> String {
        switch self {
        case let .text(text):
            return text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        case let .integer(value):
            return NumberFormat.grouped(value)
        case let .number(value, decimals):
            return NumberFormat.fixed(value, decimals: decimals ?? defaultDecimals)
        case let .percent(value, decimals):
            return NumberFormat.fixed(value * 100, decimals: decimals) + "%"
        case .empty:
            return ""
        }
    }
}

/// A GitHub-flavoured Markdown table whose raw text is aligned too, so it reads well in a terminal.
struct MarkdownTable {
    var headers: [String]
    var rows: [[TableCell]]
    var alignments: [ColumnAlignment]?
    var decimals: Int

    func render() -> String {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return "" }
        let headerCells = (0..<columns).map { $0 < headers.count ? TableCell.text(headers[$0]).formatted(defaultDecimals: decimals) : "" }
        let body = rows.map { row in
            (0..<columns).map { $0 < row.count ? row[$0].formatted(defaultDecimals: decimals) : "" }
        }
        let align = (0..<columns).map { column -> ColumnAlignment in
            if let alignments, column < alignments.count { return alignments[column] }
            let cells = rows.compactMap { column < $0.count ? $0[column] : nil }.filter { $0 != .empty }
            return !cells.isEmpty && cells.allSatisfy(\.isNumeric) ? .right : .left
        }
        let widths = (0..<columns).map { column in
            max(3, ([headerCells[column]] + body.map { $0[column] }).map(\.count).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { pad($0.element, to: widths[$0.offset], align[$0.offset]) }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = (0..<columns).map { column -> String in
            let width = widths[column]
            switch align[column] {
            case .left: return ":" + String(repeating: "-", count: width - 1)
            case .right: return String(repeating: "-", count: width - 1) + ":"
            case .center: return ":" + String(repeating: "-", count: width - 2) + ":"
            }
        }
        return ([line(headerCells), "| " + rule.joined(separator: " | ") + " |"] + body.map(line)).joined(separator: "\n")
    }

    private func pad(_ text: String, to width: Int, _ alignment: ColumnAlignment) -> String {
        let gap = max(0, width - text.count)
        switch alignment {
        case .left: return text + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + text
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: gap - left)
        }
    }
}
