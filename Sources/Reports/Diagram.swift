import Foundation

/// A drawing made of boxes, text and lines at given positions: the method diagrams (a pruned
/// filter and the slices that go with it, channels shaded by |γ|, a Bottleneck block before
/// and after pruning). Whoever builds one lays it out in a `width`×`height` point space;
/// `renderPNG` draws it scaled to the size asked for.
public struct Diagram: Chart {
    /// Where a text's x position is: its left end, its centre or its right end.
    public enum TextAlignment: Sendable { case left, center, right }

    public enum Element: Sendable {
        /// A rectangle, filled and/or outlined.
        case box(x: Double, y: Double, width: Double, height: Double, fill: Color?, stroke: Color?,
                 lineWidth: Double = 1, cornerRadius: Double = 0)
        /// One line of text, vertically centred on `y`.
        case text(String, x: Double, y: Double, size: Double = 11, bold: Bool = false,
                  color: Color = Color(hex: 0x222222), alignment: TextAlignment = .left)
        /// A polyline, dashed or solid, with an arrowhead at its last point if asked.
        case line([(x: Double, y: Double)], width: Double = 1.2, color: Color = Color(hex: 0x444444),
                  dashed: Bool = false, arrow: Bool = false)
    }

    /// The layout space, in points.
    public var width: Double
    public var height: Double
    public var elements: [Element]

    public init(width: Double, height: Double, elements: [Element] = []) {
        self.width = width
        self.height = height
        self.elements = elements
    }

    /// The width of `text` at `size` points, for laying a diagram out.
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        Typesetter.shared.width(text, pixelSize: size * 4, bold: bold) / 4
    }

    public func renderPNG(width: Int, height: Int, scale: Int = 1) throws -> Data {
        try ChartRenderer.checkSize(width: width, height: height, scale: scale)
        guard !elements.isEmpty, self.width > 0, self.height > 0 else { throw ReportError.noData(chart: "diagram") }
        let canvas = Canvas(width: width, height: height, scale: scale)
        draw(on: canvas, zoom: min(Double(width) / self.width, Double(height) / self.height))
        return try PNGEncoder.encode(canvas)
    }

    public func write(to url: URL, width: Int, height: Int, scale: Int = 2) throws {
        try AtomicWrite.write(renderPNG(width: width, height: height, scale: scale), to: url)
    }

    /// Draws every element in order, its coordinates, sizes and widths multiplied by `zoom`.
    func draw(on canvas: Canvas, zoom: Double) {
        for element in elements {
            switch element {
            case let .box(x, y, width, height, fill, stroke, lineWidth, cornerRadius):
                let rect = Rect(x: x * zoom, y: y * zoom, width: width * zoom, height: height * zoom)
                if let fill {
                    if cornerRadius > 0 { canvas.fillRoundedRect(rect, radius: cornerRadius * zoom, fill) }
                    else { canvas.fillRect(rect, fill) }
                }
                if let stroke { canvas.strokeRoundedRect(rect, radius: cornerRadius * zoom, width: lineWidth * zoom, stroke) }
            case let .text(text, x, y, size, bold, color, alignment):
                let anchor: HorizontalAnchor = switch alignment {
                case .left: .left
                case .center: .center
                case .right: .right
                }
                canvas.drawText(text, at: Point(x: x * zoom, y: y * zoom), TextStyle(size: size * zoom, bold: bold, color: color),
                                horizontal: anchor, vertical: .middle)
            case let .line(points, width, color, dashed, arrow):
                let scaled = points.map { Point(x: $0.x * zoom, y: $0.y * zoom) }
                for piece in dashed ? Mark.dashes(of: scaled, dash: 5 * zoom, gap: 3 * zoom) : [scaled] {
                    canvas.strokePolyline(piece, width: width * zoom, color)
                }
                if arrow, scaled.count >= 2 { Diagram.arrowhead(from: scaled[scaled.count - 2], to: scaled[scaled.count - 1],
                                                                size: 7 * zoom, color, on: canvas) }
            }
        }
    }

    private static func arrowhead(from a: Point, to b: Point, size: Double, _ color: Color, on canvas: Canvas) {
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        guard length > 0 else { return }
        let (ux, uy) = ((b.x - a.x) / length, (b.y - a.y) / length)
        let base = Point(x: b.x - ux * size, y: b.y - uy * size)
        canvas.fillConvexPolygon([b, Point(x: base.x - uy * size * 0.5, y: base.y + ux * size * 0.5),
                                  Point(x: base.x + uy * size * 0.5, y: base.y - ux * size * 0.5)], color)
    }
}
