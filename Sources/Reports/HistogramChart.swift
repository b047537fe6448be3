import Foundation

/// One distribution in a histogram.
public struct HistogramSeries: Sendable {
    /// Shown in the legend (a single unnamed series gets no legend).
    public var name: String
    public var values: [Double]
    /// Palette colour by position when nil.
    public var color: Color?

    public init(name: String, values: [Double], color: Color? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }

    /// A series from Float data, as tensors hold it.
    public init<Value: BinaryFloatingPoint>(name: String, values: [Value], color: Color? = nil) {
        self.init(name: name, values: values.map { Double($0) }, color: color)
    }
}

/// A labelled vertical line at a data value, such as the pruning threshold on |γ|.
public struct MarkerLine: Sendable {
    public var value: Double
    public var label: String
    public var color: Color
    public var dashed: Bool

    public init(at value: Double, label: String, color: Color = Color(hex: 0x222222), dashed: Bool = true) {
        self.value = value
        self.label = label
        self.color = color
        self.dashed = dashed
    }
}

/// A histogram of one or several overlaid distributions (e.g. BN |γ| before and after
/// sparsity training) with optional threshold markers and a linear or log count axis.
public struct HistogramChart: Chart, SceneComposing {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [HistogramSeries]
    /// Number of equal-width bins, shared by all series so their bars line up.
    public var bins: Int
    /// The binned range; by default from the smallest to the largest value of all series.
    public var range: ClosedRange<Double>?
    /// A log count axis shows the long tails that a linear axis flattens.
    public var logarithmicY: Bool
    /// Vertical lines with labels drawn over the bars.
    public var markers: [MarkerLine]
    /// Fill opacity; by default 0.8 for one series and 0.45 when series overlap.
    public var opacity: Double?

    public init(title: String = "", xLabel: String = "", yLabel: String = "count", series: [HistogramSeries] = [],
                bins: Int = 40, range: ClosedRange<Double>? = nil, logarithmicY: Bool = false,
                markers: [MarkerLine] = [], opacity: Double? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.bins = bins
        self.range = range
        self.logarithmicY = logarithmicY
        self.markers = markers
        self.opacity = opacity
    }

    public func renderPNG(width: Int = 800, height: Int = 500, scale: Int = 1) throws -> Data {
        try ChartRenderer.png(self, width: width, height: height, scale: scale)
    }

    public func write(to url: URL, width: Int = 800, height: Int = 500, scale: Int = 2) throws {
        try AtomicWrite.write(renderPNG(width: width, height: height, scale: scale), to: url)
    }

    /// Bin edges and the count of each series in each bin.
    func binCounts() -> (lower: Double, upper: Double, counts: [[Int]]) {
        var lower = range?.lowerBound ?? .infinity, upper = range?.upperBound ?? -.infinity
        if range == nil {
            for item in series {
                for value in item.values where value.isFinite {
                    lower = min(lower, value)
                    upper = max(upper, value)
                }
            }
            if lower == upper {
                lower -= 0.5
                upper += 0.5
            }
        }
        let binCount = max(1, bins)
        let width = (upper - lower) / Double(binCount)
        let counts = series.map { item -> [Int] in
            var counts = [Int](repeating: 0, count: binCount)
            counts.withUnsafeMutableBufferPointer { counts in
                item.values.withUnsafeBufferPointer { values in
                    for value in values where value.isFinite && value >= lower && value <= upper {
                        counts[min(binCount - 1, Int((value - lower) / width))] += 1
                    }
                }
            }
            return counts
        }
        return (lower, upper, counts)
    }

    func validate() throws {
        guard (1...10_000).contains(bins) else {
            throw ReportError.invalidOption(name: "bins", reason: "\(bins) is not between 1 and 10000")
        }
        if let range, !(range.lowerBound < range.upperBound && range.lowerBound.isFinite && range.upperBound.isFinite) {
            throw ReportError.invalidOption(name: "range", reason: "it must span a positive, finite interval")
        }
        guard binCounts().counts.contains(where: { $0.contains { $0 > 0 } }) else {
            throw ReportError.noData(chart: "histogram\(title.isEmpty ? "" : " \"\(title)\"")")
        }
    }

    func color(_ index: Int) -> Color { series[index].color ?? Palette.color(index) }

    private var fillOpacity: Double { opacity ?? (series.count > 1 ? 0.45 : 0.8) }

    func legendEntries() -> [(label: String, swatch: Swatch)] {
        guard series.count > 1 || !(series.first?.name.isEmpty ?? true) else { return [] }
        return series.indices.map { (series[$0].name, Swatch.patch(color($0).withAlpha(fillOpacity), edge: color($0))) }
    }

