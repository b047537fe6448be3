import Foundation

/// One line of a line chart: y values at x positions.
public struct LineSeries: Sendable {
    public var name: String
    public var x: [Double]
    /// Non-finite values (NaN) leave a gap in the line.
    public var y: [Double]
    public var color: Color?
    /// The point marker; by default a different shape per series.
    public var marker: MarkerShape?

    public init(name: String, x: [Double], y: [Double], color: Color? = nil, marker: MarkerShape? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.marker = marker
    }

    /// A series over 1, 2, 3, … (e.g. one value per epoch).
    public init(name: String, y: [Double], color: Color? = nil, marker: MarkerShape? = nil) {
        self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y, color: color, marker: marker)
    }
}

/// Lines with point markers: training curves per epoch, accuracy against sparsity,
/// sorted filter norms per layer.
public struct LineChart: Chart, SceneComposing {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    /// Draw a marker at every point; by default only when no series has more than 40 points.
    public var showMarkers: Bool?
    /// Fixed y range (e.g. 0...100 for accuracy); by default the data range plus 5%.
    public var yRange: ClosedRange<Double>?
    /// Fixed x range; by default the data range plus 3%.
    public var xRange: ClosedRange<Double>?

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries] = [],
                showMarkers: Bool? = nil, yRange: ClosedRange<Double>? = nil, xRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.showMarkers = showMarkers
        self.yRange = yRange
        self.xRange = xRange
    }

    public func renderPNG(width: Int = 800, height: Int = 500, scale: Int = 1) throws -> Data {
        try ChartRenderer.png(self, width: width, height: height, scale: scale)
    }

    public func write(to url: URL, width: Int = 800, height: Int = 500, scale: Int = 2) throws {
        try AtomicWrite.write(renderPNG(width: width, height: height, scale: scale), to: url)
    }

    /// The finite points of every series.
    private var points: [(x: Double, y: Double)] {
        series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
    }

    func validate() throws {
        for item in series where item.x.count != item.y.count {
            throw ReportError.mismatchedLengths(what: "line series \"\(item.name)\" (y values for its x values)", expected: item.x.count, actual: item.y.count)
        }
        guard !points.isEmpty else { throw ReportError.noData(chart: "line chart\(title.isEmpty ? "" : " \"\(title)\"")") }
        for (name, range) in [("yRange", yRange), ("xRange", xRange)] {
            if let range, !(range.lowerBound < range.upperBound) {
                throw ReportError.invalidOption(name: name, reason: "its lower bound must be below its upper bound")
            }
        }
    }

    func color(_ index: Int) -> Color { series[index].color ?? Palette.color(index) }
    func marker(_ index: Int) -> MarkerShape { series[index].marker ?? MarkerShape.forSeries(index) }
    private var markersShown: Bool { showMarkers ?? ((series.map(\.x.count).max() ?? 0) <= 40) }

    func legendEntries() -> [(label: String, swatch: Swatch)] {
        guard series.count > 1 || !(series.first?.name.isEmpty ?? true) else { return [] }
        return series.indices.map { (series[$0].name, Swatch.line(color($0), markersShown ? marker($0) : nil)) }
    }

    func compose(on canvas: Canvas, width: Double, height: Double, rightReserve: Double) -> (PlotFrame, [Mark]) {
        let style = ChartStyle.standard
        let points = self.points
        let xs = points.map(\.x), ys = points.map(\.y)
        let integerX = xs.allSatisfy { $0.rounded() == $0 }
        let xAxis = xRange.map { Axis(lower: $0.lowerBound, upper: $0.upperBound) } ?? Axis.padded(xs.min()!, xs.max()!, margin: 0.03)
        let yAxis = yRange.map { Axis(lower: $0.lowerBound, upper: $0.upperBound) } ?? Axis.padded(ys.min()!, ys.max()!, margin: 0.05)

        let request = FrameRequest(
            width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
            rightReserve: rightReserve, verticalGrid: true,
            yAxis: { plotHeight in
                PlotFrame.linearTicks(yAxis, maxCount: PlotFrame.yTickCount(plotHeight: plotHeight))
            },
            xAxis: { plotWidth in
                PlotFrame.numericXTicks(xAxis, plotWidth: plotWidth, canvas: canvas, style: style, integerOnly: integerX)
            })
        let frame = PlotFrame(request, canvas: canvas, style: style)

        var lines: [Mark] = [], markers: [Mark] = []
        for (index, item) in series.enumerated() {
            var run: [Point] = []
            for (x, y) in zip(item.x, item.y) {
                guard x.isFinite, y.isFinite else {
                    if !run.isEmpty { lines.append(.line(run, width: style.lineWidth, color(index))) }
                    run = []
                    continue
                }
                let point = Point(x: frame.mapX(x), y: frame.mapY(y))
                run.append(point)
                if markersShown { markers.append(.marker(point, marker(index), size: style.markerSize, color(index))) }
            }
            if !run.isEmpty { lines.append(.line(run, width: style.lineWidth, color(index))) }
        }
        return (frame, lines + markers)
    }
}
