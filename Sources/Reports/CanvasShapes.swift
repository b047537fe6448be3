import Foundation

/// Antialiased shapes. Each shape works out, for every pixel near it, the fraction of the
/// pixel it covers (from the pixel centre's distance to the shape's edge) and blends with
/// that weight. Coordinates are in points; the canvas scale turns them into pixels.
extension Canvas {
    /// How much of pixel `index` (spanning index…index+1) lies between `from` and `to`.
    @inline(__always)
    private func overlap(_ index: Int, _ from: Double, _ to: Double) -> Double {
        max(0, min(Double(index + 1), to) - max(Double(index), from))
    }

    /// Fills a rectangle; edges that fall inside a pixel cover it partially.
    func fillRect(_ rect: Rect, _ color: Color) {
        fillPixelRect(x0: rect.minX * scale, y0: rect.minY * scale, x1: rect.maxX * scale, y1: rect.maxY * scale, color)
    }

    /// Fills a rectangle with its edges rounded to whole pixels, so that neighbouring
    /// rectangles (histogram bins) tile without seams or double-blended edges.
    func fillRectSnapped(_ rect: Rect, _ color: Color) {
        fillPixelRect(x0: (rect.minX * scale).rounded(), y0: (rect.minY * scale).rounded(),
                      x1: (rect.maxX * scale).rounded(), y1: (rect.maxY * scale).rounded(), color)
    }

    private func fillPixelRect(x0: Double, y0: Double, x1: Double, y1: Double, _ color: Color) {
        guard x1 > x0, y1 > y0 else { return }
        for py in pixelRange(y0, y1, limit: pixelHeight) {
            let rowCoverage = overlap(py, y0, y1)
            for px in pixelRange(x0, x1, limit: pixelWidth) {
                blend(px, py, color, rowCoverage * overlap(px, x0, x1))
            }
        }
    }

    /// The pixel span of a crisp line `width` points thick centred on `position`: the
    /// thickness is rounded to whole pixels and the line is aligned to the pixel grid, so
    /// grid lines, axes and ticks are sharp rather than smeared over two pixel rows.
    private func crispSpan(_ position: Double, width: Double) -> (Double, Double) {
        let thickness = max(1, (width * scale).rounded())
        let start = (position * scale - thickness / 2).rounded()
        return (start, start + thickness)
    }

    /// A horizontal line, crisp on the pixel grid.
    func horizontalLine(y: Double, from x0: Double, to x1: Double, width: Double, _ color: Color) {
        let (top, bottom) = crispSpan(y, width: width)
        fillPixelRect(x0: min(x0, x1) * scale, y0: top, x1: max(x0, x1) * scale, y1: bottom, color)
    }

    /// A vertical line, crisp on the pixel grid; `dash` gives on/off lengths in points.
    func verticalLine(x: Double, from y0: Double, to y1: Double, width: Double, _ color: Color, dash: [Double] = []) {
        let (left, right) = crispSpan(x, width: width)
        let top = min(y0, y1), bottom = max(y0, y1)
        guard dash.count >= 2, dash.allSatisfy({ $0 > 0 }) else {
            fillPixelRect(x0: left, y0: top * scale, x1: right, y1: bottom * scale, color)
            return
        }
        var y = top, index = 0
        while y < bottom {
            let end = min(bottom, y + dash[index % dash.count])
            if index % 2 == 0 { fillPixelRect(x0: left, y0: y * scale, x1: right, y1: end * scale, color) }
            y = end
            index += 1
        }
    }

    /// Strokes connected line segments `width` points wide with round joins and caps.
    ///
    /// Coverage of the whole polyline is gathered first (the maximum over its segments) and
    /// blended once, so a translucent line does not darken where its segments overlap.
    func strokePolyline(_ points: [Point], width: Double, _ color: Color) {
        guard !points.isEmpty else { return }
        let px = points.map { Point(x: $0.x * scale, y: $0.y * scale) }
        let lineWidth = width * scale
        let half = max(lineWidth, 1) / 2
        let thinness = min(1, lineWidth)
        let margin = half + 1
        let minX = max(0, Int((px.map(\.x).min()! - margin).rounded(.down)))
        let maxX = min(pixelWidth, Int((px.map(\.x).max()! + margin).rounded(.up)))
        let minY = max(0, Int((px.map(\.y).min()! - margin).rounded(.down)))
        let maxY = min(pixelHeight, Int((px.map(\.y).max()! + margin).rounded(.up)))
        guard maxX > minX, maxY > minY else { return }
        let boxWidth = maxX - minX
        let mask = UnsafeMutableBufferPointer<Float>.allocate(capacity: boxWidth * (maxY - minY))
        defer { mask.deallocate() }
        mask.initialize(repeating: 0)

        let segments = px.count == 1 ? [(px[0], px[0])] : (1..<px.count).map { (px[$0 - 1], px[$0]) }
        for (a, b) in segments {
            let dx = b.x - a.x, dy = b.y - a.y
            let lengthSquared = dx * dx + dy * dy
            let x0 = max(minX, Int((min(a.x, b.x) - margin).rounded(.down)))
            let x1 = min(maxX, Int((max(a.x, b.x) + margin).rounded(.up)))
            let y0 = max(minY, Int((min(a.y, b.y) - margin).rounded(.down)))
            let y1 = min(maxY, Int((max(a.y, b.y) + margin).rounded(.up)))
            guard x1 > x0, y1 > y0 else { continue }
            for y in y0..<y1 {
                let cy = Double(y) + 0.5
                for x in x0..<x1 {
                    let cx = Double(x) + 0.5
                    var t = lengthSquared > 0 ? ((cx - a.x) * dx + (cy - a.y) * dy) / lengthSquared : 0
                    t = min(1, max(0, t))
                    let ex = cx - (a.x + t * dx), ey = cy - (a.y + t * dy)
                    let distance = (ex * ex + ey * ey).squareRoot()
                    let coverage = Float(min(1, max(0, half + 0.5 - distance)) * thinness)
                    let index = (y - minY) * boxWidth + (x - minX)
                    if coverage > mask[index] { mask[index] = coverage }
                }
            }
        }
        for y in minY..<maxY {
            for x in minX..<maxX {
                let coverage = mask[(y - minY) * boxWidth + (x - minX)]
                if coverage > 0 { blend(x, y, color, Double(coverage)) }
            }
        }
    }

