import Foundation

/// An axis as laid out for a given plot size: its range, ticks, how its tick labels are
/// turned, and a power-of-ten multiplier shown in the axis title when labels would
/// otherwise need many digits (0.000075 → 0.75 with "×10⁻⁴").
struct AxisLayout {
    var axis: Axis
    var ticks: [Tick]
    var labelAngle = 0.0
    var multiplier: String?
}

/// What a chart asks of its frame: the texts around the plot and, once the plot's size is
/// known, its axes and ticks (tick choice depends on how much room there is).
struct FrameRequest {
    var width: Double
    var height: Double
    var title: String
    var xLabel: String
    var yLabel: String
    /// Room kept free at the right edge (for a legend outside the plot).
    var rightReserve = 0.0
    /// Whether vertical grid lines are drawn at the x ticks (numeric x axes).
    var verticalGrid = true
    /// The y axis for a plot of the given height in points.
    var yAxis: (Double) -> AxisLayout
    /// The x axis for a plot of the given width in points.
    var xAxis: (Double) -> AxisLayout
}

/// The laid-out chart frame: the plot rectangle, axes, ticks and titles around it.
///
/// Margins are measured from the actual text (tick labels, axis titles, title), so nothing
/// is clipped and nothing is cramped whatever the labels say.
struct PlotFrame {
    var size: (width: Double, height: Double)
    var plot: Rect
    var x: Axis
    var y: Axis
    var xTicks: [Tick]
    var yTicks: [Tick]
    var xLabelAngle: Double
    var verticalGrid: Bool
    var title: String
    var titleStyle: TextStyle
    var xLabel: String
    var yLabel: String
    var style: ChartStyle

    /// The horizontal position of data value `value`, in points.
    func mapX(_ value: Double) -> Double { plot.minX + x.fraction(value) * plot.width }
    /// The vertical position of data value `value`, in points.
    func mapY(_ value: Double) -> Double { plot.maxY - y.fraction(value) * plot.height }

    init(_ request: FrameRequest, canvas: Canvas, style: ChartStyle = .standard) {
        self.style = style
        size = (request.width, request.height)
        title = request.title
        verticalGrid = request.verticalGrid
        let pad = style.padding
        let width = request.width, height = request.height

        var titleStyle = style.title
        var top = pad
        if !title.isEmpty {
            while canvas.textWidth(title, titleStyle) > width - 2 * pad, titleStyle.size > 9 { titleStyle.size -= 0.5 }
            top += canvas.lineHeight(titleStyle) + style.titleGap
        } else {
            top += canvas.lineHeight(style.tickLabel) / 2
        }
        self.titleStyle = titleStyle

        let tickLine = canvas.lineHeight(style.tickLabel)
        let bottomFixed = pad + (request.xLabel.isEmpty ? 0 : canvas.lineHeight(style.axisTitle) + style.axisTitleGap)
            + style.tickLength + style.tickLabelGap
        let leftFixed = pad + (request.yLabel.isEmpty ? 0 : canvas.lineHeight(style.axisTitle) + style.axisTitleGap)
            + style.tickLabelGap + style.tickLength
        var labelArea = tickLine
        var result: (plot: Rect, x: AxisLayout, y: AxisLayout)!
        for pass in 0..<2 {
            let plotHeight = max(20, height - top - bottomFixed - labelArea)
            let yLayout = request.yAxis(plotHeight)
            let yLabelWidth = yLayout.ticks.map { canvas.textWidth($0.label, style.tickLabel) }.max() ?? 0
            var left = leftFixed + yLabelWidth
            var right = width - pad - request.rightReserve
            var xLayout = request.xAxis(max(20, right - left))
            // Let the outermost x tick labels hang past the plot, but never past the image edge.
            var plot = Rect(x: left, y: top, width: max(20, right - left), height: plotHeight)
            let boxes = PlotFrame.xLabelExtents(xLayout, plot: plot, canvas: canvas, style: style)
            let overRight = (boxes.map(\.max).max() ?? 0) - (width - pad - request.rightReserve)
            let overLeft = pad - (boxes.map(\.min).min() ?? pad)
            if overRight > 0 || overLeft > 0 {
                right -= max(0, overRight)
                left += max(0, overLeft)
                xLayout = request.xAxis(max(20, right - left))
                plot = Rect(x: left, y: top, width: max(20, right - left), height: plotHeight)
            }
            result = (plot, xLayout, yLayout)
            let needed = PlotFrame.xLabelHeight(xLayout, canvas: canvas, style: style)
            if pass == 0, abs(needed - labelArea) > 0.5 { labelArea = needed } else { break }
        }
        plot = result.plot
        x = result.x.axis
        xTicks = result.x.ticks
        xLabelAngle = result.x.labelAngle
        y = result.y.axis
        yTicks = result.y.ticks
        xLabel = PlotFrame.withMultiplier(request.xLabel, result.x.multiplier)
        yLabel = PlotFrame.withMultiplier(request.yLabel, result.y.multiplier)
    }

