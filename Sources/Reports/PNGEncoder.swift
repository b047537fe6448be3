import CPNG
import Foundation

/// PNG encoding through libpng's simplified API, which reports errors as return values
/// (the classic API reports them by longjmp, which Swift cannot catch).
///
/// Output is 8-bit RGB with no timestamp or other varying chunk, so the same pixels always
/// give the same bytes.
enum PNGEncoder {
    static func encode(_ canvas: Canvas) throws -> Data {
        // One pass into a buffer big enough for incompressible data: asking libpng for the
        // size first would compress the image twice.
        let raw = canvas.pixelHeight * (canvas.pixelWidth * 3 + 1)
        var capacity = raw + raw / 64 + 65_536
        for _ in 0..<2 {
            var image = describe(canvas)
            var size = capacity
            var data = Data(count: capacity)
            let ok = data.withUnsafeMutableBytes { buffer in
                png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, canvas.pixels, Int32(canvas.pixelWidth * 3), nil)
            }
            let reason = message(of: image)
            png_image_free(&image)
            if ok != 0 { return data.prefix(size) }
            // libpng reports the size it needs when the buffer was too small: try once more.
            guard size > capacity else { throw ReportError.pngEncodingFailed(reason: reason) }
            capacity = size
        }
        throw ReportError.pngEncodingFailed(reason: "the output buffer stayed too small")
    }

    private static func describe(_ canvas: Canvas) -> png_image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(canvas.pixelWidth)
        image.height = UInt32(canvas.pixelHeight)
        image.format = UInt32(PNG_FORMAT_RGB)
        // No filtering and a fast zlib level: chart images are mostly flat colour and
        // compress well either way, and this keeps rendering inside its time budget.
        image.flags = UInt32(PNG_IMAGE_FLAG_FAST)
        return image
    }

    private static func message(of image: png_image) -> String {
        var image = image
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "unknown error" : text
    }
}
