import Foundation
import LabKit
import Testing
import TestSupport

/// The method diagrams are drawn from the real model and plan: their counts are the plan's,
/// and they render to PNGs with ink on them.
struct MethodDiagramTests {
    /// Dark pixels of a rendered diagram (text, kept cells, lines).
    func ink(_ diagram: Diagram) throws -> Int {
        let image = try DecodedImage(diagram.renderPNG(width: Int(diagram.width), height: Int(diagram.height), scale: 1))
        var count = 0
        for y in 0..<image.height {
            for x in 0..<image.width where image.rgb(x, y).map(Int.init).reduce(0, +) < 3 * 160 { count += 1 }
        }
        return count
    }

    @Test func filterDiagramShowsThePlanThroughTheFlatten() throws {
        let network = Network.smallCNN(cfg: [32, 64, 64], seed: 3)
        let plan = try PruningPlan.fixedCfg([8, 16, 32], for: network, criterion: .filterL1Norm)
        let drawing = FilterPruningDiagram(network: network, plan: plan)
        let filters = drawing.rows.filter(\.isProducer)
        #expect(filters.map(\.kept.count) == [32, 64, 64])
        #expect(filters.map(\.keptCount) == [8, 16, 32])
        for (row, group) in zip(filters, network.channelGroups) {
            let kept = row.kept.indices.filter { row.kept[$0] }
            #expect(kept == plan.keptPositions[group.name]!.sorted(), "\(group.name): the kept cells are the plan's positions")
        }
        let readers = drawing.rows.filter { !$0.isProducer }
        #expect(readers.map { String($0.label.prefix(4)) } == ["conv", "conv", "fc i"])
        let columns = try #require(readers.last)
        #expect(columns.blockSize == 49 && columns.entries.before == 3136 && columns.entries.after == 1568)
        #expect(columns.label.contains("3136") && columns.label.contains("1568"))
        #expect(drawing.title.contains("[32, 64, 64] → [8, 16, 32]"))
        #expect(try ink(drawing.diagram) > 2000)
    }

    @Test func slimmingDiagramShadesEveryLayerAndCutsAtThePlan() throws {
        let network = Network.vgg(depth: 11, widthMultiplier: 0.125, inputShape: [1, 32, 32], seed: 5)
        let plan = try PruningPlan.globalPercentile(0.5, for: network, criterion: .batchNormScale)
        let drawing = SlimmingDiagram(network: network, plan: plan)
        #expect(drawing.rows.count == network.channelGroups.count)
        for (row, group) in zip(drawing.rows, network.channelGroups) {
            #expect(row.gammas.count == group.channelCount)
            #expect(row.keptCount == plan.keptPositions[group.name]!.count)
            #expect(row.gammas == row.gammas.sorted(by: >), "largest |γ| first")
        }
        #expect(drawing.threshold == plan.threshold)
        #expect(try ink(drawing.diagram) > 2000)
    }

    @Test func bottleneckDiagramHasTheBlocksRealCounts() throws {
        let original = Network.preresnet(depth: 20, widthMultiplier: 0.5, inputShape: [1, 32, 32], seed: 9)
        // Uneven |γ| so that some blocks lose more than others.
        for (index, norm) in original.batchNorms.enumerated() {
            for channel in 0..<norm.weight.value.count {
                norm.weight.value[flat: channel] = Float((channel * 7 + index * 3) % 11) / 10 + 0.01
            }
        }
        let plan = try PruningPlan.globalPercentile(0.4, for: original, criterion: .batchNormScale)
        let pruned = original.clone()
        try applySurgery(plan, to: pruned)
        let drawing = try #require(BottleneckDiagram(original: original, pruned: pruned))
        let block = drawing.block
        let kept = plan.keptCounts, counts = plan.originalCounts
        #expect(drawing.after.selected == kept["\(block).select"] && drawing.before.selected == counts["\(block).select"])
        #expect(drawing.after.conv1 == kept["\(block).conv1"] && drawing.before.conv1 == counts["\(block).conv1"])
        #expect(drawing.after.conv2 == kept["\(block).conv2"] && drawing.before.conv2 == counts["\(block).conv2"])
        #expect(drawing.after.output == drawing.before.output && drawing.after.input == drawing.before.input,
                "the residual stream keeps its width")
        // The chosen block lost at least as many channels as any other.
        let removed = { (name: String) in
            ["select", "conv1", "conv2"].reduce(0) { $0 + counts["\(name).\($1)"]! - kept["\(name).\($1)"]! }
        }
        let blocks = Set(plan.keptPositions.keys.filter { $0.hasPrefix("layer") }.map {
            $0.split(separator: ".").prefix(2).joined(separator: ".")
        })
        #expect(blocks.allSatisfy { removed($0) <= removed(block) })
        let named = try #require(BottleneckDiagram(original: original, pruned: pruned, block: "layer1.0"))
        #expect(named.block == "layer1.0" && named.after.conv1 == kept["layer1.0.conv1"])
        #expect(try ink(drawing.diagram) > 2000)
    }
}
