import Foundation
import Testing
@testable import Reports
import TestSupport

/// Charts are rendered to PNG, decoded with libpng, and checked pixel by pixel against the
/// positions the layout says things are at.
@Suite struct ChartPixelTests {
    let width = 640, height = 400, scale = 2
    let white: [UInt8] = [255, 255, 255]

    func isDark(_ pixel: [UInt8]) -> Bool { pixel.map(Int.init).reduce(0, +) < 3 * 160 }

    @Test func barChartFillsBarsWithTheSeriesColourAndLeavesTheRestWhite() throws {
        let chart = BarChart(title: "Channels per layer", xLabel: "layer", yLabel: "channels",
                             categories: ["conv1", "conv2", "conv3"],
                             series: [BarSeries(name: "original", values: [64, 128, 256]),
                                      BarSeries(name: "kept", values: [32, 100, 20])])
        let image = try DecodedImage(chart.renderPNG(width: width, height: height, scale: scale))
        #expect(image.width == width * scale && image.height == height * scale)

        let (scene, _) = try scene(chart, width: width, height: height, scale: scale)
        let frame = scene.frame
        let slot = frame.plot.width / 3
        let barWidth = slot * BarChart.groupFraction / 2
        // Middle of the "original" bar of conv2 (value 128), halfway up.
        let originalConv2 = Point(x: frame.mapX(1) - barWidth / 2, y: frame.mapY(64))
        #expect(image.rgb(at: originalConv2, scale: scale) == rgb(Palette.blue))
        // The "kept" bar of conv3 (value 20) is orange near its base, white well above it.
        let keptConv3 = Point(x: frame.mapX(2) + barWidth / 2, y: frame.mapY(10))
        #expect(image.rgb(at: keptConv3, scale: scale) == rgb(Palette.orange))
        // Between two groups nothing is drawn (a point halfway between two grid lines).
        let ticks = frame.yTicks.map(\.value)
        let between = Point(x: frame.mapX(0.5), y: frame.mapY((ticks[0] + ticks[1]) / 2))
        #expect(image.rgb(at: between, scale: scale) == white)
        // Image corners are background.
        #expect(image.rgb(0, 0) == white && image.rgb(image.width - 1, image.height - 1) == white)
        // Value labels sit above the bars: dark pixels just above the conv3 "original" bar.
        let labelBox = Rect(x: frame.mapX(2) - barWidth, y: frame.mapY(256) - 16, width: barWidth, height: 14)
        #expect(darkPixels(in: labelBox, image) > 20)
    }

    func darkPixels(in box: Rect, _ image: DecodedImage) -> Int {
        var count = 0
        for y in Int(box.minY * Double(scale))..<Int(box.maxY * Double(scale)) {
            for x in Int(box.minX * Double(scale))..<Int(box.maxX * Double(scale)) where isDark(image.rgb(x, y)) {
                count += 1
            }
        }
        return count
    }

    @Test func titleIsDrawnWhereTheLayoutPutsIt() throws {
        let chart = LineChart(title: "Training curves", xLabel: "epoch", yLabel: "accuracy",
                              series: [LineSeries(name: "train", y: [50, 70, 80, 85, 88])])
        let data = try chart.renderPNG(width: width, height: height, scale: scale)
        let image = try DecodedImage(data)
        let (scene, canvas) = try scene(chart, width: width, height: height, scale: scale)
        let frame = scene.frame
        let titleWidth = canvas.textWidth(chart.title, frame.titleStyle)
        let titleBox = Rect(x: frame.plot.midX - titleWidth / 2, y: ChartStyle.standard.padding,
                            width: titleWidth, height: canvas.lineHeight(frame.titleStyle))
        #expect(darkPixels(in: titleBox, image) > 200)
        // Left and right of the title, the top band is empty.
        #expect(darkPixels(in: Rect(x: 0, y: 0, width: titleBox.minX - 2, height: titleBox.maxY), image) == 0)
        #expect(darkPixels(in: Rect(x: titleBox.maxX + 2, y: 0, width: Double(width) - titleBox.maxX - 2, height: titleBox.maxY), image) == 0)
        // The canvas the layout was drawn on is the image that was encoded.
        #expect(Array(UnsafeBufferPointer(start: canvas.pixels, count: image.pixels.count)) == image.pixels)
    }

