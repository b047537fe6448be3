import Networks
import Pruning
import Reports

/// Colours and sizes the method diagrams share.
private enum DiagramStyle {
    static let kept = Palette.blue
    static let removedFill = Color(hex: 0xFBE3D6)
    static let removed = Palette.vermillion
    static let ink = Color(hex: 0x222222)
    static let faint = Color(hex: 0x888888)
    static let margin = 20.0
    static let titleSize = 15.0
    static let textSize = 11.5

    /// The diagram's title, centred at the top.
    static func title(_ text: String, width: Double) -> Diagram.Element {
        .text(text, x: width / 2, y: margin + 4, size: titleSize, bold: true, color: ink, alignment: .center)
    }

    /// A legend entry: a small box and its label, starting at `x`; returns where the next may start.
    static func legendEntry(_ label: String, fill: Color, stroke: Color?, x: Double, y: Double,
                            into elements: inout [Diagram.Element]) -> Double {
        elements.append(.box(x: x, y: y - 6, width: 12, height: 12, fill: fill, stroke: stroke))
        elements.append(.text(label, x: x + 18, y: y, size: textSize, color: ink))
        return x + 18 + Diagram.textWidth(label, size: textSize) + 24
    }
}

/// Filter pruning drawn from a plan: every layer's filters, kept and removed, and under each
/// the slices of the layer that reads them, the same positions: the next conv's input channels,
/// or behind the flatten the Linear layer's blocks of H·W input columns, one block per channel.
public struct FilterPruningDiagram {
    public struct Row: Equatable {
        public let label: String
        /// Kept or removed, per channel of the group, in channel order.
        public let kept: [Bool]
        /// Entries per channel in this row's tensor: 1 for filters and input channels, H·W for the
        /// input columns behind a flatten.
        public let blockSize: Int
        /// Whether the row is a layer's own filters (else another layer's slices of them).
        public let isProducer: Bool
        public var keptCount: Int { kept.filter { $0 }.count }
        /// Entries of the row's tensor axis before and after pruning (3136 → 1568 behind a flatten).
        public var entries: (before: Int, after: Int) { (kept.count * blockSize, keptCount * blockSize) }
    }

    public let title: String
    public let rows: [Row]
    let text: DiagramText

    public init(network: Network, plan: PruningPlan, language: Language = .en) {
        let text = DiagramText(language: language)
        self.text = text
        var rows: [Row] = []
        for group in network.channelGroups {
            let keptPositions = Set(plan.keptPositions[group.name] ?? Array(0..<group.channelCount))
            let kept = (0..<group.channelCount).map { keptPositions.contains($0) }
            let layer = group.producer.map { FilterPruningDiagram.layerName($0) } ?? group.name
            rows.append(Row(label: text.filters(layer, before: kept.count, after: kept.filter { $0 }.count), kept: kept,
                            blockSize: 1, isProducer: true))
            // The readers' slices: axis 1 of a conv weight (input channels) or of a Linear weight (columns).
            for slice in group.slices where slice.axis == 1 {
                let reader = FilterPruningDiagram.layerName(slice.parameter)
                let row = Row(label: "", kept: kept, blockSize: slice.blockSize, isProducer: false)
                let label = slice.blockSize == 1
                    ? text.inputChannels(reader, before: row.entries.before, after: row.entries.after)
                    : text.inputColumns(reader, blocks: kept.count, blockSize: slice.blockSize, before: row.entries.before,
                                        keptBlocks: row.keptCount, after: row.entries.after)
                rows.append(Row(label: label, kept: kept, blockSize: slice.blockSize, isProducer: false))
            }
        }
        self.rows = rows
        let before = rows.filter(\.isProducer).map(\.kept.count), after = rows.filter(\.isProducer).map(\.keptCount)
        title = text.filterTitle(LabCharts.networkName(network, language), before: before, after: after)
    }

    /// `conv2.weight` → `conv2`.
    static func layerName(_ parameter: Parameter) -> String {
        parameter.name.hasSuffix(".weight") ? String(parameter.name.dropLast(".weight".count)) : parameter.name
    }