    func compose(on canvas: Canvas, width: Double, height: Double, rightReserve: Double) -> (PlotFrame, [Mark]) {
        let style = ChartStyle.standard
        let (lower, upper, counts) = binCounts()
        let maxCount = Double(counts.flatMap { $0 }.max() ?? 1)
        let labelRow = canvas.lineHeight(style.annotation) + 8
        let markerRoom = markers.isEmpty ? 0 : Double(markers.count) * labelRow + 6
        let log = logarithmicY

        let request = FrameRequest(
            width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
            rightReserve: rightReserve, verticalGrid: true,
            yAxis: { plotHeight in
                // The tallest bar stops below the marker labels (or 5% below the top).
                let usable = max(0.5, 1 - max(0.05, markerRoom / plotHeight))
                if log {
                    let bottom = 0.5
                    let top = bottom * pow(maxCount / bottom, 1 / usable)
                    let axis = Axis(lower: bottom, upper: max(top, 2), logarithmic: true)
                    return AxisLayout(axis: axis, ticks: Ticks.logarithmic(from: axis.lower, to: axis.upper))
                }
                let axis = Axis(lower: 0, upper: maxCount / usable)
                return PlotFrame.linearTicks(axis, maxCount: PlotFrame.yTickCount(plotHeight: plotHeight), integerOnly: true)
            },
            xAxis: { plotWidth in
                var axis = Axis.padded(lower, upper, margin: 0.02)
                for marker in markers where marker.value.isFinite {
                    axis.lower = min(axis.lower, marker.value)
                    axis.upper = max(axis.upper, marker.value)
                }
                return PlotFrame.numericXTicks(axis, plotWidth: plotWidth, canvas: canvas, style: style)
            })
        let frame = PlotFrame(request, canvas: canvas, style: style)

        var marks: [Mark] = []
        let binWidth = (upper - lower) / Double(counts.first?.count ?? 1)
        let base = frame.plot.maxY
        for (index, seriesCounts) in counts.enumerated() {
            let fill = color(index).withAlpha(fillOpacity)
            var outline: [Point] = [Point(x: frame.mapX(lower), y: base)]
            for (bin, count) in seriesCounts.enumerated() {
                let left = frame.mapX(lower + Double(bin) * binWidth), right = frame.mapX(lower + Double(bin + 1) * binWidth)
                let top = count > 0 ? frame.mapY(Double(count)) : base
                if count > 0 { marks.append(.bin(Rect(x0: left, y0: top, x1: right, y1: base), fill)) }
                outline.append(Point(x: left, y: top))
                outline.append(Point(x: right, y: top))
            }
            outline.append(Point(x: frame.mapX(upper), y: base))
            marks.append(.line(outline, width: 1.2, color(index)))
        }
        marks += markerMarks(frame: frame, canvas: canvas, style: style, labelRow: labelRow)
        return (frame, marks)
    }

    /// Threshold lines, and their labels beside them at the top of the plot: on the right of
    /// the line unless that runs past the plot or across another marker line, and a row
    /// lower when they would overlap an earlier label.
    private func markerMarks(frame: PlotFrame, canvas: Canvas, style: ChartStyle, labelRow: Double) -> [Mark] {
        var lines: [Mark] = [], labels: [Mark] = []
        var placed: [Rect] = []
        let shown = markers.filter { $0.value.isFinite }
        let positions = shown.map { frame.mapX($0.value) }
        for (marker, x) in zip(shown, positions) {
            lines.append(.rule(x: x, top: frame.plot.minY, bottom: frame.plot.maxY, width: 1.5, marker.color,
                               dash: marker.dashed ? [6, 4] : []))
            guard !marker.label.isEmpty else { continue }
            let textStyle = TextStyle(size: style.annotation.size, color: marker.color)
            let width = canvas.textWidth(marker.label, textStyle) + 10
            let others = positions.filter { $0 != x }
            let rightFits = x + width <= frame.plot.maxX, leftFits = x - width >= frame.plot.minX
            let rightClear = rightFits && !others.contains { $0 > x && $0 < x + width }
            let leftClear = leftFits && !others.contains { $0 < x && $0 > x - width }
            let onRight = rightClear || (!leftClear && (rightFits || !leftFits))
            for row in 0..<shown.count {
                let point = Point(x: onRight ? x + 6 : x - 6, y: frame.plot.minY + 7 + Double(row) * labelRow)
                let mark = Mark.label(marker.label, point, textStyle, onRight ? .left : .right, .top, angle: 0, backdrop: true)
                let box = mark.footprint(on: canvas)[0]
                if !placed.contains(where: { $0.intersects(box) }) || row == shown.count - 1 {
                    placed.append(box)
                    labels.append(mark)
                    break
                }
            }
        }
        return lines + labels
    }
}
