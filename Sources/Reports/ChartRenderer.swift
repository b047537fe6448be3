import Foundation

/// A chart that can be rendered to a PNG image: histograms, bar charts and line charts.
public protocol Chart: Sendable {
    /// The chart as PNG bytes, `width`×`height` points at `scale` pixels per point.
    func renderPNG(width: Int, height: Int, scale: Int) throws -> Data
    /// Renders the chart and writes it atomically to `url`, creating missing folders.
    func write(to url: URL, width: Int, height: Int, scale: Int) throws
}

/// A chart laid out and described as marks, ready to draw.
struct Scene {
    var frame: PlotFrame
    var marks: [Mark]
    var legend: Legend
    var legendBox: Rect?
}

/// What every chart type provides to the shared renderer.
protocol SceneComposing {
    /// Checks the chart's options and data, throwing `ReportError` for what cannot be drawn.
    func validate() throws
    /// The legend entries (empty for no legend).
    func legendEntries() -> [(label: String, swatch: Swatch)]
    /// Lays out the chart on `canvas` and turns its data into marks; `rightReserve` is
    /// room to keep free at the right for a legend placed outside the plot.
    func compose(on canvas: Canvas, width: Double, height: Double, rightReserve: Double) -> (PlotFrame, [Mark])
}

/// Draws any chart the same way: grid, data, axes and titles, then the legend.
enum ChartRenderer {
    static func checkSize(width: Int, height: Int, scale: Int) throws {
        guard width >= 64, height >= 64, width <= 10_000, height <= 10_000, (1...8).contains(scale) else {
            throw ReportError.invalidSize(width: width, height: height, scale: scale)
        }
    }

    /// Lays out `chart` and draws it onto `canvas`; returns the scene for inspection by tests.
    @discardableResult
    static func draw(_ chart: some SceneComposing, on canvas: Canvas, width: Int, height: Int) throws -> Scene {
        try chart.validate()
        let w = Double(width), h = Double(height)
        var legend = Legend(entries: chart.legendEntries())
        legend.style = .standard
        var (frame, marks) = chart.compose(on: canvas, width: w, height: h, rightReserve: 0)
        var legendBox: Rect?
        if !legend.isEmpty {
            let occupied = marks.flatMap { $0.footprint(on: canvas) }
            legendBox = legend.placement(in: frame.plot, avoiding: occupied, on: canvas)
            if legendBox == nil {
                let size = legend.size(on: canvas)
                (frame, marks) = chart.compose(on: canvas, width: w, height: h, rightReserve: size.width + 12)
                legendBox = Rect(x: w - frame.style.padding - size.width, y: frame.plot.minY, width: size.width, height: size.height)
            }
        }
        frame.drawGrid(on: canvas)
        canvas.setClip(frame.plot.insetBy(-1))
        for mark in marks { mark.draw(on: canvas) }
        canvas.setClip(nil)
        frame.drawAxes(on: canvas)
        if let legendBox { legend.draw(in: legendBox, on: canvas) }
        return Scene(frame: frame, marks: marks, legend: legend, legendBox: legendBox)
    }

    /// Renders `chart` to PNG bytes.
    static func png(_ chart: some SceneComposing, width: Int, height: Int, scale: Int,
                    typesetter: Typesetter = .shared) throws -> Data {
        try checkSize(width: width, height: height, scale: scale)
        let canvas = Canvas(width: width, height: height, scale: scale, typesetter: typesetter)
        try draw(chart, on: canvas, width: width, height: height)
        return try PNGEncoder.encode(canvas)
    }
}
