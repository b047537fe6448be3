/// What a legend entry shows next to its label.
enum Swatch {
    /// A filled square (bars, histogram bins), with an optional outline colour.
    case patch(Color, edge: Color?)
    /// A short line with an optional marker (line series), dashed for a dashed series.
    case line(Color, MarkerShape?, dashed: Bool = false)
}

/// A chart legend: a column of swatches and labels on a white, rounded box.
///
/// It is placed inside the plot at the first corner or edge (upper right first, as
/// matplotlib's `loc="best"`) that covers no data; if every spot covers data, the
/// chart is laid out again with the legend outside, to the right of the plot.
struct Legend {
    var entries: [(label: String, swatch: Swatch)]
    var style = ChartStyle.standard

    private let padding = 8.0
    private let swatchWidth = 22.0
    private let swatchGap = 7.0
    private let rowGap = 4.0
    /// Distance kept between the legend and the plot edges.
    static let inset = 8.0

    var isEmpty: Bool { entries.isEmpty }

    func size(on canvas: Canvas) -> (width: Double, height: Double) {
        let textWidth = entries.map { canvas.textWidth($0.label, style.legendText) }.max() ?? 0
        let rowHeight = canvas.lineHeight(style.legendText)
        let rows = Double(entries.count)
        return (2 * padding + swatchWidth + swatchGap + textWidth, 2 * padding + rows * rowHeight + (rows - 1) * rowGap)
    }

    /// The best place inside `plot` that overlaps none of `occupied`, or nil if there is none.
    func placement(in plot: Rect, avoiding occupied: [Rect], on canvas: Canvas) -> Rect? {
        let (width, height) = size(on: canvas)
        let inset = Legend.inset
        guard width + 2 * inset <= plot.width, height + 2 * inset <= plot.height else { return nil }
        let left = plot.minX + inset, right = plot.maxX - inset - width
        let top = plot.minY + inset, bottom = plot.maxY - inset - height
        let centerX = plot.midX - width / 2, centerY = plot.midY - height / 2
        let candidates = [(right, top), (left, top), (right, bottom), (left, bottom),
                          (right, centerY), (left, centerY), (centerX, top), (centerX, bottom)]
        for (x, y) in candidates {
            let box = Rect(x: x - 2, y: y - 2, width: width + 4, height: height + 4)
            if !occupied.contains(where: { $0.intersects(box) }) {
                return Rect(x: x, y: y, width: width, height: height)
            }
        }
        return nil
    }

    func draw(in box: Rect, on canvas: Canvas) {
        canvas.fillRoundedRect(box, radius: 3, Color.white.withAlpha(0.9))
        canvas.strokeRoundedRect(box, radius: 3, width: 1, Color(hex: 0xCCCCCC))
        let rowHeight = canvas.lineHeight(style.legendText)
        for (index, entry) in entries.enumerated() {
            let top = box.minY + padding + Double(index) * (rowHeight + rowGap)
            let middle = top + rowHeight / 2
            let swatchLeft = box.minX + padding
            switch entry.swatch {
            case let .patch(color, edge):
                let patch = Rect(x: swatchLeft + 3, y: middle - 6, width: swatchWidth - 6, height: 12)
                canvas.fillRect(patch, color)
                if let edge { canvas.strokeRoundedRect(patch, radius: 0, width: 1, edge) }
            case let .line(color, marker, dashed):
                let ends = [Point(x: swatchLeft, y: middle), Point(x: swatchLeft + swatchWidth, y: middle)]
                for piece in dashed ? Mark.dashes(of: ends, dash: 5, gap: 3) : [ends] {
                    canvas.strokePolyline(piece, width: style.lineWidth, color)
                }
                if let marker {
                    Mark.marker(Point(x: swatchLeft + swatchWidth / 2, y: middle), marker, size: style.markerSize, color).draw(on: canvas)
                }
            }
            canvas.drawText(entry.label, at: Point(x: swatchLeft + swatchWidth + swatchGap, y: middle), style.legendText,
                            horizontal: .left, vertical: .middle)
        }
    }
}
