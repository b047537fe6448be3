import Foundation

/// A line of text rendered to a coverage mask, ready to be blended onto a canvas in any colour.
struct TextMask {
    var width: Int
    var height: Int
    var alpha: [UInt8]
    /// Where the pen started (left end of the baseline), in mask pixels.
    var originX: Int
    var baseline: Int
    /// Width of the text as set (sum of advances), in pixels.
    var advance: Double
    /// Line ascent and descent of the font at this size, in pixels.
    var ascent: Double
    var descent: Double
}

/// Sets lines of text with DejaVu Sans through FreeType, or with the built-in bitmap font
/// when no font file exists (warning once on stderr); Chinese characters come from Noto Sans
/// CJK when it is installed, else the first one set warns once and falls back the same way. Shared by every chart; a lock makes it
/// safe to render charts from several threads.
final class Typesetter: @unchecked Sendable {
    /// The process-wide typesetter, created on first use.
    static let shared = Typesetter()

    private let regular: GlyphSource
    private let bold: GlyphSource
    private let lock = NSLock()
    /// Whether text falls back to the bitmap font.
    let usesBitmapFont: Bool
    /// Whether Chinese text has a CJK font (else it is drawn as the fallback's stand-ins).
    let hasCJKFont: Bool
    /// Whether the missing CJK font has been reported (once per typesetter).
    private var warnedAboutCJK = false
    /// Characters this typesetter was asked to set but has no glyph for (drawn as boxes or `?`).
    private var missing: Set<Unicode.Scalar> = []

    /// Finds the fonts (see `FontLocator`); `forceBitmap` skips the search, for tests, and
    /// `cjk: false` leaves out the CJK font, as on a machine without one.
    init(forceBitmap: Bool = false, cjk: Bool = true) {
        var regular: GlyphSource, bold: GlyphSource
        if !forceBitmap, let path = FontLocator.regular(), let face = FreeTypeFace(path: path) {
            regular = face
            bold = FontLocator.bold(near: path).flatMap { FreeTypeFace(path: $0) } ?? face
            usesBitmapFont = false
        } else {
            regular = BitmapFont()
            bold = regular
            usesBitmapFont = true
            if !forceBitmap {
                FileHandle.standardError.write(Data("warning: DejaVu Sans not found (install fonts-dejavu-core or set PRUNELAB_FONT=/path/to/font.ttf); chart text uses a built-in bitmap font.\n".utf8))
            }
        }
        // fontconfig answers any pattern with some font: a CJK face must draw a Chinese character.
        if !forceBitmap, cjk, let path = FontLocator.cjkRegular(), let face = FreeTypeFace(path: path, preferredFamily: "SC"),
           face.hasGlyph("剪") {
            let boldFace = FontLocator.cjkBold(near: path).flatMap { FreeTypeFace(path: $0, preferredFamily: "SC") } ?? face
            regular = FallbackGlyphSource(primary: regular, fallback: face)
            bold = FallbackGlyphSource(primary: bold, fallback: boldFace)
            hasCJKFont = true
        } else {
            hasCJKFont = false
        }
        self.regular = regular
        self.bold = bold
    }

    /// Says once, in one line, that Chinese text has no font, when `text` is the first to need one.
    private func warnIfCJKIsMissing(_ text: String) {
        guard !hasCJKFont, !warnedAboutCJK, text.unicodeScalars.contains(where: \.isCJK) else { return }
        warnedAboutCJK = true
        FileHandle.standardError.write(Data("warning: no CJK font found (install fonts-noto-cjk or set PRUNELAB_CJK_FONT=/path/to/font.ttc); Chinese chart text falls back to the Latin font's boxes.\n".utf8))
    }

    /// The characters set so far that had no glyph, in code-point order ("" when every one had).
    var missingCharacters: String {
        lock.lock()
        defer { lock.unlock() }
        return String(String.UnicodeScalarView(missing.sorted { $0.value < $1.value }))
    }

    /// The width of `text` set at `pixelSize`, in pixels.
    func width(_ text: String, pixelSize: Double, bold isBold: Bool = false) -> Double {
        lock.lock()
        defer { lock.unlock() }
        let source = isBold ? bold : regular
        var pen = 0.0
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let glyph = source.glyph(scalar, pixelSize: pixelSize)
            pen += source.kerning(previous, glyph.index, pixelSize: pixelSize) + glyph.advance
            previous = glyph.index
        }
        return pen
    }

    /// Ascent and descent of a line at `pixelSize`, in pixels.
    func lineMetrics(pixelSize: Double, bold isBold: Bool = false) -> (ascent: Double, descent: Double) {
        lock.lock()
        defer { lock.unlock() }
        return (isBold ? bold : regular).lineMetrics(pixelSize: pixelSize)
    }

    /// Renders `text` to a coverage mask.
    func render(_ text: String, pixelSize: Double, bold isBold: Bool = false) -> TextMask {
        lock.lock()
        defer { lock.unlock() }
        warnIfCJKIsMissing(text)
        let source = isBold ? bold : regular
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace && !source.hasGlyph(scalar) { missing.insert(scalar) }
        let metrics = source.lineMetrics(pixelSize: pixelSize)
        var placed: [(glyph: Glyph, x: Int)] = []
        var pen = 0.0
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let glyph = source.glyph(scalar, pixelSize: pixelSize)
            pen += source.kerning(previous, glyph.index, pixelSize: pixelSize)
            placed.append((glyph, Int(pen.rounded()) + glyph.left))
            pen += glyph.advance
            previous = glyph.index
        }
        // Bounds: the font's line box, grown to fit any glyph that pokes out of it.
        var minX = 0, maxX = Int(pen.rounded(.up))
        var top = Int(metrics.ascent.rounded(.up)), bottom = Int(metrics.descent.rounded(.up))
        for (glyph, x) in placed where glyph.width > 0 {
            minX = min(minX, x)
            maxX = max(maxX, x + glyph.width)
            top = max(top, glyph.top)
            bottom = max(bottom, glyph.rows - glyph.top)
        }
        let width = max(1, maxX - minX), height = max(1, top + bottom)
        var alpha = [UInt8](repeating: 0, count: width * height)
        alpha.withUnsafeMutableBufferPointer { mask in
            for (glyph, x) in placed where glyph.width > 0 {
                let left = x - minX, upper = top - glyph.top
                glyph.bitmap.withUnsafeBufferPointer { bits in
                    for row in 0..<glyph.rows {
                        let target = (upper + row) * width + left
                        for column in 0..<glyph.width {
                            let value = bits[row * glyph.width + column]
                            if value > mask[target + column] { mask[target + column] = value }
                        }
                    }
                }
            }
        }
        return TextMask(width: width, height: height, alpha: alpha, originX: -minX, baseline: top,
                        advance: pen, ascent: metrics.ascent, descent: metrics.descent)
    }
}

/// What the charts of this process have drawn without a glyph, so a report can say (and a test
/// check) that every chart text, Chinese included, was set in a real font and not as boxes.
public enum GlyphCoverage {
    /// The characters every chart so far asked for but the fonts lack, in code-point order; "" when none.
    public static var missingCharacters: String { Typesetter.shared.missingCharacters }
}