    public var diagram: Diagram {
        let width = 1000.0, margin = DiagramStyle.margin
        let widest = Double(rows.map(\.kept.count).max() ?? 1)
        let cell = min(18, (width - 2 * margin) / widest)
        var elements: [Diagram.Element] = [DiagramStyle.title(title, width: width)]
        var y = margin + 34
        var producerBottom: Double?
        for row in rows {
            // A layer's filters have their label above; the slices that read them hang below, joined
            // by the removed channels' dashed lines, with their label underneath.
            let top = row.isProducer ? y + 18 : y + 22
            let height = row.isProducer ? 16.0 : 12.0
            elements.append(.text(row.label, x: margin, y: row.isProducer ? y + 8 : top + height + 10,
                                  size: DiagramStyle.textSize, bold: row.isProducer, color: DiagramStyle.ink))
            for (index, kept) in row.kept.enumerated() {
                let x = margin + Double(index) * cell
                if !row.isProducer, let producerBottom, !kept {
                    // The removed filter takes this slice with it.
                    elements.append(.line([(x + cell / 2, producerBottom), (x + cell / 2, top)], width: 1,
                                          color: DiagramStyle.removed, dashed: true))
                }
                elements.append(.box(x: x + 1, y: top, width: cell - 2, height: height,
                                     fill: kept ? DiagramStyle.kept : DiagramStyle.removedFill,
                                     stroke: kept ? nil : DiagramStyle.removed, lineWidth: 0.8))
                if row.blockSize > 1, cell >= 8 {
                    // A block of H·W columns: a tick per column would be too fine, so a comb of a few.
                    for tooth in 1..<4 {
                        let tx = x + 1 + (cell - 2) * Double(tooth) / 4
                        elements.append(.line([(tx, top + 2), (tx, top + 10)], width: 0.6,
                                              color: kept ? .white : DiagramStyle.removed))
                    }
                }
            }
            producerBottom = row.isProducer ? top + height : nil
            y = row.isProducer ? top + height : top + height + 32
        }
        var x = margin
        x = DiagramStyle.legendEntry(text.kept, fill: DiagramStyle.kept, stroke: nil, x: x, y: y + 4, into: &elements)
        x = DiagramStyle.legendEntry(text.removedWithSlices, fill: DiagramStyle.removedFill,
                                     stroke: DiagramStyle.removed, x: x, y: y + 4, into: &elements)
        return Diagram(width: width, height: y + 4 + margin, elements: elements)
    }
}

/// Network slimming drawn from a plan: per layer, its channels as cells shaded by |γ| (sorted
/// from the largest), the kept ones in blue, the removed in grey, the global threshold's cut
/// dashed, and a colour scale with the threshold.
public struct SlimmingDiagram {
    public struct Row: Equatable {
        public let label: String
        /// |γ| of the layer's channels, largest first.
        public let gammas: [Float]
        public let keptCount: Int
    }

    public let rows: [Row]
    public let threshold: Float
    let text: DiagramText

    public init(network: Network, plan: PruningPlan, groupLabel: (ChannelGroup) -> String = \.name, language: Language = .en) {
        text = DiagramText(language: language)
        rows = network.channelGroups.compactMap { group in
            guard let gammas = BatchNormScale().scores(of: group) else { return nil }
            return Row(label: groupLabel(group), gammas: gammas.map(abs).sorted(by: >),
                       keptCount: plan.keptPositions[group.name]?.count ?? group.channelCount)
        }
        threshold = plan.threshold ?? 0
    }

    /// White to dark blue for kept channels, light to mid grey for removed, by |γ| / the largest.
    static func shade(_ fraction: Double, kept: Bool) -> Color {
        let t = min(1, max(0, fraction)).squareRoot()
        let (low, high): (Color, Color) = kept ? (Color(hex: 0xDCEAF6), Color(hex: 0x08306B))
                                               : (Color(hex: 0xF2F2F2), Color(hex: 0x8A8A8A))
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Color(red: mix(low.red, high.red), green: mix(low.green, high.green), blue: mix(low.blue, high.blue))
    }

