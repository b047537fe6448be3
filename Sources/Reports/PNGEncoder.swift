import CPNG
import Foundation

/// PNG encoding through libpng's simplified API, which reports errors as return values
/// (the classic API reports them by longjmp, which Swift cannot catch).
///
/// Output is 8-bit RGB with no timestamp or other varying chunk, so the same pixels always
/// give the same bytes.
enum PNGEncoder {
    static func encode(_ canvas: Canvas) throws -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(canvas.pixelWidth)
        image.height = UInt32(canvas.pixelHeight)
        image.format = UInt32(PNG_FORMAT_RGB)
        // Faster filter choice and zlib level: chart images are mostly flat colour and
        // compress well either way, and this keeps rendering inside its time budget.
        image.flags = UInt32(PNG_IMAGE_FLAG_FAST)
        let stride = Int32(canvas.pixelWidth * 3)
        var size = 0
        // First pass asks for the size, the second writes.
        guard png_image_write_to_memory(&image, nil, &size, 0, canvas.pixels, stride, nil) != 0, size > 0 else {
            throw ReportError.pngEncodingFailed(reason: message(of: &image))
        }
        var data = Data(count: size)
        let ok = data.withUnsafeMutableBytes { buffer in
            png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, canvas.pixels, stride, nil)
        }
        guard ok != 0 else { throw ReportError.pngEncodingFailed(reason: message(of: &image)) }
        png_image_free(&image)
        return data.prefix(size)
    }

    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        png_image_free(&image)
        return text.isEmpty ? "unknown error" : text
    }
}
