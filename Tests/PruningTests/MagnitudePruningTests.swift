import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct MagnitudePruningTests {
    @Test(arguments: [0.5, 0.9, 0.98])
    func layerwisePruningGivesTheRequestedSparsityInEveryLayer(sparsity: Double) {
        let network = Network.mlp(cfg: [40, 30, 10], seed: 1)
        let report = MagnitudePruning.prune(network, sparsity: sparsity, scope: .layerwise)
        #expect(report.layers.map(\.name) == ["fc1.weight", "fc2.weight", "fc3.weight"])
        for (layer, weight) in zip(report.layers, MagnitudePruning.prunableWeights(of: network)) {
            #expect(layer.pruned == Int((sparsity * Double(layer.count)).rounded()))
            let mask = weight.mask!
            var largestPruned: Float = 0, smallestKept = Float.infinity
            let original = Network.mlp(cfg: [40, 30, 10], seed: 1).parameters.first { $0.name == weight.name }!.value
            for i in 0..<mask.count {
                if mask[flat: i] == 0 {
                    #expect(weight.value[flat: i] == 0)
                    largestPruned = max(largestPruned, abs(original[flat: i]))
                } else {
                    smallestKept = min(smallestKept, abs(original[flat: i]))
                }
            }
            #expect(largestPruned <= smallestKept)
        }
    }

    @Test func globalPruningUsesOneThresholdAcrossLayers() {
        let network = Network.smallCNN(cfg: [8, 16, 16], seed: 2)
        let original = MagnitudePruning.prunableWeights(of: network).map { $0.value.copy() }
        let report = MagnitudePruning.prune(network, sparsity: 0.8, scope: .global)
        #expect(report.prunedCount == Int((0.8 * Double(report.totalCount)).rounded()))
        #expect(abs(report.overallSparsity - 0.8) < 1e-3)
        // Layers differ (global is not layerwise) but one threshold separates pruned from kept.
        #expect(Set(report.layers.map { ($0.sparsity * 100).rounded() }).count > 1)
        var largestPruned: Float = 0, smallestKept = Float.infinity
        for (weight, value) in zip(MagnitudePruning.prunableWeights(of: network), original) {
            for i in 0..<value.count {
                if weight.mask![flat: i] == 0 { largestPruned = max(largestPruned, abs(value[flat: i])) }
                else { smallestKept = min(smallestKept, abs(value[flat: i])) }
            }
        }
        #expect(largestPruned <= smallestKept)
    }

    @Test func maskedWeightsStayZeroThroughSGD() {
        let network = Network.smallCNN(cfg: [4, 6, 8], seed: 4)
        MagnitudePruning.prune(network, sparsity: 0.7, scope: .global)
        let weights = MagnitudePruning.prunableWeights(of: network)
        let before = weights.map { $0.value.copy() }
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4)
        let input = sampleInput(for: network, batch: 8)
        for _ in 0..<3 {
            optimizer.zeroGradients()
            let result = crossEntropy(logits: network.forward(input, training: true), labels: [0, 1, 2, 3, 4, 5, 6, 7])
            network.backward(result.gradient)
            optimizer.step()
        }
        var moved = 0
        for (weight, old) in zip(weights, before) {
            for i in 0..<old.count {
                if weight.mask![flat: i] == 0 { #expect(weight.value[flat: i] == 0) }
                else if weight.value[flat: i] != old[flat: i] { moved += 1 }
            }
        }
        #expect(moved > 0)
        #expect(abs(SparsityReport(network).overallSparsity - 0.7) < 1e-3)
    }

    @Test func reportCountsMasksPerLayer() {
        let network = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        #expect(SparsityReport(network).overallSparsity == 0)
        MagnitudePruning.pruneLayerwise([network.parameters[0]], sparsity: 0.25)
        let report = SparsityReport(network)
        #expect(report.layers.map(\.pruned) == [4, 0])
        #expect(report.totalCount == 16 + 40)
        #expect(abs(report.overallSparsity - 4.0 / 56) < 1e-12)
        MagnitudePruning.removeMasks(from: network)
        #expect(network.parameters.allSatisfy { $0.mask == nil })
    }
}
