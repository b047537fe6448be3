/// Tick choice for charts: how many ticks an axis of a given length can hold.
extension PlotFrame {
    /// About one y tick per 55 points, between 3 and 8.
    static func yTickCount(plotHeight: Double) -> Int {
        min(8, max(3, Int(plotHeight / 55)))
    }

    /// Linear y ticks with labels.
    static func linearTicks(_ axis: Axis, maxCount: Int, integerOnly: Bool = false) -> [Tick] {
        let values = Ticks.linear(from: axis.lower, to: axis.upper, maxCount: maxCount, integerOnly: integerOnly)
        return zip(values, Ticks.linearLabels(values)).map { Tick(value: $0, label: $1) }
    }

    /// Linear x ticks: as many as fit (up to one per 70 points) with at least 14 points
    /// between neighbouring labels.
    static func numericXTicks(_ axis: Axis, plotWidth: Double, canvas: Canvas, style: ChartStyle,
                              integerOnly: Bool = false) -> [Tick] {
        var maxCount = min(10, max(3, Int(plotWidth / 70)))
        while true {
            let ticks = linearTicks(axis, maxCount: maxCount, integerOnly: integerOnly)
            guard ticks.count > 1, maxCount > 2 else { return ticks }
            let spacing = plotWidth * (ticks[1].value - ticks[0].value) / (axis.upper - axis.lower)
            let widest = ticks.map { canvas.textWidth($0.label, style.tickLabel) }.max() ?? 0
            if spacing >= widest + 14 { return ticks }
            maxCount -= 1
        }
    }
}