    /// "learning rate" and "×10⁻⁴" give "learning rate (×10⁻⁴)".
    private static func withMultiplier(_ label: String, _ multiplier: String?) -> String {
        guard let multiplier else { return label }
        return label.isEmpty ? multiplier : "\(label) (\(multiplier))"
    }

    /// Horizontal extent of each x tick label once placed.
    private static func xLabelExtents(_ layout: AxisLayout, plot: Rect,
                                      canvas: Canvas, style: ChartStyle) -> [(min: Double, max: Double)] {
        let ticks = layout.ticks, angle = layout.labelAngle, axis = layout.axis
        let radians = angle * .pi / 180
        let lineHeight = canvas.lineHeight(style.tickLabel)
        return ticks.map { tick in
            let center = plot.minX + axis.fraction(tick.value) * plot.width
            let width = canvas.textWidth(tick.label, style.tickLabel)
            if angle == 0 { return (center - width / 2, center + width / 2) }
            return (center - width * cos(radians) - lineHeight / 2 * sin(radians), center + lineHeight / 2 * sin(radians))
        }
    }

    /// Height taken by the x tick labels below the ticks.
    private static func xLabelHeight(_ layout: AxisLayout, canvas: Canvas, style: ChartStyle) -> Double {
        let ticks = layout.ticks, angle = layout.labelAngle
        let lineHeight = canvas.lineHeight(style.tickLabel)
        guard angle != 0 else { return lineHeight }
        let radians = angle * .pi / 180
        let widest = ticks.map { canvas.textWidth($0.label, style.tickLabel) }.max() ?? 0
        return widest * sin(radians) + lineHeight * cos(radians)
    }

    /// Light grid lines behind the data.
    func drawGrid(on canvas: Canvas) {
        for tick in yTicks {
            let y = mapY(tick.value)
            // A grid line hugging the axis line would read as a double line.
            if plot.maxY - y < 4 { continue }
            canvas.horizontalLine(y: y, from: plot.minX, to: plot.maxX, width: style.gridWidth, style.gridColor)
        }
        guard verticalGrid else { return }
        for tick in xTicks {
            let x = mapX(tick.value)
            if x - plot.minX < 4 { continue }
            canvas.verticalLine(x: x, from: plot.minY, to: plot.maxY, width: style.gridWidth, style.gridColor)
        }
    }

    /// Axis lines, ticks, tick labels, axis titles and the chart title, drawn over the data.
    func drawAxes(on canvas: Canvas) {
        let axisWidth = style.axisWidth
        canvas.horizontalLine(y: plot.maxY, from: plot.minX - axisWidth / 2, to: plot.maxX, width: axisWidth, style.axisColor)
        canvas.verticalLine(x: plot.minX, from: plot.minY, to: plot.maxY + axisWidth / 2, width: axisWidth, style.axisColor)

        for tick in yTicks {
            let y = mapY(tick.value)
            canvas.horizontalLine(y: y, from: plot.minX - style.tickLength, to: plot.minX, width: axisWidth, style.axisColor)
            canvas.drawText(tick.label, at: Point(x: plot.minX - style.tickLength - style.tickLabelGap, y: y),
                            style.tickLabel, horizontal: .right, vertical: .middle)
        }
        let labelTop = plot.maxY + style.tickLength + style.tickLabelGap
        let radians = xLabelAngle * .pi / 180
        let lineHeight = canvas.lineHeight(style.tickLabel)
        for tick in xTicks {
            let x = mapX(tick.value)
            canvas.verticalLine(x: x, from: plot.maxY, to: plot.maxY + style.tickLength, width: axisWidth, style.axisColor)
            if xLabelAngle == 0 {
                canvas.drawText(tick.label, at: Point(x: x, y: labelTop), style.tickLabel, horizontal: .center, vertical: .top)
            } else {
                // Turned labels end at their tick, like matplotlib's rotation=45, ha="right".
                let anchor = Point(x: x + lineHeight / 2 * sin(radians) * cos(radians),
                                   y: labelTop + lineHeight / 2 * cos(radians))
                canvas.drawText(tick.label, at: anchor, style.tickLabel, horizontal: .right, vertical: .middle, angle: xLabelAngle)
            }
        }

        if !xLabel.isEmpty {
            canvas.drawText(xLabel, at: Point(x: plot.midX, y: size.height - style.padding), style.axisTitle,
                            horizontal: .center, vertical: .bottom)
        }
        if !yLabel.isEmpty {
            canvas.drawText(yLabel, at: Point(x: style.padding, y: plot.midY), style.axisTitle,
                            horizontal: .center, vertical: .top, angle: 90)
        }
        if !title.isEmpty {
            let width = canvas.textWidth(title, titleStyle)
            let center = min(max(plot.midX, style.padding + width / 2), size.width - style.padding - width / 2)
            canvas.drawText(title, at: Point(x: center, y: style.padding), titleStyle, horizontal: .center, vertical: .top)
        }
    }
}
