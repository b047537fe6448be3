import Foundation
import Testing
@testable import Reports
import TestSupport

@Suite struct TextTests {
    func inkedPixels(_ canvas: Canvas, in box: Rect) -> Int {
        var count = 0
        for y in Int(box.minY * canvas.scale)..<Int(box.maxY * canvas.scale) {
            for x in Int(box.minX * canvas.scale)..<Int(box.maxX * canvas.scale) where canvas.pixel(x, y) != (255, 255, 255) {
                count += 1
            }
        }
        return count
    }

    @Test func freeTypeTextLandsInsideItsBox() {
        let canvas = Canvas(width: 200, height: 60, scale: 2)
        #expect(!canvas.typesetter.usesBitmapFont, "DejaVu Sans should be installed (fonts-dejavu-core)")
        let style = TextStyle(size: 14)
        let origin = Point(x: 20, y: 30)
        canvas.drawText("Pruning 60%", at: origin, style, horizontal: .left, vertical: .middle)
        let box = canvas.textBox("Pruning 60%", at: origin, style, horizontal: .left, vertical: .middle)
        let inside = inkedPixels(canvas, in: box.insetBy(-1))
        #expect(inside > 300)
        #expect(inside == inkedPixels(canvas, in: Rect(x: 0, y: 0, width: 200, height: 60)))
        // Antialiased: some edge pixels are neither background nor full ink.
        var greys = 0
        for y in 0..<canvas.pixelHeight {
            for x in 0..<canvas.pixelWidth {
                let (r, _, _) = canvas.pixel(x, y)
                if r > 60, r < 200 { greys += 1 }
            }
        }
        #expect(greys > 20)
    }

    @Test func bitmapFallbackDrawsTextWithoutAFontFile() throws {
        let typesetter = Typesetter(forceBitmap: true)
        #expect(typesetter.usesBitmapFont)
        let canvas = Canvas(width: 200, height: 60, scale: 1, typesetter: typesetter)
        let style = TextStyle(size: 12)
        canvas.drawText("Hello 123", at: Point(x: 10, y: 30), style, vertical: .middle)
        let box = canvas.textBox("Hello 123", at: Point(x: 10, y: 30), style, horizontal: .left, vertical: .middle)
        #expect(box.width == 9 * 6)
        #expect(inkedPixels(canvas, in: box) > 40)
        // A whole chart renders with it too.
        let chart = BarChart(title: "Fallback", categories: ["a", "b"], series: [BarSeries(name: "n", values: [1, 2])])
        let image = try DecodedImage(ChartRenderer.png(chart, width: 300, height: 200, scale: 1, typesetter: typesetter))
        #expect(image.width == 300)
    }

    @Test func rotatedTextReadsUpwards() {
        let canvas = Canvas(width: 60, height: 200, scale: 1)
        let style = TextStyle(size: 14)
        canvas.drawText("accuracy (%)", at: Point(x: 10, y: 100), style, horizontal: .center, vertical: .top, angle: 90)
        let length = canvas.textWidth("accuracy (%)", style)
        // The text now spans vertically around y = 100, to the right of x = 10.
        let tall = Rect(x: 10, y: 100 - length / 2 - 1, width: canvas.lineHeight(style) + 1, height: length + 2)
        let total = inkedPixels(canvas, in: Rect(x: 0, y: 0, width: 60, height: 200))
        #expect(total > 200)
        #expect(inkedPixels(canvas, in: tall) == total)
    }

    @Test func textScalesWithTheCanvas() {
        let style = TextStyle(size: 12)
        let one = Canvas(width: 10, height: 10, scale: 1).textWidth("threshold", style)
        let two = Canvas(width: 10, height: 10, scale: 2).textWidth("threshold", style)
        #expect(abs(one - two) < 1.5)
    }
}

/// Chinese chart text is drawn with Noto Sans CJK (fonts-noto-cjk), not as boxes: each
/// character has ink of its own shape, where a font without it draws one box for all.
@Suite struct CJKTextTests {
    let characters = ["剪", "枝", "微", "调", "通", "道"]

    func masks(_ typesetter: Typesetter) -> [[UInt8]] {
        characters.map { typesetter.render($0, pixelSize: 28).alpha }
    }

    @Test func chineseCharactersHaveGlyphsOfTheirOwn() {
        let typesetter = Typesetter()
        #expect(typesetter.hasCJKFont, "Noto Sans CJK should be installed (fonts-noto-cjk, scripts/install-deps.sh)")
        let drawn = masks(typesetter)
        for (character, mask) in zip(characters, drawn) {
            #expect(mask.filter { $0 > 128 }.count > 60, "\(character) has ink")
        }
        #expect(Set(drawn).count == characters.count, "six characters, six different shapes: no tofu boxes")
        #expect(typesetter.missingCharacters.isEmpty)
    }

    @Test func withoutACJKFontTheyAreBoxesAndCounted() {
        let typesetter = Typesetter(cjk: false)
        #expect(!typesetter.hasCJKFont)
        #expect(Set(masks(typesetter)).count == 1, "every missing character is the same box")
        #expect(typesetter.missingCharacters == "剪调枝微道通".unicodeScalars.sorted { $0.value < $1.value }.map(String.init).joined())
    }

    @Test func aChineseChartTitleInksItsBox() {
        let canvas = Canvas(width: 240, height: 60, scale: 2)
        let style = TextStyle(size: 16, bold: true)
        let origin = Point(x: 20, y: 30)
        canvas.drawText("各阶段的测试准确率", at: origin, style, horizontal: .left, vertical: .middle)
        let box = canvas.textBox("各阶段的测试准确率", at: origin, style, horizontal: .left, vertical: .middle)
        let inside = TextTests().inkedPixels(canvas, in: box.insetBy(-1))
        #expect(inside > 1500, "nine bold characters of ink")
        #expect(inside == TextTests().inkedPixels(canvas, in: Rect(x: 0, y: 0, width: 240, height: 60)))
        #expect(box.width > 9 * 14, "full-width characters, about one em each")
    }
}
