import Foundation
import Testing
@testable import Reports
import TestSupport

/// The figures' readability rules: colours that show on white, value labels that never
/// overlap, dashed lines, and panels drawn where the grid puts them.
@Suite struct ReadabilityTests {
    @Test func contrastFollowsWCAG() {
        #expect(abs(Color.black.contrastRatio(with: .white) - 21) < 1e-9)
        #expect(abs(Color.white.contrastRatio(with: .white) - 1) < 1e-9)
        // WCAG's worked value: #777777 on white is 4.48:1.
        #expect(abs(Color(hex: 0x777777).contrastRatio(with: .white) - 4.48) < 0.01)
        // Okabe–Ito's yellow, which the palette dropped, fails.
        #expect(Color(hex: 0xF0E442).contrastRatio(with: .white) < 3)
    }

    @Test func everyPaletteColourHasThreeToOneContrastOnWhite() {
        for (index, color) in Palette.series.enumerated() {
            #expect(color.contrastRatio(with: .white) >= 3, "series colour \(index) (\(color)) is too pale on white")
        }
        #expect(Set(Palette.series).count == Palette.series.count, "every series colour differs")
    }

    /// The value-label boxes of a laid-out bar chart.
    func labelBoxes(_ chart: BarChart, width: Int, height: Int) throws -> [Rect] {
        let (scene, canvas) = try scene(chart, width: width, height: height, scale: 1)
        return scene.marks.filter { if case .label = $0 { true } else { false } }.flatMap { $0.footprint(on: canvas) }
    }

    func expectNoOverlap(_ boxes: [Rect], _ what: String) {
        for (index, box) in boxes.enumerated() {
            for other in boxes[(index + 1)...] {
                #expect(!box.intersects(other), "\(what): value labels at \(box) and \(other) overlap")
            }
        }
    }

    /// Channels per layer as the ResNet lab draws them (`channelsFigure`: 40 points per layer
    /// and 200 more, at least 800): original and kept side by side, neighbours such as 128 and
    /// 127 that used to run into each other, for PreResNet-20 (19 layers) to PreResNet-56 (55).
    @Test(arguments: [2, 3, 6])
    func channelsPerLayerLabelsNeverOverlap(blocksPerStage: Int) throws {
        var original: [Int] = [], kept: [Int] = [], categories: [String] = []
        for stage in 0..<3 {
            let planes = 8 << stage
            for block in 0..<blocksPerStage {
                original += [block == 0 && stage == 0 ? planes : planes * 4, planes, planes]
                kept += [planes * 4 - 1, planes - 3, planes / 2]
                categories += ["\(stage + 1).\(block) sel", "\(stage + 1).\(block) c1", "\(stage + 1).\(block) c2"]
            }
        }
        original.append(128)
        kept.append(127)
        categories.append("final sel")
        let width = max(800, 40 * categories.count + 200)
        let chart = BarChart(title: "Channels per layer", yLabel: "Channels", categories: categories,
                             series: [BarSeries(name: "original", values: original), BarSeries(name: "slimming", values: kept)])
        let boxes = try labelBoxes(chart, width: width, height: 500)
        #expect(boxes.count == 2 * categories.count, "every bar keeps its value label at the lab's width")
        expectNoOverlap(boxes, "channels per layer of \(categories.count) layers at \(width) points")
    }

    /// Three series of a VGG lab and a crowded accuracy chart with error bars and ± labels.
    @Test func crowdedAndErrorBarLabelsNeverOverlap() throws {
        let vgg = BarChart(title: "Channels per layer", categories: (1...16).map { "conv\($0)" },
                           series: [BarSeries(name: "original", values: [Double](repeating: 512, count: 16)),
                                    BarSeries(name: "slimming", values: (0..<16).map { 511 - Double($0) }),
                                    BarSeries(name: "L1 norm", values: (0..<16).map { 510 - Double($0) })])
        expectNoOverlap(try labelBoxes(vgg, width: 800, height: 500), "VGG channels")
        let stages = BarChart(title: "Test accuracy by stage", categories: (1...12).map { "stage \($0)" },
                              series: [BarSeries(name: "", values: (0..<12).map { 88.12 + Double($0 % 2) * 0.01 },
                                                 errors: [Double](repeating: 0.41, count: 12))],
                              valueDecimals: 2)
        expectNoOverlap(try labelBoxes(stages, width: 800, height: 560), "accuracy by stage with error bars")
        // So many bars that no label fits: none is drawn rather than a pile.
        let packed = BarChart(categories: (1...200).map(String.init), series: [BarSeries(name: "", values: (1...200).map { Double($0 * 1000) })])
        expectNoOverlap(try labelBoxes(packed, width: 400, height: 300), "200 bars")
    }

