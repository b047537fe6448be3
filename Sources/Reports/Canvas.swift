/// An RGB image in memory that charts draw on.
///
/// Drawing calls take coordinates in points; the canvas multiplies them by `scale`, so a
/// chart laid out once renders crisply at 1× for reports and 2× for slides. Every shape
/// is antialiased by computing how much of each pixel it covers and blending with that
/// weight (source-over, in sRGB like matplotlib's Agg backend).
final class Canvas {
    /// Size in pixels.
    let pixelWidth: Int
    let pixelHeight: Int
    /// Pixels per point.
    let scale: Double
    /// Row-major RGB bytes, `pixelWidth * 3` per row.
    let pixels: UnsafeMutablePointer<UInt8>
    /// Pixels outside this box are left untouched (the whole canvas unless a chart narrows
    /// it to keep data inside the plot).
    var clip: (minX: Int, minY: Int, maxX: Int, maxY: Int)
    /// Sets the text drawn on this canvas.
    let typesetter: Typesetter

    /// A canvas of `width`×`height` points filled with `background`.
    init(width: Int, height: Int, scale: Int, background: Color = .white, typesetter: Typesetter = .shared) {
        self.typesetter = typesetter
        self.pixelWidth = width * scale
        self.pixelHeight = height * scale
        self.scale = Double(scale)
        clip = (0, 0, pixelWidth, pixelHeight)
        let count = pixelWidth * pixelHeight * 3
        pixels = .allocate(capacity: count)
        if background.red == background.green && background.green == background.blue {
            pixels.initialize(repeating: background.red, count: count)
            return
        }
        var index = 0
        while index < count {
            pixels[index] = background.red
            pixels[index + 1] = background.green
            pixels[index + 2] = background.blue
            index += 3
        }
    }

    deinit { pixels.deallocate() }

    /// Blends `color` into pixel (x, y) with weight `coverage` × the colour's alpha.
    @inline(__always)
    func blend(_ x: Int, _ y: Int, _ color: Color, _ coverage: Double) {
        let weight = coverage * color.alpha
        guard weight > 0, x >= clip.minX, y >= clip.minY, x < clip.maxX, y < clip.maxY else { return }
        let p = pixels + (y * pixelWidth + x) * 3
        if weight >= 1 {
            p[0] = color.red
            p[1] = color.green
            p[2] = color.blue
            return
        }
        let w = Float(weight)
        p[0] = UInt8(Float(p[0]) + (Float(color.red) - Float(p[0])) * w + 0.5)
        p[1] = UInt8(Float(p[1]) + (Float(color.green) - Float(p[1])) * w + 0.5)
        p[2] = UInt8(Float(p[2]) + (Float(color.blue) - Float(p[2])) * w + 0.5)
    }

    /// Limits drawing to `rect` (in points), or to the whole canvas when nil.
    func setClip(_ rect: Rect?) {
        guard let rect else {
            clip = (0, 0, pixelWidth, pixelHeight)
            return
        }
        clip = (max(0, Int((rect.minX * scale).rounded(.down))), max(0, Int((rect.minY * scale).rounded(.down))),
                min(pixelWidth, Int((rect.maxX * scale).rounded(.up))), min(pixelHeight, Int((rect.maxY * scale).rounded(.up))))
    }

    /// The colour of pixel (x, y), for tests and debugging.
    func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let p = pixels + (y * pixelWidth + x) * 3
        return (p[0], p[1], p[2])
    }

    /// The pixel range a span of points touches, clipped to the canvas.
    func pixelRange(_ from: Double, _ to: Double, limit: Int) -> Range<Int> {
        let lower = max(0, Int((from).rounded(.down)))
        let upper = min(limit, Int((to).rounded(.up)))
        return lower..<max(lower, upper)
    }
}

extension Canvas {
    /// Copies every pixel of `other` (drawn at the same scale) with its top left corner at
    /// (`x`, `y`) points, cut at this canvas's edges: panels of a figure are drawn apart and pasted.
    func paste(_ other: Canvas, x: Double, y: Double) {
        precondition(other.scale == scale, "a pasted canvas must have the same scale")
        let left = Int((x * scale).rounded()), top = Int((y * scale).rounded())
        for row in 0..<other.pixelHeight where top + row >= 0 && top + row < pixelHeight {
            let first = max(0, -left), last = min(other.pixelWidth, pixelWidth - left)
            guard first < last else { continue }
            let source = other.pixels + (row * other.pixelWidth + first) * 3
            let target = pixels + ((top + row) * pixelWidth + left + first) * 3
            target.update(from: source, count: (last - first) * 3)
        }
    }
}
