import CPNG
import Foundation

/// A PNG decoded with libpng into 8-bit RGB, so tests check what a viewer would show.
public struct DecodedImage {
    public var width: Int
    public var height: Int
    /// Row-major RGB triples.
    public var pixels: [UInt8]

    public enum DecodeError: Error { case notPNG }

    public init(_ data: Data) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, data.count) }
        guard begun != 0 else { throw DecodeError.notPNG }
        image.format = UInt32(PNG_FORMAT_RGB)
        width = Int(image.width)
        height = Int(image.height)
        var buffer = [UInt8](repeating: 0, count: width * height * 3)
        let finished = buffer.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw DecodeError.notPNG }
        pixels = buffer
    }

    /// Decodes the PNG file at `url` (throws if it cannot be read or does not decode).
    public init(contentsOf url: URL) throws {
        try self.init(Data(contentsOf: url))
    }

    /// The RGB of the pixel at column `x`, row `y`.
    public func rgb(_ x: Int, _ y: Int) -> [UInt8] {
        let index = (y * width + x) * 3
        return Array(pixels[index..<index + 3])
    }
}
