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
    /// Whether the source draws `scalar` itself (rather than a stand-in such as `?` or a box).
    func hasGlyph(_ scalar: Unicode.Scalar) -> Bool
}

/// A font with a second font for the characters it lacks: DejaVu Sans for Latin, Greek and
/// symbols, Noto Sans CJK for Chinese. Line metrics are the primary font's; a glyph from the
/// fallback carries a high bit in its index, so kerning never pairs glyphs of two fonts.
final class FallbackGlyphSource: GlyphSource {
    private let primary: GlyphSource
    private let fallback: GlyphSource
    private static let fallbackBit: UInt32 = 1 << 31

    init(primary: GlyphSource, fallback: GlyphSource) {
        self.primary = primary
        self.fallback = fallback
    }

    func lineMetrics(pixelSize: Double) -> (ascent: Double, descent: Double) { primary.lineMetrics(pixelSize: pixelSize) }

    func glyph(_ scalar: Unicode.Scalar, pixelSize: Double) -> Glyph {
        guard !primary.hasGlyph(scalar), fallback.hasGlyph(scalar) else { return primary.glyph(scalar, pixelSize: pixelSize) }
        var glyph = fallback.glyph(scalar, pixelSize: pixelSize)
        glyph.index |= FallbackGlyphSource.fallbackBit
        return glyph
    }

    func kerning(_ left: UInt32, _ right: UInt32, pixelSize: Double) -> Double {
        (left | right) & FallbackGlyphSource.fallbackBit != 0 ? 0 : primary.kerning(left, right, pixelSize: pixelSize)
    }

    func hasGlyph(_ scalar: Unicode.Scalar) -> Bool { primary.hasGlyph(scalar) || fallback.hasGlyph(scalar) }
}

extension Unicode.Scalar {
    /// Chinese, Japanese and Korean characters and their punctuation (CJK symbols, ideographs,
    /// full-width forms), which need a CJK font.
    var isCJK: Bool {
        switch value {
        case 0x2E80...0x2FDF, 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF: true
        default: false
        }
    }
}
