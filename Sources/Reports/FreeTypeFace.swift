import CFreeType

/// A TrueType font rendered by FreeType, with a glyph cache per pixel size.
///
/// Glyphs use FreeType's light hinting (vertical only), which keeps letter shapes true and
/// lets the pen advance by fractional pixels, the way matplotlib and browsers set text.
final class FreeTypeFace: GlyphSource {
    private var library: FT_Library?
    private var face: FT_Face?
    private var currentSize: FT_F26Dot6 = -1
    private var cache: [Int: [UInt32: Glyph]] = [:]
    private let hasKerning: Bool

    /// Opens the font at `path`, or returns nil if FreeType cannot read it. In a collection
    /// (`.ttc`) it takes the first face whose family name contains `preferredFamily` (e.g. "SC",
    /// the Simplified Chinese face of Noto Sans CJK), else face 0.
    init?(path: String, preferredFamily: String? = nil) {
        guard FT_Init_FreeType(&library) == 0 else { return nil }
        guard FT_New_Face(library, path, 0, &face) == 0, var face else {
            FT_Done_FreeType(library)
            return nil
        }
        func family(_ face: FT_Face) -> String { face.pointee.family_name.map { String(cString: $0) } ?? "" }
        if let preferredFamily, face.pointee.num_faces > 1, !family(face).contains(preferredFamily) {
            for index in 1..<face.pointee.num_faces {
                var candidate: FT_Face?
                guard FT_New_Face(library, path, index, &candidate) == 0, let candidate else { continue }
                if family(candidate).contains(preferredFamily) {
                    FT_Done_Face(face)
                    face = candidate
                    self.face = candidate
                    break
                }
                FT_Done_Face(candidate)
            }
        }
        hasKerning = face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING) != 0
    }

    func hasGlyph(_ scalar: Unicode.Scalar) -> Bool { FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0 }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    private func sizeKey(_ pixelSize: Double) -> FT_F26Dot6 { FT_F26Dot6((pixelSize * 64).rounded()) }

    private func select(_ pixelSize: Double) {
        let size = sizeKey(pixelSize)
        if size != currentSize {
            FT_Set_Char_Size(face, 0, size, 72, 72)
            currentSize = size
        }
    }

    func lineMetrics(pixelSize: Double) -> (ascent: Double, descent: Double) {
        select(pixelSize)
        let metrics = face!.pointee.size.pointee.metrics
        return (Double(metrics.ascender) / 64, Double(-metrics.descender) / 64)
    }

    func glyph(_ scalar: Unicode.Scalar, pixelSize: Double) -> Glyph {
        let key = Int(sizeKey(pixelSize))
        if let glyph = cache[key]?[scalar.value] { return glyph }
        select(pixelSize)
        let lightTarget: FT_Int32 = 1 << 16  // FT_LOAD_TARGET_LIGHT (a function-like macro in C)
        var glyph = Glyph(index: 0, width: 0, rows: 0, bitmap: [], left: 0, top: 0, advance: pixelSize * 0.5)
        if FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER) | lightTarget) == 0,
           let slot = face!.pointee.glyph {
            let bitmap = slot.pointee.bitmap
            let width = Int(bitmap.width), rows = Int(bitmap.rows), pitch = Int(bitmap.pitch)
            var bytes = [UInt8](repeating: 0, count: width * rows)
            if let buffer = bitmap.buffer, width > 0, rows > 0 {
                for row in 0..<rows {
                    let source = pitch >= 0 ? buffer + row * pitch : buffer + (rows - 1 - row) * (-pitch)
                    for column in 0..<width { bytes[row * width + column] = source[column] }
                }
            }
            glyph = Glyph(index: FT_Get_Char_Index(face, FT_ULong(scalar.value)), width: width, rows: rows,
                          bitmap: bytes, left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
                          advance: Double(slot.pointee.linearHoriAdvance) / 65536)
        }
        cache[key, default: [:]][scalar.value] = glyph
        return glyph
    }

    func kerning(_ left: UInt32, _ right: UInt32, pixelSize: Double) -> Double {
        guard hasKerning, left != 0, right != 0 else { return 0 }
        select(pixelSize)
        var vector = FT_Vector()
        guard FT_Get_Kerning(face, left, right, FT_UInt(FT_KERNING_UNFITTED.rawValue), &vector) == 0 else { return 0 }
        return Double(vector.x) / 64
    }
}