    public var diagram: Diagram {
        let width = 1000.0, margin = DiagramStyle.margin, size = DiagramStyle.textSize
        let largest = Double(rows.flatMap(\.gammas).max() ?? 1)
        let scale = largest > 0 ? largest : 1
        let labelWidth = (rows.map { Diagram.textWidth($0.label, size: size) }.max() ?? 0) + 12
        let countWidth = rows.map { Diagram.textWidth(text.keptOf($0.keptCount, $0.gammas.count), size: size) }.max() ?? 0
        let cellsLeft = margin + labelWidth, cellsWidth = width - margin - cellsLeft - countWidth - 12
        let cell = min(14, cellsWidth / Double(rows.map(\.gammas.count).max() ?? 1))
        let kept = rows.reduce(0) { $0 + $1.keptCount }, total = rows.reduce(0) { $0 + $1.gammas.count }
        var elements: [Diagram.Element] = [DiagramStyle.title(
            text.slimmingTitle(kept: kept, total: total, threshold: String(format: "%.3g", threshold)),
            width: width)]
        var y = margin + 36
        let rowHeight = 14.0
        for row in rows {
            elements.append(.text(row.label, x: cellsLeft - 12, y: y + rowHeight / 2, size: size, color: DiagramStyle.ink,
                                  alignment: .right))
            for (index, gamma) in row.gammas.enumerated() {
                elements.append(.box(x: cellsLeft + Double(index) * cell, y: y, width: max(cell - (cell >= 4 ? 1 : 0), 0.5),
                                     height: rowHeight, fill: SlimmingDiagram.shade(Double(gamma) / scale, kept: index < row.keptCount),
                                     stroke: nil))
            }
            let cut = cellsLeft + Double(row.keptCount) * cell
            elements.append(.line([(cut, y - 2), (cut, y + rowHeight + 2)], width: 1.5, color: DiagramStyle.removed, dashed: true))
            elements.append(.text(text.keptOf(row.keptCount, row.gammas.count),
                                  x: cellsLeft + Double(row.gammas.count) * cell + 10, y: y + rowHeight / 2, size: size,
                                  color: DiagramStyle.ink))
            y += rowHeight + 6
        }
        // The colour scale: |γ| from 0 to the largest, grey below the threshold and blue above it.
        y += 14
        let barLeft = cellsLeft, barWidth = min(420, cellsWidth), steps = 60
        for step in 0..<steps {
            let value = scale * (Double(step) + 0.5) / Double(steps)
            elements.append(.box(x: barLeft + barWidth * Double(step) / Double(steps), y: y, width: barWidth / Double(steps) + 0.3,
                                 height: 12, fill: SlimmingDiagram.shade(value / scale, kept: value > Double(threshold)),
                                 stroke: nil))
        }
        let thresholdX = barLeft + barWidth * min(1, Double(threshold) / scale)
        elements.append(.line([(thresholdX, y - 4), (thresholdX, y + 16)], width: 1.5, color: DiagramStyle.removed, dashed: true))
        elements.append(.text("|γ|", x: barLeft - 12, y: y + 6, size: size, color: DiagramStyle.ink, alignment: .right))
        elements.append(.text("0", x: barLeft, y: y + 24, size: size - 1, color: DiagramStyle.faint, alignment: .center))
        elements.append(.text(String(format: "%.3g", largest), x: barLeft + barWidth, y: y + 24, size: size - 1,
                              color: DiagramStyle.faint, alignment: .center))
        elements.append(.text(text.threshold(String(format: "%.3g", threshold)), x: thresholdX + 4, y: y - 10, size: size - 1,
                              color: DiagramStyle.removed))
        elements.append(.text(text.slimmingKey,
                              x: barLeft + barWidth + 20, y: y + 6, size: size - 1, color: DiagramStyle.faint))
        return Diagram(width: width, height: y + 32 + margin, elements: elements)
    }
}

/// A pre-activation Bottleneck block before and after pruning, with its real channel counts:
/// BatchNorm over the whole input, the channel selection that passes on the kept channels,
/// conv1 (1×1), conv2 (3×3), conv3 (1×1) back to the residual stream, and the shortcut.
public struct BottleneckDiagram {
    public struct Counts: Equatable {
        public let input: Int, selected: Int, conv1: Int, conv2: Int, output: Int
        public let downsample: Bool

        init(_ block: Bottleneck) {
            input = block.select.inputChannels
            selected = block.select.indices.count
            conv1 = block.conv1.outChannels
            conv2 = block.conv2.outChannels
            output = block.conv3.outChannels
            downsample = block.downsample != nil
        }

        var removable: Int { selected + conv1 + conv2 }
    }

    public let block: String
    public let before: Counts
    public let after: Counts
    let text: DiagramText

    /// The block named `block` (e.g. `layer2.0`) of both networks; by default the block that
    /// lost the most channels. Nil when the networks have no such Bottleneck.
    public init?(original: Network, pruned: Network, block: String? = nil, language: Language = .en) {
        text = DiagramText(language: language)
        func blocks(_ network: Network) -> [Bottleneck] { network.body.allLayers.compactMap { $0 as? Bottleneck } }
        let pairs = zip(blocks(original), blocks(pruned)).filter { $0.0.name == $0.1.name }
        let chosen = block.map { name in pairs.first { $0.0.name == name } }
            ?? pairs.max { Counts($0.0).removable - Counts($0.1).removable < Counts($1.0).removable - Counts($1.1).removable }
        guard let (first, second) = chosen else { return nil }
        self.block = first.name
        before = Counts(first)
        after = Counts(second)
    }

