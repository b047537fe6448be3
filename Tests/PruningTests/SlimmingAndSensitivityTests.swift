import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct SlimmingTests {
    @Test func l1RegulariserAddsExactlySTimesSignOfGamma() {
        let network = tinyVGG(seed: 2)
        let gamma = network.batchNorms[0].weight
        for (i, v) in [0.5, -0.25, 0, 1e-8, -3, 2].enumerated() { gamma.value[i] = Float(v) }
        var rng = SeededGenerator(seed: 5)
        for norm in network.batchNorms {
            norm.weight.grad.assign(.uniform(norm.weight.shape, low: -1, high: 1, using: &rng))
        }
        let gradsBefore = network.batchNorms.map { $0.weight.grad.copy() }
        let betaBefore = network.batchNorms.map { $0.bias.grad.copy() }
        let s: Float = 1e-3
        addL1SparsityGradient(to: network, strength: s)
        for (k, norm) in network.batchNorms.enumerated() {
            for i in 0..<norm.channels {
                let g = norm.weight.value[i]
                let sign: Float = g > 0 ? 1 : (g < 0 ? -1 : 0)
                #expect(norm.weight.grad[i] == gradsBefore[k][i] + s * sign)
            }
            #expect(norm.bias.grad.values == betaBefore[k].values)
        }
        #expect(network.batchNorms[0].weight.grad[2] == gradsBefore[0][2])  // sign(0) = 0
    }

    @Test func scaleMagnitudesCoverEveryScoredGroup() {
        let network = tinyVGG(seed: 2)
        #expect(scaleMagnitudes(of: network).count == 6 + 8 + 5)
        #expect(allBatchNormScaleMagnitudes(of: network) == scaleMagnitudes(of: network))
        #expect(scaleMagnitudes(of: network).allSatisfy { $0 >= 0 })
    }
}

@Suite struct SensitivityTests {
    /// A score that depends on every output: the mean of the logits (any function of the
    /// outputs shows whether masking equals surgery).
    static func score(_ network: Network) -> Float {
        let input = sampleInput(for: network, batch: 4, seed: 123)
        return network.forward(input, training: false).sum() / 4
    }

    @Test func eachPointEqualsTheSurgicallyPrunedNetworkAndParametersAreRestored() throws {
        let network = Network.smallCNN(cfg: [6, 10, 5], seed: 9)
        let before = network.parameters.map { $0.value.copy() }
        let table = try sensitivityAnalysis(of: network, evaluate: Self.score)
        #expect(table.baselineAccuracy == Self.score(network))
        #expect(table.groups == ["conv1", "conv2", "conv3"])
        #expect(table.points.count == 27)
        for (parameter, value) in zip(network.parameters, before) { #expect(parameter.value.values == value.values) }

        for point in table.points {
            #expect(point.removedChannels == point.channelCount - max(1, keptCount(of: point.channelCount, removing: point.fraction)))
            let twin = Network.smallCNN(cfg: [6, 10, 5], seed: 9)
            try applySurgery(PruningPlan.ratios([point.group: point.fraction], for: twin), to: twin)
            #expect(abs(Self.score(twin) - point.accuracy) < 1e-4)
        }
        #expect(table.curve(for: "conv2").map(\.fraction) == (1...9).map { Double($0) / 10 })
        #expect(Set(table.curve(for: "conv2").map(\.accuracy)).count > 1)
    }

    @Test func batchNormGroupsAreSilencedThroughGammaAndBeta() throws {
        let network = tinyVGG(seed: 4)
        let table = try sensitivityAnalysis(of: network, groups: ["conv2"], fractions: [0.5], criterion: .batchNormScale,
                                            evaluate: Self.score)
        let twin = tinyVGG(seed: 4)
        try applySurgery(PruningPlan.ratios(["conv2": 0.5], for: twin, criterion: .batchNormScale), to: twin)
        #expect(abs(Self.score(twin) - table.points[0].accuracy) < 1e-4)
        #expect(table.points[0].removedChannels == 4)
        #expect(throws: PruningError.self) {
            try sensitivityAnalysis(of: network, fractions: [1.2], evaluate: Self.score)
        }
    }
}
