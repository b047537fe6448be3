import CPNG
import Foundation
@testable import Reports

/// A PNG decoded with libpng into 8-bit RGB, so tests check what a viewer would show.
struct DecodedImage {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    init(_ data: Data) throws {
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

    enum DecodeError: Error { case notPNG }

    func rgb(_ x: Int, _ y: Int) -> [UInt8] {
        let index = (y * width + x) * 3
        return Array(pixels[index..<index + 3])
    }

    /// The pixel under a point given in chart points, for a chart rendered at `scale`.
    func rgb(at point: Point, scale: Int) -> [UInt8] {
        rgb(Int(point.x * Double(scale)), Int(point.y * Double(scale)))
    }
}

func rgb(_ color: Color) -> [UInt8] { [color.red, color.green, color.blue] }

/// Lays a chart out on a canvas the way `renderPNG` does and returns the scene, for the
/// positions of bars, lines and texts.
func scene(_ chart: some SceneComposing, width: Int, height: Int, scale: Int) throws -> (Scene, Canvas) {
    let canvas = Canvas(width: width, height: height, scale: scale)
    let scene = try ChartRenderer.draw(chart, on: canvas, width: width, height: height)
    return (scene, canvas)
}

/// A fresh empty folder for one test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
