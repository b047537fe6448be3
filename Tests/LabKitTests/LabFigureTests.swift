import Foundation
import LabKit
import Testing
import TestSupport

/// The figures the labs build from their data: training curves per network, accuracy by
/// stage grouped by network, |γ| per layer.
struct LabFigureTests {
    func history(_ stage: String, network: String, epochs: Int) throws -> StageHistory {
        // Records as the stage cache stores them (their memberwise initialiser is the engine's own).
        let records = (1...epochs).map { epoch in
            """
            {"epoch": \(epoch), "learningRate": 0.1, "trainLoss": \(2.0 / Double(epoch)), "trainAccuracy": 0.5,
             "testLoss": 1, "testAccuracy": \(0.5 + Double(epoch) / 100), "seconds": 1, "imagesPerSecond": 1}
            """
        }
        let json = Data("[\(records.joined(separator: ","))]".utf8)
        return StageHistory(stage: stage, network: network, records: try JSONDecoder().decode([EpochRecord].self, from: json))
    }

    @Test func trainingCurvesHaveARowPerNetworkWithLossBesideAccuracy() throws {
        let histories = try [history("PreResNet baseline", network: "PreResNet-20", epochs: 4),
                         history("sparsity training", network: "PreResNet-20", epochs: 4),
                         history("ResNet baseline", network: "ResNet-20", epochs: 4),
                         history("fine-tune", network: "PreResNet-20", epochs: 2),
                         history("scratch-E", network: "PreResNet-20", epochs: 4),
                         history("scratch-B", network: "PreResNet-20", epochs: 6)]
        let figure = LabCharts.trainingCurves(histories)
        #expect(figure.columns == 2 && figure.rows == 2)
        let panels = figure.panels.compactMap { $0 as? LineChart }
        #expect(panels.map(\.title) == ["PreResNet-20: test accuracy", "PreResNet-20: training loss",
                                        "ResNet-20: test accuracy", "ResNet-20: training loss"])
        let preresnet = panels[0].series
        #expect(preresnet.map(\.name) == ["PreResNet baseline", "sparsity training", "fine-tune", "scratch-E", "scratch-B"])
        #expect(preresnet.map(\.dashed) == [false, false, false, true, true], "runs from scratch are dashed")
        #expect(Set(preresnet.compactMap(\.marker)).count == preresnet.count, "every stage of a panel has its own marker")
        #expect(Set(preresnet.compactMap(\.color)).count == preresnet.count)
        #expect(panels[1].series.map(\.y.first) == preresnet.map { _ in 2 }, "the loss panel plots the training loss")
        #expect(panels[1].series.map(\.marker) == preresnet.map(\.marker), "a stage looks the same in both panels")
        let png = try figure.renderPNG(width: 1120, height: 716, scale: 1)
        #expect(try DecodedImage(png).width == 1120)
    }

    @Test func accuracyBarsAreGroupedAndColouredByNetwork() throws {
        let chart = LabCharts.accuracyBars([(stage: "baseline", network: "PreResNet-20", accuracy: 0.83),
                                            (stage: "pruned", network: "PreResNet-20", accuracy: 0.58),
                                            (stage: "baseline", network: "ResNet-20", accuracy: 0.88),
                                            (stage: "fine-tuned", network: "PreResNet-20", accuracy: 0.82)],
                                           errors: [0.01, 0.02, 0.03, 0.04])
        #expect(chart.seriesShareSlots)
        #expect(chart.categories == ["baseline", "pruned", "fine-tuned", "", "baseline"])
        #expect(chart.series.map(\.name) == ["PreResNet-20", "ResNet-20"])
        let values = chart.series.map { $0.values.map { $0.isNaN ? -1 : ($0 * 100).rounded() / 100 } }
        #expect(values == [[83, 58, 82, -1, -1], [-1, -1, -1, -1, 88]])
        #expect(chart.series[1].errors?.last.map { ($0 * 100).rounded() } == 300, "each bar keeps its stage's error")
        _ = try chart.renderPNG(width: 800, height: 500, scale: 1)
    }

    /// DenseNet's kept-channels figure (lab-densenet-slimming): a bar pair per selection in the
    /// network's order, the channels its layer receives and the ones the plan keeps, which are the
    /// widths the surgery leaves (the pruned network's cfg).
    @Test func keptChannelsFigureOfADenseNetCountsThePlansChannels() throws {
        let network = Network.denseNet(depth: 10, growthRate: 4, inputShape: [1, 32, 32], seed: 3)
        var generator = SeededGenerator(seed: 11)
        for norm in network.batchNorms {
            for i in 0..<norm.weight.value.count { norm.weight.value.data[i] = Float.random(in: 0.01..<1, using: &generator) }
        }
        let plan = try PruningPlan.globalPercentile(0.4, for: network, criterion: .batchNormScale)
        let chart = LabCharts.channelsPerGroup(original: network, plans: [(label: "slimming", plan: plan)], title: "Channels",
                                               yLabel: "Channels read", originalLabel: "original",
                                               groupLabel: { $0.name.replacingOccurrences(of: ".select", with: "") })
        #expect(chart.categories == ["dense1.0", "dense1.1", "trans1", "dense2.0", "dense2.1", "trans2", "dense3.0", "dense3.1",
                                     "select"])
        #expect(chart.series.map(\.name) == ["original", "slimming"])
        // Unpruned, every layer reads all it receives: 2k, 3k, then the block's 4k for the transition.
        #expect(chart.series[0].values == [8, 12, 16, 16, 20, 24, 24, 28, 32])
        #expect(chart.series[0].values == Network.denseNetDefaultCfg(depth: 10, growthRate: 4).map(Double.init))
        let kept = network.channelGroups.map { Double(plan.keptPositions[$0.name]!.count) }
        #expect(chart.series[1].values == kept)
        #expect(kept.reduce(0, +) == Double(plan.keptChannelCount) && kept.reduce(0, +) < 180)
        let pruned = network.clone()
        try applySurgery(plan, to: pruned)
        #expect(chart.series[1].values == pruned.cfg.map(Double.init), "the bars are the widths the surgery leaves")
        let png = try chart.renderPNG(width: 800, height: 500, scale: 1)
        #expect(try DecodedImage(png).width == 800)
    }

    @Test func gammaPerLayerHasAPanelPerLayerOnOneAxis() throws {
        let figure = LabCharts.gammaPerLayer([(label: "conv1", gammas: [0.01, 0.5, 0.9], kept: 2),
                                              (label: "conv2", gammas: [0.02, 0.03, 1.2, 0.4], kept: 2)], threshold: 0.1)
        let panels = figure.panels.compactMap { $0 as? HistogramChart }
        #expect(panels.map(\.title) == ["conv1: 2 of 3 kept", "conv2: 2 of 4 kept"])
        #expect(panels.allSatisfy { $0.range == panels[0].range && $0.markers.first?.value == Double(Float(0.1)) })
        #expect(panels[0].range!.upperBound >= 1.2)
        _ = try figure.renderPNG(width: 600, height: 250, scale: 1)
    }
}
