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
    /// A separation figure (threshold over the median kept |γ|): three decimals, or as many as show its
    /// first two digits when it is smaller, so a threshold a hundred-thousandth of the kept factors does
    /// not read "0.000" as if it were exactly zero: 0.39 → "0.390", 0.000024 → "0.000024".
    public var separationText: String {
        guard self > 0, self < 0.001 else { return String(format: "%.3f", self) }
        let decimals = min(8, 1 - Int(log10(self).rounded(.down)))
        return String(format: "%.\(decimals)f", self)
    }
}

extension Int {
    /// A number of epochs for English prose: "1 epoch", "16 epochs".
    public var epochsText: String { self == 1 ? "1 epoch" : "\(self) epochs" }
}
