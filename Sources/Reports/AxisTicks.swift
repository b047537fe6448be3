import Foundation

/// Tick choice for charts: how many ticks an axis of a given length can hold.
extension PlotFrame {
    /// About one y tick per 55 points, between 3 and 8.
    static func yTickCount(plotHeight: Double) -> Int {
        min(8, max(3, Int(plotHeight / 55)))
    }

    /// Linear ticks with labels, scaled by a power of ten when the labels would need more
    /// than four decimals or seven digits.
    static func linearTicks(_ axis: Axis, maxCount: Int, integerOnly: Bool = false) -> AxisLayout {
        let values = Ticks.linear(from: axis.lower, to: axis.upper, maxCount: maxCount, integerOnly: integerOnly)
        let largest = values.map(abs).max() ?? 0
        let decimals = values.count > 1 ? Ticks.labelDecimals(step: values[1] - values[0]) : 0
        guard largest > 0, decimals > 4 || largest >= 1e7 else {
            return AxisLayout(axis: axis, ticks: zip(values, Ticks.linearLabels(values)).map { Tick(value: $0, label: $1) })
        }
        let exponent = Int(log10(largest).rounded(.down))
        let factor = pow(10, Double(exponent))
        let labels = Ticks.linearLabels(values.map { $0 / factor })
        return AxisLayout(axis: axis, ticks: zip(values, labels).map { Tick(value: $0, label: $1) },
                          multiplier: "×" + Ticks.powerOfTen(exponent))
    }

    /// Linear x ticks: as many as fit (up to one per 70 points) with at least 14 points
    /// between neighbouring labels.
    static func numericXTicks(_ axis: Axis, plotWidth: Double, canvas: Canvas, style: ChartStyle,
                              integerOnly: Bool = false) -> AxisLayout {
        var maxCount = min(10, max(3, Int(plotWidth / 70)))
        while true {
            let layout = linearTicks(axis, maxCount: maxCount, integerOnly: integerOnly)
            let ticks = layout.ticks
            guard ticks.count > 1, maxCount > 2 else { return layout }
            let spacing = plotWidth * (ticks[1].value - ticks[0].value) / (axis.upper - axis.lower)
            let widest = ticks.map { canvas.textWidth($0.label, style.tickLabel) }.max() ?? 0
            if spacing >= widest + 14 { return layout }
            maxCount -= 1
        }
    }
}
