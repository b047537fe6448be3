import Foundation

/// One series of a grouped bar chart: a value per category, and optionally an error bar
/// (± one standard deviation, say) per category.
public struct BarSeries: Sendable {
    public var name: String
    public var values: [Double]
    public var errors: [Double]?
    public var color: Color?

    public init(name: String, values: [Double], errors: [Double]? = nil, color: Color? = nil) {
        self.name = name
        self.values = values
        self.errors = errors
        self.color = color
    }

    /// A series of counts (e.g. channels per layer).
    public init<Count: BinaryInteger>(name: String, values: [Count], color: Color? = nil) {
        self.init(name: name, values: values.map { Double($0) }, color: color)
    }
}

/// Grouped bars: categories along x, one bar per series in each group, with the value
/// written above each bar (e.g. channels per layer, original vs kept).
public struct BarChart: Chart, SceneComposing {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var series: [BarSeries]
    /// Writes each bar's value above it.
    public var showValues: Bool
    /// Decimals of the value labels; by default 0 when every value is whole, else 2.
    public var valueDecimals: Int?
    /// Each category holds one bar, of the one series with a value there, across the whole
    /// slot: the series are groups of categories told apart by colour (e.g. the stages of
    /// each network). Otherwise every series has a bar side by side in every category.
    public var seriesShareSlots: Bool

    public init(title: String = "", xLabel: String = "", yLabel: String = "", categories: [String] = [],
                series: [BarSeries] = [], showValues: Bool = true, valueDecimals: Int? = nil,
                seriesShareSlots: Bool = false) {
        self.seriesShareSlots = seriesShareSlots
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.showValues = showValues
        self.valueDecimals = valueDecimals
    }

    public func renderPNG(width: Int = 800, height: Int = 500, scale: Int = 1) throws -> Data {
        try ChartRenderer.png(self, width: width, height: height, scale: scale)
    }

    public func write(to url: URL, width: Int = 800, height: Int = 500, scale: Int = 2) throws {
        try AtomicWrite.write(renderPNG(width: width, height: height, scale: scale), to: url)
    }