    @Test func sharedSlotsGiveOneFullBarPerCategoryInItsSeriesColour() throws {
        let chart = BarChart(categories: ["baseline", "pruned", "", "baseline"],
                             series: [BarSeries(name: "PreResNet", values: [80, 60, .nan, .nan]),
                                      BarSeries(name: "ResNet", values: [.nan, .nan, .nan, 85])],
                             seriesShareSlots: true)
        let (scene, _) = try scene(chart, width: 640, height: 400, scale: 2)
        let bars = scene.marks.compactMap { mark -> (Rect, Color)? in if case let .fill(rect, color) = mark { (rect, color) } else { nil } }
        #expect(bars.count == 3)
        let slot = scene.frame.plot.width / 4
        for (rect, _) in bars { #expect(abs(rect.width - slot * BarChart.groupFraction) < 1e-6) }
        #expect(bars.map(\.1) == [Palette.blue, Palette.blue, Palette.orange])
        #expect(scene.frame.xTicks.map(\.label) == ["baseline", "pruned", "baseline"], "the blank slot has no tick")
        let clash = BarChart(categories: ["a"], series: [BarSeries(name: "x", values: [1]), BarSeries(name: "y", values: [2])],
                             seriesShareSlots: true)
        #expect(throws: ReportError.self) { try clash.renderPNG(width: 400, height: 300, scale: 1) }
    }

    @Test func dashedSeriesAreDrawnInPiecesWithGaps() throws {
        let chart = LineChart(series: [LineSeries(name: "fine-tune", y: [10, 50, 80, 90]),
                                       LineSeries(name: "scratch-B", y: [5, 40, 70, 85], dashed: true)])
        let (scene, _) = try scene(chart, width: 640, height: 400, scale: 1)
        let lines = scene.marks.compactMap { mark -> (points: [Point], color: Color)? in
            if case let .line(points, _, color) = mark { (points, color) } else { nil }
        }
        #expect(lines.filter { $0.color == Palette.blue }.count == 1, "the solid series is one polyline")
        let dashes = lines.filter { $0.color == Palette.orange }
        #expect(dashes.count > 10, "the dashed series is many short dashes")
        // Consecutive dashes leave a gap between them.
        for (a, b) in zip(dashes, dashes.dropFirst()) {
            let (end, start) = (a.points.last!, b.points.first!)
            #expect(((start.x - end.x) * (start.x - end.x) + (start.y - end.y) * (start.y - end.y)).squareRoot() > 2)
        }
        #expect(Set(chart.series.indices.map(chart.marker)).count == 2)
    }

    @Test func dashesCoverTheLineWithTheirPattern() {
        let pieces = Mark.dashes(of: [Point(x: 0, y: 0), Point(x: 20, y: 0), Point(x: 20, y: 20)], dash: 7, gap: 4)
        // 40 points of line: dashes at 0–7, 11–18, 22–29, 33–40 (the third turns the corner).
        #expect(pieces.count == 4)
        #expect(pieces[0] == [Point(x: 0, y: 0), Point(x: 7, y: 0)])
        #expect(pieces[2] == [Point(x: 20, y: 2), Point(x: 20, y: 9)])
        #expect(pieces[3].last == Point(x: 20, y: 20))
    }

    @Test func smallMultiplesDrawEachPanelInItsGridCell() throws {
        let panels: [any Chart] = (0..<3).map { index in
            BarChart(title: "panel \(index)", categories: ["a"], series: [BarSeries(name: "", values: [1], color: Palette.series[index])],
                     showValues: false)
        }
        let grid = SmallMultiples(title: "Three panels", panels: panels, columns: 2)
        let canvas = Canvas(width: 800, height: 600, scale: 2)
        let drawn = try grid.draw(on: canvas, width: 800, height: 600)
        #expect(grid.rows == 2 && drawn.count == 3)
        #expect(drawn[1].box.minX == 400 && drawn[2].box.minY > drawn[0].box.maxY - 1)
        let image = try DecodedImage(grid.renderPNG(width: 800, height: 600, scale: 2))
        for (index, panel) in drawn.enumerated() {
            // The bar's middle, in figure points: the panel's own layout shifted by its box.
            let plot = panel.scene.frame
            let point = Point(x: panel.box.minX + plot.mapX(0), y: panel.box.minY + plot.mapY(0.5))
            #expect(image.rgb(at: point, scale: 2) == rgb(Palette.series[index]))
        }
        #expect(throws: ReportError.self) { try SmallMultiples(panels: panels, columns: 2).renderPNG(width: 100, height: 100) }
    }

    @Test func diagramDrawsItsElementsScaledToTheImage() throws {
        let diagram = Diagram(width: 200, height: 100, elements: [
            .box(x: 10, y: 10, width: 40, height: 40, fill: Palette.blue, stroke: nil),
            .line([(60, 50), (190, 50)], width: 4, color: Palette.vermillion, arrow: true),
            .text("kept", x: 100, y: 80, size: 12),
        ])
        let image = try DecodedImage(diagram.renderPNG(width: 400, height: 200, scale: 1))
        #expect(image.rgb(60, 60) == rgb(Palette.blue), "the box, drawn at twice its size")
        #expect(image.rgb(250, 100) == rgb(Palette.vermillion))
        #expect(image.rgb(150, 150) == [255, 255, 255])
        #expect(throws: ReportError.self) { try Diagram(width: 100, height: 100).renderPNG(width: 100, height: 100) }
    }
}
