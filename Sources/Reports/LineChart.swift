import Foundation

/// One line of a line chart: y values at x positions.
public struct LineSeries: Sendable {
    public var name: String
    public var x: [Double]
    /// Non-finite values (NaN) leave a gap in the line.
    public var y: [Double]
    /// Optional error bars, one per point (e.g. the standard deviation over seeds), drawn as y ± error.
    public var errors: [Double]?
    public var color: Color?
    /// The point marker; by default a different shape per series.
    public var marker: MarkerShape?
    /// A dashed line (e.g. a network trained from scratch, beside the solid fine-tuned one).
    public var dashed: Bool

    public init(name: String, x: [Double], y: [Double], errors: [Double]? = nil, color: Color? = nil,
                marker: MarkerShape? = nil, dashed: Bool = false) {
        self.name = name
        self.x = x
        self.y = y
        self.errors = errors
        self.color = color
        self.marker = marker
        self.dashed = dashed
    }

    /// A series over 1, 2, 3, … (e.g. one value per epoch).
    public init(name: String, y: [Double], color: Color? = nil, marker: MarkerShape? = nil, dashed: Bool = false) {
        self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y, color: color, marker: marker, dashed: dashed)
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

    /// The error bar of point `index` of series `item` (0 without one).
    private func error(_ item: LineSeries, _ index: Int) -> Double {
        guard let errors = item.errors, errors[index].isFinite else { return 0 }
        return abs(errors[index])
    }

    /// The y extent of every point, error bars included, so the axis shows the whole whiskers.
    private var yExtents: [Double] {
        series.flatMap { item in
            item.y.indices.filter { item.x[$0].isFinite && item.y[$0].isFinite }
                .flatMap { [item.y[$0] - error(item, $0), item.y[$0] + error(item, $0)] }
        }
    }

    func validate() throws {
        for item in series where item.x.count != item.y.count {
            throw ReportError.mismatchedLengths(what: "line series \"\(item.name)\" (y values for its x values)", expected: item.x.count, actual: item.y.count)
        }
        for item in series {
            if let errors = item.errors, errors.count != item.y.count {
                throw ReportError.mismatchedLengths(what: "error bars of \"\(item.name)\"", expected: item.y.count, actual: errors.count)
            }
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
        return series.indices.map {
            (series[$0].name, Swatch.line(color($0), markersShown ? marker($0) : nil, dashed: series[$0].dashed))
        }
    }

    func compose(on canvas: Canvas, width: Double, height: Double, rightReserve: Double) -> (PlotFrame, [Mark]) {
        let style = ChartStyle.standard
        let points = self.points
        let xs = points.map(\.x), ys = yExtents
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

        var lines: [Mark] = [], markers: [Mark] = [], whiskers: [Mark] = []
        for (index, item) in series.enumerated() {
            var run: [Point] = []
            func endRun() {
                let pieces = item.dashed ? Mark.dashes(of: run, dash: 7, gap: 4) : [run]
                lines += pieces.filter { !$0.isEmpty }.map { .line($0, width: style.lineWidth, color(index)) }
                run = []
            }
            for (pointIndex, (x, y)) in zip(item.x, item.y).enumerated() {
                guard x.isFinite, y.isFinite else {
                    endRun()
                    continue
                }
                let point = Point(x: frame.mapX(x), y: frame.mapY(y))
                run.append(point)
                let spread = error(item, pointIndex)
                if spread > 0 {
                    // A whisker from y − error to y + error, with caps, in the series' colour.
                    let (high, low) = (frame.mapY(y + spread), frame.mapY(y - spread))
                    let cap = 4.0
                    whiskers.append(.fill(Rect(x0: point.x - 0.75, y0: high, x1: point.x + 0.75, y1: low), color(index)))
                    for end in [high, low] {
                        whiskers.append(.fill(Rect(x0: point.x - cap, y0: end - 0.75, x1: point.x + cap, y1: end + 0.75), color(index)))
                    }
                }
                if markersShown { markers.append(.marker(point, marker(index), size: style.markerSize, color(index))) }
            }
            endRun()
        }
        return (frame, whiskers + lines + markers)
    }
}