    /// The block's layers top to bottom: text, and whether pruning changed it.
    static func steps(_ counts: Counts, against original: Counts, _ text: DiagramText) -> [(text: String, changed: Bool)] {
        [(text.input(counts.input), false),
         (text.batchNorm1(counts.input), false),
         (text.selection(counts.selected, of: counts.input), counts.selected != original.selected),
         (text.conv("conv1 1×1", counts.selected, counts.conv1), counts.selected != original.selected || counts.conv1 != original.conv1),
         (text.batchNorm("bn2", counts.conv1), counts.conv1 != original.conv1),
         (text.conv("conv2 3×3", counts.conv1, counts.conv2), counts.conv1 != original.conv1 || counts.conv2 != original.conv2),
         (text.batchNorm("bn3", counts.conv2), counts.conv2 != original.conv2),
         (text.conv("conv3 1×1", counts.conv2, counts.output), counts.conv2 != original.conv2),
         (text.output(counts.output), false)]
    }

    public var diagram: Diagram {
        let margin = DiagramStyle.margin, boxWidth = 250.0, boxHeight = 28.0, gap = 14.0, lane = 90.0
        let columnWidth = boxWidth + lane + 30
        let width = 2 * columnWidth + 2 * margin
        var elements: [Diagram.Element] = [DiagramStyle.title(text.bottleneckTitle(block), width: width)]
        var bottom = 0.0
        for (column, (heading, counts)) in [(text.before, before), (text.after, after)].enumerated() {
            let left = margin + Double(column) * columnWidth
            elements.append(.text(heading, x: left + boxWidth / 2, y: margin + 34, size: 13, bold: true,
                                  color: DiagramStyle.ink, alignment: .center))
            let steps = BottleneckDiagram.steps(counts, against: before, text)
            var y = margin + 50
            var centres: [Double] = []
            for (index, step) in steps.enumerated() {
                let isAdd = index == steps.count - 1
                if isAdd {
                    // The addition of the shortcut, just above the output.
                    let addY = y + 2
                    elements.append(.box(x: left + boxWidth / 2 - 9, y: addY, width: 18, height: 18, fill: .white,
                                         stroke: DiagramStyle.ink, lineWidth: 1.2, cornerRadius: 9))
                    elements.append(.text("+", x: left + boxWidth / 2, y: addY + 9, size: 14, bold: true,
                                          color: DiagramStyle.ink, alignment: .center))
                    elements.append(.line([(left + boxWidth / 2, y - gap), (left + boxWidth / 2, addY)], arrow: true))
                    // The shortcut runs down a lane right of the boxes, its label in lines beside it.
                    let shortcut = text.shortcut(downsample: counts.downsample, input: counts.input, output: counts.output)
                    let laneX = left + boxWidth + 22
                    elements.append(.line([(left + boxWidth, centres[0]), (laneX, centres[0]), (laneX, addY + 9),
                                           (left + boxWidth / 2 + 9, addY + 9)], color: DiagramStyle.faint, arrow: true))
                    for (line, text) in shortcut.enumerated() {
                        elements.append(.text(text, x: laneX + 6, y: (centres[0] + addY) / 2 + Double(line) * 14 - 14, size: 10.5,
                                              color: DiagramStyle.faint))
                    }
                    y = addY + 18 + gap
                    elements.append(.line([(left + boxWidth / 2, addY + 18), (left + boxWidth / 2, y)], arrow: true))
                } else if index > 0 {
                    elements.append(.line([(left + boxWidth / 2, y - gap), (left + boxWidth / 2, y)], arrow: true))
                }
                let changed = column == 1 && step.changed
                elements.append(.box(x: left, y: y, width: boxWidth, height: boxHeight,
                                     fill: changed ? DiagramStyle.removedFill : Color(hex: 0xEEF4FA),
                                     stroke: changed ? DiagramStyle.removed : Color(hex: 0x7A9CBF), lineWidth: changed ? 1.5 : 1,
                                     cornerRadius: 4))
                elements.append(.text(step.text, x: left + boxWidth / 2, y: y + boxHeight / 2, size: DiagramStyle.textSize,
                                      bold: changed, color: DiagramStyle.ink, alignment: .center))
                centres.append(y + boxHeight / 2)
                y += boxHeight + gap
            }
            bottom = max(bottom, y)
        }
        var x = margin
        x = DiagramStyle.legendEntry(text.changed, fill: DiagramStyle.removedFill, stroke: DiagramStyle.removed,
                                     x: x, y: bottom + 6, into: &elements)
        return Diagram(width: width, height: bottom + 12 + margin, elements: elements)
    }
}
