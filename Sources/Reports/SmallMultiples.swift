import Foundation

/// Small multiples: several charts in a grid under one title, each in its own panel with its
/// own axes (e.g. one row of training curves per network, or one |γ| histogram per layer).
/// Panels are line charts, histograms or bar charts, read left to right, top to bottom.
public struct SmallMultiples: Chart {
    public var title: String
    public var panels: [any Chart]
    /// Panels per row.
    public var columns: Int

    public init(title: String = "", panels: [any Chart], columns: Int) {
        self.title = title
        self.panels = panels
        self.columns = columns
    }

    public var rows: Int { (panels.count + max(columns, 1) - 1) / max(columns, 1) }

    public func renderPNG(width: Int, height: Int, scale: Int = 1) throws -> Data {
        try ChartRenderer.checkSize(width: width, height: height, scale: scale)
        let canvas = Canvas(width: width, height: height, scale: scale)
        _ = try draw(on: canvas, width: Double(width), height: Double(height))
        return try PNGEncoder.encode(canvas)
    }

    public func write(to url: URL, width: Int, height: Int, scale: Int = 2) throws {
        try AtomicWrite.write(renderPNG(width: width, height: height, scale: scale), to: url)
    }

    /// Draws the title and every panel; returns each panel's box and scene, for tests.
    func draw(on canvas: Canvas, width: Double, height: Double) throws -> [(box: Rect, scene: Scene)] {
        guard !panels.isEmpty else { throw ReportError.noData(chart: "small multiples\(title.isEmpty ? "" : " \"\(title)\"")") }
        guard columns >= 1 else { throw ReportError.invalidOption(name: "columns", reason: "\(columns) is not a positive number") }
        let style = ChartStyle.standard
        var top = 0.0
        if !title.isEmpty {
            canvas.drawText(title, at: Point(x: width / 2, y: style.padding), style.title, horizontal: .center, vertical: .top)
            top = style.padding + canvas.lineHeight(style.title)
        }
        let panelWidth = (width / Double(columns)).rounded(.down)
        let panelHeight = ((height - top) / Double(rows)).rounded(.down)
        guard panelWidth >= 64, panelHeight >= 64 else {
            throw ReportError.invalidOption(name: "size", reason: """
                \(Int(width))×\(Int(height)) leaves panels of \(Int(panelWidth))×\(Int(panelHeight)); \
                give the figure more room or fewer panels per row
                """)
        }
        var drawn: [(box: Rect, scene: Scene)] = []
        for (index, panel) in panels.enumerated() {
            guard let composing = panel as? any SceneComposing else {
                throw ReportError.invalidOption(name: "panels", reason: "panel \(index + 1) is not a line, bar or histogram chart")
            }
            let box = Rect(x: Double(index % columns) * panelWidth, y: top + Double(index / columns) * panelHeight,
                           width: panelWidth, height: panelHeight)
            let panelCanvas = Canvas(width: Int(panelWidth), height: Int(panelHeight), scale: Int(canvas.scale),
                                     typesetter: canvas.typesetter)
            let scene = try ChartRenderer.draw(composing, on: panelCanvas, width: Int(panelWidth), height: Int(panelHeight))
            canvas.paste(panelCanvas, x: box.minX, y: box.minY)
            drawn.append((box, scene))
        }
        return drawn
    }
}