    @Test func thresholdLineIsAtTheXOfItsValue() throws {
        let values = (0..<2000).map { Double($0) / 2000 }
        let chart = HistogramChart(title: "γ", xLabel: "|γ|", series: [HistogramSeries(name: "", values: values)],
                                   bins: 20, markers: [MarkerLine(at: 0.3, label: "threshold", color: Palette.vermillion)])
        let image = try DecodedImage(chart.renderPNG(width: width, height: height, scale: scale))
        let (scene, _) = try scene(chart, width: width, height: height, scale: scale)
        let frame = scene.frame
        // Scan a row inside the first dash, above the bars, for the marker colour.
        let row = Int((frame.plot.minY + 3) * Double(scale))
        let hits = (0..<image.width).filter { image.rgb($0, row) == rgb(Palette.vermillion) }
        let expected = frame.mapX(0.3) * Double(scale)
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { abs(Double($0) + 0.5 - expected) <= 2 }, "hits \(hits), expected x ≈ \(expected)")
        // 0.3 lies 30% of the way from 0 to 1 on the axis.
        let fraction = (frame.mapX(0.3) - frame.mapX(0)) / (frame.mapX(1) - frame.mapX(0))
        #expect(abs(fraction - 0.3) < 1e-9)
        // The bins are drawn in the series colour at 80% opacity over white (away from grid lines).
        let between = (frame.yTicks[0].value + frame.yTicks[1].value) / 2
        let binPixel = image.rgb(at: Point(x: frame.mapX(0.525), y: frame.mapY(between)), scale: scale)
        let blended = rgb(Palette.blue).map { UInt8((Double($0) * 0.8 + 255 * 0.2).rounded()) }
        #expect(zip(binPixel, blended).allSatisfy { abs(Int($0) - Int($1)) <= 1 }, "\(binPixel) vs \(blended)")
    }

    @Test func lineMarkersAreDrawnAtTheirPoints() throws {
        let chart = LineChart(title: "Accuracy", series: [LineSeries(name: "a", x: [0, 0.5, 0.9], y: [90, 80, 40]),
                                                          LineSeries(name: "b", x: [0, 0.5, 0.9], y: [88, 60, 20])])
        let image = try DecodedImage(chart.renderPNG(width: width, height: height, scale: scale))
        let (scene, _) = try scene(chart, width: width, height: height, scale: scale)
        let frame = scene.frame
        #expect(image.rgb(at: Point(x: frame.mapX(0.5), y: frame.mapY(80)), scale: scale) == rgb(Palette.blue))
        #expect(image.rgb(at: Point(x: frame.mapX(0.5), y: frame.mapY(60)), scale: scale) == rgb(Palette.orange))
        // Halfway along the first segment of series a, the line is there too.
        #expect(image.rgb(at: Point(x: frame.mapX(0.25), y: frame.mapY(85)), scale: scale) == rgb(Palette.blue))
    }

    @Test func legendCoversNoData() throws {
        let charts: [any SceneComposing] = [
            BarChart(categories: ["a", "b", "c", "d"], series: [BarSeries(name: "x", values: [10, 9, 8, 1]),
                                                                BarSeries(name: "y", values: [5, 4, 9, 2])]),
            LineChart(series: [LineSeries(name: "up", y: [1, 2, 3, 4, 5]), LineSeries(name: "down", y: [5, 4, 3, 2, 1])]),
            HistogramChart(series: [HistogramSeries(name: "left", values: (0..<500).map { Double($0 % 50) / 100 }),
                                    HistogramSeries(name: "right", values: (0..<500).map { 0.5 + Double($0 % 50) / 100 })]),
        ]
        for chart in charts {
            let (scene, canvas) = try scene(chart, width: width, height: height, scale: 1)
            let legend = try #require(scene.legendBox)
            let footprints = scene.marks.flatMap { $0.footprint(on: canvas) }
            #expect(!footprints.contains { $0.intersects(legend) })
        }
    }

    @Test func sameChartGivesByteIdenticalFiles() throws {
        let chart = HistogramChart(title: "Determinism", series: [HistogramSeries(name: "a", values: (0..<1000).map { sin(Double($0)) }),
                                                                   HistogramSeries(name: "b", values: (0..<1000).map { cos(Double($0)) })],
                                   logarithmicY: true, markers: [MarkerLine(at: 0.1, label: "t")])
        let folder = try temporaryFolder(prefix: "reports-tests")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a.png"), second = folder.appendingPathComponent("b.png")
        try chart.write(to: first, width: 500, height: 300, scale: 2)
        try chart.write(to: second, width: 500, height: 300, scale: 2)
        let bytes = try Data(contentsOf: first)
        #expect(bytes == (try Data(contentsOf: second)))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try chart.renderPNG(width: 500, height: 300, scale: 1) == chart.renderPNG(width: 500, height: 300, scale: 1))
    }

    @Test func lineErrorBarsSpanYPlusMinusErrorInTheSeriesColour() throws {
        let chart = LineChart(series: [LineSeries(name: "accuracy", x: [0.1, 0.5, 0.9], y: [80, 70, 40], errors: [1, 10, 2])],
                              showMarkers: false)
        let image = try DecodedImage(chart.renderPNG(width: width, height: height, scale: scale))
        let (scene, _) = try scene(chart, width: width, height: height, scale: scale)
        let frame = scene.frame
        #expect(frame.mapY(38) <= frame.plot.maxY && frame.mapY(80) >= frame.plot.minY, "the axis fits every whisker")
        // The whisker at x = 0.5 reaches 70 + 10 and 70 − 10; well past it there is nothing.
        for y in [78.0, 62.0] {
            #expect(image.rgb(at: Point(x: frame.mapX(0.5), y: frame.mapY(y)), scale: scale) == rgb(Palette.blue))
        }
        #expect(image.rgb(at: Point(x: frame.mapX(0.5), y: frame.mapY(83)), scale: scale) != rgb(Palette.blue))
        #expect(throws: ReportError.mismatchedLengths(what: "error bars of \"accuracy\"", expected: 3, actual: 1)) {
            try LineChart(series: [LineSeries(name: "accuracy", x: [1, 2, 3], y: [1, 2, 3], errors: [1])])
                .renderPNG(width: 400, height: 300, scale: 1)
        }
    }

    @Test func scaleMultipliesThePixelSize() throws {
        let chart = BarChart(categories: ["a"], series: [BarSeries(name: "", values: [1])])
        for scale in 1...3 {
            let image = try DecodedImage(chart.renderPNG(width: 300, height: 200, scale: scale))
            #expect(image.width == 300 * scale && image.height == 200 * scale)
        }
    }

    @Test func impossibleChartsThrowReadableErrors() {
        #expect(throws: ReportError.noData(chart: "histogram")) { try HistogramChart().renderPNG(width: 400, height: 300, scale: 1) }
        #expect(throws: ReportError.mismatchedLengths(what: "bar series \"kept\"", expected: 2, actual: 1)) {
            try BarChart(categories: ["a", "b"], series: [BarSeries(name: "kept", values: [1])]).renderPNG(width: 400, height: 300, scale: 1)
        }
        #expect(throws: ReportError.invalidSize(width: 10, height: 300, scale: 1)) {
            try LineChart(series: [LineSeries(name: "", y: [1, 2])]).renderPNG(width: 10, height: 300, scale: 1)
        }
        #expect(throws: ReportError.self) {
            try HistogramChart(series: [HistogramSeries(name: "", values: [1, 2])], bins: 0).renderPNG(width: 400, height: 300, scale: 1)
        }
        let message = ReportError.mismatchedLengths(what: "bar series \"kept\"", expected: 2, actual: 1).description
        #expect(message.contains("2") && message.contains("kept") && message.hasSuffix("."))
    }

    @Test func crowdedCategoryLabelsTurnAndStayInsideTheImage() throws {
        let names = (1...16).map { "layer\($0).block.conv" }
        let chart = BarChart(title: "Long names", categories: names, series: [BarSeries(name: "", values: (1...16).map(Double.init))])
        let (scene, canvas) = try scene(chart, width: width, height: height, scale: 1)
        #expect(scene.frame.xLabelAngle != 0)
        // Every turned label ends up within the image.
        let lineHeight = canvas.lineHeight(ChartStyle.standard.tickLabel)
        for tick in scene.frame.xTicks {
            let extent = canvas.textWidth(tick.label, ChartStyle.standard.tickLabel) * cos(scene.frame.xLabelAngle * .pi / 180)
            #expect(scene.frame.mapX(tick.value) - extent - lineHeight >= 0)
        }
        #expect(scene.frame.plot.maxY + 50 < Double(height))
    }
}
