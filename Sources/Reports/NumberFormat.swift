import Foundation

/// Number formatting shared by tables and chart labels, independent of the user's locale.
enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point; never prints "-0.00".
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "—" : (value > 0 ? "∞" : "−∞") }
        let digits = max(0, min(decimals, 12))
        var text = String(format: "%.\(digits)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }

    /// An integer with comma thousands separators: 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, ch) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// Chart text uses the typographic minus sign (−), as matplotlib does; it is as wide as
    /// a digit, so negative labels line up.
    static func minusSign(_ text: String) -> String {
        text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}

extension Int {
    /// A count for prose with comma thousands separators, whatever the user's locale: 40000 → "40,000".
    public var groupedText: String { NumberFormat.grouped(self) }
}