    /// Fills a disc.
    func fillCircle(center: Point, radius: Double, _ color: Color) {
        let cx = center.x * scale, cy = center.y * scale, r = radius * scale
        for y in pixelRange(cy - r - 1, cy + r + 1, limit: pixelHeight) {
            for x in pixelRange(cx - r - 1, cx + r + 1, limit: pixelWidth) {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let distance = (dx * dx + dy * dy).squareRoot() - r
                blend(x, y, color, min(1, max(0, 0.5 - distance)))
            }
        }
    }

    /// Fills a convex polygon (marker shapes: squares, triangles, diamonds).
    func fillConvexPolygon(_ points: [Point], _ color: Color) {
        guard points.count >= 3 else { return }
        let p = points.map { Point(x: $0.x * scale, y: $0.y * scale) }
        // Orientation decides which side of each edge is inside.
        var area = 0.0
        for i in 0..<p.count {
            let a = p[i], b = p[(i + 1) % p.count]
            area += a.x * b.y - b.x * a.y
        }
        let sign: Double = area > 0 ? 1 : -1
        let edges = (0..<p.count).map { i -> (Point, Double, Double) in
            let a = p[i], b = p[(i + 1) % p.count]
            let length = max(1e-9, ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot())
            // Unit normal pointing inside.
            return (a, -sign * (b.y - a.y) / length, sign * (b.x - a.x) / length)
        }
        let xs = p.map(\.x), ys = p.map(\.y)
        for y in pixelRange(ys.min()! - 1, ys.max()! + 1, limit: pixelHeight) {
            for x in pixelRange(xs.min()! - 1, xs.max()! + 1, limit: pixelWidth) {
                let cx = Double(x) + 0.5, cy = Double(y) + 0.5
                var inside = Double.infinity
                for (a, nx, ny) in edges {
                    inside = min(inside, (cx - a.x) * nx + (cy - a.y) * ny)
                }
                blend(x, y, color, min(1, max(0, inside + 0.5)))
            }
        }
    }

    /// Signed distance from a pixel centre to a rounded rectangle's edge (negative inside).
    @inline(__always)
    private func roundedRectDistance(_ x: Double, _ y: Double, _ cx: Double, _ cy: Double,
                                     _ halfWidth: Double, _ halfHeight: Double, _ radius: Double) -> Double {
        let qx = abs(x - cx) - (halfWidth - radius), qy = abs(y - cy) - (halfHeight - radius)
        let outside = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot()
        return outside + min(max(qx, qy), 0) - radius
    }

    /// Fills a rectangle with rounded corners (legend and label backgrounds).
    func fillRoundedRect(_ rect: Rect, radius: Double, _ color: Color) {
        strokeOrFillRoundedRect(rect, radius: radius, lineWidth: nil, color)
    }

    /// Draws the outline of a rectangle with rounded corners, `width` points thick.
    func strokeRoundedRect(_ rect: Rect, radius: Double, width: Double, _ color: Color) {
        strokeOrFillRoundedRect(rect, radius: radius, lineWidth: width, color)
    }

    private func strokeOrFillRoundedRect(_ rect: Rect, radius: Double, lineWidth: Double?, _ color: Color) {
        let cx = rect.midX * scale, cy = rect.midY * scale
        let hw = rect.width * scale / 2, hh = rect.height * scale / 2
        let r = min(radius * scale, hw, hh)
        let halfLine = lineWidth.map { max(1, $0 * scale) / 2 } ?? 0
        for y in pixelRange(cy - hh - halfLine - 1, cy + hh + halfLine + 1, limit: pixelHeight) {
            for x in pixelRange(cx - hw - halfLine - 1, cx + hw + halfLine + 1, limit: pixelWidth) {
                let d = roundedRectDistance(Double(x) + 0.5, Double(y) + 0.5, cx, cy, hw, hh, r)
                let coverage = lineWidth == nil ? 0.5 - d : halfLine + 0.5 - abs(d)
                blend(x, y, color, min(1, max(0, coverage)))
            }
        }
    }
}
