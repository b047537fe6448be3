/// The shape drawn at each point of a line series; shapes differ between series so they
/// stay distinguishable in greyscale print and for colour-blind readers.
public enum MarkerShape: Sendable, CaseIterable {
    case circle, square, triangle, diamond, invertedTriangle, plus, rightTriangle

    /// The shape of series number `index`.
    public static func forSeries(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }
}

/// One thing drawn inside the plot. Charts describe their data as marks; the renderer
/// draws them and uses their extents to find a free spot for the legend.
enum Mark {
    /// A rectangle with antialiased edges (bars).
    case fill(Rect, Color)
    /// A rectangle with pixel-aligned edges, so neighbours tile without seams (histogram bins).
    case bin(Rect, Color)
    /// A polyline.
    case line([Point], width: Double, Color)
    /// A point marker.
    case marker(Point, MarkerShape, size: Double, Color)
    /// A vertical line across the plot, optionally dashed (a threshold).
    case rule(x: Double, top: Double, bottom: Double, width: Double, Color, dash: [Double])
    /// Text, optionally on a translucent white box that keeps it readable over data.
    case label(String, Point, TextStyle, HorizontalAnchor, VerticalAnchor, angle: Double, backdrop: Bool)

    func draw(on canvas: Canvas) {
        switch self {
        case let .fill(rect, color):
            canvas.fillRect(rect, color)
        case let .bin(rect, color):
            canvas.fillRectSnapped(rect, color)
        case let .line(points, width, color):
            canvas.strokePolyline(points, width: width, color)
        case let .marker(center, shape, size, color):
            Mark.drawMarker(on: canvas, center: center, shape: shape, size: size + 2, .white)
            Mark.drawMarker(on: canvas, center: center, shape: shape, size: size, color)
        case let .rule(x, top, bottom, width, color, dash):
            canvas.verticalLine(x: x, from: top, to: bottom, width: width, color, dash: dash)
        case let .label(text, point, style, horizontal, vertical, angle, backdrop):
            if backdrop, angle == 0 {
                let box = canvas.textBox(text, at: point, style, horizontal: horizontal, vertical: vertical)
                canvas.fillRoundedRect(box.insetBy(-3), radius: 2, Color.white.withAlpha(0.85))
            }
            canvas.drawText(text, at: point, style, horizontal: horizontal, vertical: vertical, angle: angle)
        }
    }

    private static func drawMarker(on canvas: Canvas, center c: Point, shape: MarkerShape, size: Double, _ color: Color) {
        let r = size / 2
        switch shape {
        case .circle:
            canvas.fillCircle(center: c, radius: r, color)
        case .square:
            let s = r * 0.88
            canvas.fillConvexPolygon([Point(x: c.x - s, y: c.y - s), Point(x: c.x + s, y: c.y - s),
                                      Point(x: c.x + s, y: c.y + s), Point(x: c.x - s, y: c.y + s)], color)
        case .triangle:
            let s = r * 1.2
            canvas.fillConvexPolygon([Point(x: c.x, y: c.y - s), Point(x: c.x + s * 0.87, y: c.y + s * 0.5),
                                      Point(x: c.x - s * 0.87, y: c.y + s * 0.5)], color)
        case .invertedTriangle:
            let s = r * 1.2
            canvas.fillConvexPolygon([Point(x: c.x, y: c.y + s), Point(x: c.x - s * 0.87, y: c.y - s * 0.5),
                                      Point(x: c.x + s * 0.87, y: c.y - s * 0.5)], color)
        case .diamond:
            let s = r * 1.2
            canvas.fillConvexPolygon([Point(x: c.x, y: c.y - s), Point(x: c.x + s, y: c.y),
                                      Point(x: c.x, y: c.y + s), Point(x: c.x - s, y: c.y)], color)
        case .plus:
            let s = r * 1.15, t = r * 0.42
            canvas.fillRect(Rect(x0: c.x - s, y0: c.y - t, x1: c.x + s, y1: c.y + t), color)
            canvas.fillRect(Rect(x0: c.x - t, y0: c.y - s, x1: c.x + t, y1: c.y + s), color)
        case .rightTriangle:
            let s = r * 1.2
            canvas.fillConvexPolygon([Point(x: c.x + s, y: c.y), Point(x: c.x - s * 0.5, y: c.y + s * 0.87),
                                      Point(x: c.x - s * 0.5, y: c.y - s * 0.87)], color)
        }
    }

    /// A polyline cut into dashes of `dash` points with gaps of `gap` points, measured along it.
    static func dashes(of points: [Point], dash: Double, gap: Double) -> [[Point]] {
        var pieces: [[Point]] = []
        var current: [Point] = points.first.map { [$0] } ?? []
        var drawing = true, left = dash
        for (a, b) in zip(points, points.dropFirst()) {
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            var travelled = 0.0
            while length - travelled > left {
                travelled += left
                let t = travelled / length
                let cut = Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
                if drawing {
                    current.append(cut)
                    pieces.append(current)
                } else {
                    current = [cut]
                }
                drawing.toggle()
                left = drawing ? dash : gap
            }
            left -= length - travelled
            if drawing { current.append(b) }
        }
        if drawing, current.count > 1 { pieces.append(current) }
        return pieces
    }

    /// The areas this mark covers, for legend placement and overlap checks.
    func footprint(on canvas: Canvas) -> [Rect] {
        switch self {
        case let .fill(rect, _), let .bin(rect, _):
            return [rect]
        case let .line(points, width, _):
            var boxes: [Rect] = []
            let half = width / 2 + 1
            for (a, b) in zip(points, points.dropFirst()) {
                let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                let steps = max(1, Int(length / 3))
                for step in 0...steps {
                    let t = Double(step) / Double(steps)
                    let x = a.x + (b.x - a.x) * t, y = a.y + (b.y - a.y) * t
                    boxes.append(Rect(x: x - half, y: y - half, width: 2 * half, height: 2 * half))
                }
            }
            if points.count == 1 { boxes.append(Rect(x: points[0].x - half, y: points[0].y - half, width: 2 * half, height: 2 * half)) }
            return boxes
        case let .marker(center, _, size, _):
            return [Rect(x: center.x - size / 2 - 1, y: center.y - size / 2 - 1, width: size + 2, height: size + 2)]
        case let .rule(x, top, bottom, width, _, _):
            return [Rect(x: x - width / 2 - 1, y: top, width: width + 2, height: bottom - top)]
        case let .label(text, point, style, horizontal, vertical, angle, backdrop):
            var box = canvas.textBox(text, at: point, style, horizontal: horizontal, vertical: vertical)
            if angle == 90 {
                // Turned about the anchor: width and height swap.
                let ax = point.x, ay = point.y
                box = Rect(x0: ax + (box.minY - ay), y0: ay - (box.maxX - ax), x1: ax + (box.maxY - ay), y1: ay - (box.minX - ax))
            }
            return [backdrop ? box.insetBy(-3) : box]
        }
    }
}
