import Foundation
@testable import Reports
import TestSupport

extension DecodedImage {
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