    func validate() throws {
        let name = "bar chart\(title.isEmpty ? "" : " \"\(title)\"")"
        guard !categories.isEmpty, !series.isEmpty else { throw ReportError.noData(chart: name) }
        for item in series where item.values.count != categories.count {
            throw ReportError.mismatchedLengths(what: "bar series \"\(item.name)\"", expected: categories.count, actual: item.values.count)
        }
        for item in series {
            if let errors = item.errors, errors.count != categories.count {
                throw ReportError.mismatchedLengths(what: "error bars of \"\(item.name)\"", expected: categories.count, actual: errors.count)
            }
        }
        guard series.contains(where: { $0.values.contains(where: \.isFinite) }) else { throw ReportError.noData(chart: name) }
        if seriesShareSlots, let shared = categories.indices.first(where: { index in
            series.filter { $0.values[index].isFinite }.count > 1
        }) {
            throw ReportError.invalidOption(name: "seriesShareSlots", reason: """
                category "\(categories[shared])" has values in several series; give each category a value in one series only
                """)
        }
    }

    func color(_ index: Int) -> Color { series[index].color ?? Palette.color(index) }

    func legendEntries() -> [(label: String, swatch: Swatch)] {
        guard series.count > 1 || !(series.first?.name.isEmpty ?? true) else { return [] }
        return series.indices.map { (series[$0].name, Swatch.patch(color($0), edge: nil)) }
    }

    private var allValues: [Double] { series.flatMap(\.values).filter(\.isFinite) }

    /// Error of a bar (0 without error bars).
    func error(_ seriesIndex: Int, _ index: Int) -> Double {
        guard let errors = series[seriesIndex].errors, errors[index].isFinite else { return 0 }
        return abs(errors[index])
    }

    /// Every bar's extent, error bars included, for the axis.
    private var extents: [Double] {
        series.indices.flatMap { s in
            series[s].values.indices.flatMap { i -> [Double] in
                let value = series[s].values[i]
                return value.isFinite ? [value + error(s, i), value - error(s, i)] : []
            }
        }
    }

    /// The label above a bar: its value, with "± error" when it has an error bar.
    func barLabel(_ seriesIndex: Int, _ index: Int) -> String {
        let value = series[seriesIndex].values[index], spread = error(seriesIndex, index)
        return spread > 0 ? valueLabel(value) + " ± " + valueLabel(spread) : valueLabel(value)
    }

    func valueLabel(_ value: Double) -> String {
        let decimals = valueDecimals ?? (allValues.allSatisfy { $0.rounded() == $0 } ? 0 : 2)
        let text = decimals == 0 && abs(value) < 1e15 ? NumberFormat.grouped(Int(value.rounded())) : NumberFormat.fixed(value, decimals: decimals)
        return NumberFormat.minusSign(text)
    }

    /// Horizontal layout of a group: fraction of the category slot the group fills.
    static let groupFraction = 0.8

    /// How the value labels are set: their size, standing up or not, and whether every other
    /// label is lifted by a line (staggered) so that neighbours cannot touch.
    struct ValueLabels: Equatable {
        var size: Double
        var vertical = false
        var staggered = false
        var hidden = false

        /// From the most to the least readable; `compose` keeps the first whose labels do not overlap.
        static let candidates: [ValueLabels] =
            stride(from: 10.0, through: 8, by: -0.5).map { ValueLabels(size: $0) }
            + stride(from: 10.0, through: 8, by: -0.5).map { ValueLabels(size: $0, vertical: true) }
            + [ValueLabels(size: 8, staggered: true)]
        static let none = ValueLabels(size: 8, hidden: true)
    }

    func compose(on canvas: Canvas, width: Double, height: Double, rightReserve: Double) -> (PlotFrame, [Mark]) {
        guard showValues else {
            let (frame, bars, _) = layout(on: canvas, width: width, height: height, rightReserve: rightReserve, labels: .none)
            return (frame, bars)
        }
        for candidate in ValueLabels.candidates {
            let (frame, bars, labels) = layout(on: canvas, width: width, height: height, rightReserve: rightReserve,
                                               labels: candidate)
            if !BarChart.anyOverlap(labels, on: canvas) { return (frame, bars + labels) }
        }
        // Too many bars for any label to fit: the axis alone tells the values.
        let (frame, bars, _) = layout(on: canvas, width: width, height: height, rightReserve: rightReserve, labels: .none)
        return (frame, bars)
    }

    /// Whether the boxes of any two labels intersect.
    static func anyOverlap(_ labels: [Mark], on canvas: Canvas) -> Bool {
        let boxes = labels.flatMap { $0.footprint(on: canvas) }
        for (index, box) in boxes.enumerated() where boxes[(index + 1)...].contains(where: { $0.intersects(box) }) {
            return true
        }
        return false
    }

    /// The left edge and width of the bar of `seriesIndex` in a category slot centred at `center`.
    private func barSpan(_ seriesIndex: Int, center: Double, slot: Double) -> (left: Double, width: Double) {
        let group = slot * BarChart.groupFraction
        if seriesShareSlots { return (center - group / 2, group) }
        let barWidth = group / Double(series.count)
        let gap = series.count > 1 ? min(2, barWidth * 0.12) : 0
        return (center - group / 2 + Double(seriesIndex) * barWidth + gap / 2, barWidth - gap)
    }

    /// The frame, the bars (with error bars) and the value labels set as `labels` says.
    private func layout(on canvas: Canvas, width: Double, height: Double, rightReserve: Double,
                        labels labelLayout: ValueLabels) -> (PlotFrame, [Mark], [Mark]) {
        let style = ChartStyle.standard
        let values = allValues
        let maxValue = max(0, extents.max() ?? 0), minValue = min(0, extents.min() ?? 0)
        let labelTexts = series.indices.flatMap { s in series[s].values.indices.map { barLabel(s, $0) } }
        let count = categories.count
        let valueStyle = TextStyle(size: labelLayout.size, color: Color(hex: 0x333333))
        let widestValue = labelTexts.map { canvas.textWidth($0, valueStyle) }.max() ?? 0
        let rows = labelLayout.staggered ? 2.0 : 1.0
        let valueExtent = labelLayout.hidden ? 0
            : (labelLayout.vertical ? widestValue : rows * canvas.lineHeight(valueStyle)) + 5
        let integral = values.allSatisfy { $0.rounded() == $0 }

        let request = FrameRequest(
            width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
            rightReserve: rightReserve, verticalGrid: false,
            yAxis: { plotHeight in
                // Room above (and below, for negative bars) for the value labels.
                let sides = minValue < 0 ? 2.0 : 1.0
                let usable = max(0.4, 1 - sides * max(0.05, (valueExtent + 4) / plotHeight))
                let pad = (maxValue - minValue) * (1 / usable - 1) / sides
                var axis = Axis(lower: minValue < 0 ? minValue - pad : 0, upper: maxValue + pad)
                if axis.upper <= axis.lower { axis.upper = axis.lower + 1 }
                return PlotFrame.linearTicks(axis, maxCount: PlotFrame.yTickCount(plotHeight: plotHeight), integerOnly: integral)
            },
            xAxis: { plotWidth in
                let axis = Axis(lower: -0.5, upper: Double(count) - 0.5)
                let slot = plotWidth / Double(count)
                let lineHeight = canvas.lineHeight(style.tickLabel)
                let widest = categories.map { canvas.textWidth($0, style.tickLabel) }.max() ?? 0
                let angle: Double = widest <= slot - 8 ? 0 : (slot >= lineHeight * 1.6 ? 45 : 90)
                // Too crowded even standing up: label every k-th category.
                let every = max(1, Int((lineHeight + 2) / slot) + (slot < lineHeight + 2 ? 1 : 0))
                let ticks = categories.enumerated().compactMap { index, name in
                    index % every == 0 && !name.isEmpty ? Tick(value: Double(index), label: name) : nil
                }
                return AxisLayout(axis: axis, ticks: ticks, labelAngle: angle)
            })
        let frame = PlotFrame(request, canvas: canvas, style: style)

        var marks: [Mark] = []
        var labels: [Mark] = []
        let slot = frame.plot.width / Double(count)
        let zero = frame.mapY(0)
        var labelIndex = 0
        for (seriesIndex, item) in series.enumerated() {
            for (index, value) in item.values.enumerated() where value.isFinite {
                let (left, barWidth) = barSpan(seriesIndex, center: frame.mapX(Double(index)), slot: slot)
                let top = frame.mapY(value)
                marks.append(.fill(Rect(x0: left, y0: top, x1: left + barWidth, y1: zero), color(seriesIndex)))
                let middle = left + barWidth / 2
                let spread = error(seriesIndex, index)
                let up = value >= 0
                var labelY = top
                if spread > 0 {
                    // A whisker from value − error to value + error, with caps.
                    let (high, low) = (frame.mapY(value + spread), frame.mapY(value - spread))
                    let cap = max(3, barWidth * 0.3)
                    let ink = Color(hex: 0x222222)
                    marks.append(.fill(Rect(x0: middle - 0.75, y0: high, x1: middle + 0.75, y1: low), ink))
                    marks.append(.fill(Rect(x0: middle - cap / 2, y0: high - 0.75, x1: middle + cap / 2, y1: high + 0.75), ink))
                    marks.append(.fill(Rect(x0: middle - cap / 2, y0: low - 0.75, x1: middle + cap / 2, y1: low + 0.75), ink))
                    labelY = up ? high : low
                }
                guard !labelLayout.hidden else { continue }
                let text = barLabel(seriesIndex, index)
                let lift = labelLayout.staggered && labelIndex % 2 == 1 ? canvas.lineHeight(valueStyle) : 0
                labelIndex += 1
                let anchor = Point(x: middle, y: up ? labelY - 3 - lift : labelY + 3 + lift)
                if labelLayout.vertical {
                    labels.append(.label(text, anchor, valueStyle, up ? .left : .right, .middle, angle: 90, backdrop: false))
                } else {
                    labels.append(.label(text, anchor, valueStyle, .center, up ? .bottom : .top, angle: 0, backdrop: false))
                }
            }
        }
        if minValue < 0 {
            marks.append(.fill(Rect(x: frame.plot.minX, y: zero - 0.5, width: frame.plot.width, height: 1), style.axisColor))
        }
        return (frame, marks, labels)
    }
}
