import Foundation

extension Float {
    /// An accuracy or fraction for prose, e.g. "86.55%".
    public var percentText: String { String(format: "%.2f%%", self * 100) }
    /// A change of accuracy in percentage points, with its sign, e.g. "+3.70".
    public var pointsText: String { String(format: "%+.2f", self * 100) }
}

extension Double {
    /// A fraction as a whole percentage, e.g. 0.7 → "70%".
    public var wholePercentText: String { String(format: "%.0f%%", self * 100) }
}

extension Int {
    /// A number of epochs for English prose: "1 epoch", "16 epochs".
    public var epochsText: String { self == 1 ? "1 epoch" : "\(self) epochs" }
}
