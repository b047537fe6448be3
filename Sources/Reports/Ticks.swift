import Foundation

/// One tick on an axis: where it sits (in data units) and what it says.
struct Tick: Equatable {
    var value: Double
    var label: String
}

/// "Nice" tick values: multiples of 1, 2, 2.5 or 5 times a power of ten, as few as
/// possible but no more than asked, all inside the axis range (like matplotlib's MaxNLocator).
/// For 0…0.87 and at most 6 ticks this gives 0, 0.2, 0.4, 0.6, 0.8.
enum Ticks {
    private static let multiples: [Double] = [1, 2, 2.5, 5]

    /// The tick spacing chosen for `lower…upper` (see `linear`).
    static func step(from lower: Double, to upper: Double, maxCount: Int, integerOnly: Bool = false) -> Double {
        let span = upper - lower
        guard span > 0, span.isFinite else { return 1 }
        let maxCount = max(2, maxCount)
        var exponent = (log10(span / Double(maxCount))).rounded(.down) - 1
        while true {
            let power = pow(10, exponent)
            for multiple in multiples {
                let step = multiple * power
                if integerOnly && (step < 1 || step.rounded() != step) { continue }
                if count(lower, upper, step) <= maxCount { return step }
            }
            exponent += 1
        }
    }

    private static func count(_ lower: Double, _ upper: Double, _ step: Double) -> Int {
        let epsilon = 1e-9
        return Int((upper / step + epsilon).rounded(.down)) - Int((lower / step - epsilon).rounded(.up)) + 1
    }

    /// Nice tick values within `lower…upper`, at most `maxCount` of them.
    static func linear(from lower: Double, to upper: Double, maxCount: Int = 6, integerOnly: Bool = false) -> [Double] {
        guard upper > lower else { return [lower] }
        let step = self.step(from: lower, to: upper, maxCount: maxCount, integerOnly: integerOnly)
        let epsilon = 1e-9
        let first = Int((lower / step - epsilon).rounded(.up)), last = Int((upper / step + epsilon).rounded(.down))
        guard first <= last else { return [] }
        let decimals = labelDecimals(step: step)
        return (first...last).map { index in
            // Round away float noise (0.30000000000000004) using the step's own decimals.
            let value = Double(index) * step
            let factor = pow(10, Double(decimals))
            return (value * factor).rounded() / factor
        }
    }

    /// Digits after the point needed to show every multiple of `step` exactly.
    static func labelDecimals(step: Double) -> Int {
        for decimals in 0...10 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return decimals }
        }
        return 10
    }

    /// Labels for linear ticks, all with the same number of decimals (0.0, 2.5, 5.0).
    static func linearLabels(_ values: [Double]) -> [String] {
        guard values.count > 1 else { return values.map { format($0, decimals: labelDecimals(step: abs($0))) } }
        let decimals = labelDecimals(step: values[1] - values[0])
        return values.map { format($0, decimals: decimals) }
    }

    private static func format(_ value: Double, decimals: Int) -> String {
        if decimals == 0, abs(value) >= 10_000, abs(value) < 1e15 { return NumberFormat.minusSign(NumberFormat.grouped(Int(value))) }
        return NumberFormat.minusSign(NumberFormat.fixed(value, decimals: decimals))
    }

    /// 10 with a superscript exponent: 10⁻⁴.
    static func powerOfTen(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                    "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "10" + String(String(exponent).map { superscripts[$0]! })
    }

    /// Ticks for a logarithmic axis: every power of ten inside the range, plus 2× and 5×
    /// when the range spans fewer than two decades.
    static func logarithmic(from lower: Double, to upper: Double) -> [Tick] {
        guard lower > 0, upper > lower else { return [] }
        let first = Int(log10(lower).rounded(.up) + 1e-9), last = Int((log10(upper) + 1e-9).rounded(.down))
        var values: [Double] = []
        let multiples: [Double] = last - first < 2 ? [1, 2, 5] : [1]
        for exponent in (first - 1)...last {
            for multiple in multiples {
                let value = multiple * pow(10, Double(exponent))
                if value >= lower * (1 - 1e-9), value <= upper * (1 + 1e-9) { values.append(value) }
            }
        }
        return values.map { Tick(value: $0, label: logLabel($0)) }
    }

    private static func logLabel(_ value: Double) -> String {
        if value >= 1, value < 1e6 { return NumberFormat.grouped(Int(value.rounded())) }
        if value >= 1e-4, value < 1 { return NumberFormat.fixed(value, decimals: labelDecimals(step: value)) }
        let exponent = Int(log10(value).rounded(.down))
        let mantissa = value / pow(10, Double(exponent))
        let power = powerOfTen(exponent)
        return abs(mantissa - 1) < 1e-9 ? power : "\(Int(mantissa.rounded()))×\(power)"
    }
}

/// The data range an axis shows and how values map onto it.
struct Axis {
    var lower: Double
    var upper: Double
    var logarithmic = false

    /// Where `value` falls between the ends of the axis: 0 at `lower`, 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        if logarithmic {
            let low = log10(lower), high = log10(upper)
            return (log10(max(value, lower * 1e-3)) - low) / (high - low)
        }
        return (value - lower) / (upper - lower)
    }

    /// The axis range around `lower…upper` with `margin` (a fraction of the span) added on each side.
    static func padded(_ lower: Double, _ upper: Double, margin: Double) -> Axis {
        if upper > lower {
            let pad = (upper - lower) * margin
            return Axis(lower: lower - pad, upper: upper + pad)
        }
        let pad = lower == 0 ? 1 : abs(lower) * 0.1
        return Axis(lower: lower - pad, upper: upper + pad)
    }
}
