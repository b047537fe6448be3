/// One rendered character: an 8-bit coverage bitmap and where it sits relative to the pen.
struct Glyph {
    /// Font-specific glyph number, used for kerning.
    var index: UInt32
    var width: Int
    var rows: Int
    /// Coverage, `rows` × `width`, 0 = empty, 255 = fully covered.
    var bitmap: [UInt8]
    /// Offset from the pen position to the bitmap's left edge, in pixels.
    var left: Int
    /// Distance from the baseline up to the bitmap's top row, in pixels.
    var top: Int
    /// How far the pen moves after this glyph, in (fractional) pixels.
    var advance: Double
}

/// A source of glyphs at a given pixel size: FreeType, or the built-in bitmap font.
protocol GlyphSource: AnyObject {
    /// Distance from baseline to the top and bottom of a line, in pixels, at `pixelSize`.
    func lineMetrics(pixelSize: Double) -> (ascent: Double, descent: Double)
    func glyph(_ scalar: Unicode.Scalar, pixelSize: Double) -> Glyph
    /// Extra space between two glyphs (negative pulls them together), in pixels.
    func kerning(_ left: UInt32, _ right: UInt32, pixelSize: Double) -> Double
}
