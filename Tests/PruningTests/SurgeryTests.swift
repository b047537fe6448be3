import Networks
import Tensors
import Testing
@testable import Pruning

/// Zeroes the consumer slices (the next layer's inputs) of `positions`: those channels then
/// have no effect on the output, so removing them must not change it.
private func zeroOutgoingWeights(_ positions: [Int], of group: ChannelGroup) {
    for slice in group.slices where slice.axis == 1 {
        slice.parameter.value.zeroSlices(positions, axis: 1, blockSize: slice.blockSize)
    }
}

@Suite struct SurgeryTests {
    @Test(arguments: ["mlp", "small-cnn"])
    func removingChannelsWithZeroOutgoingWeightsKeepsOutputs(family: String) throws {
        let network = family == "mlp" ? Network.mlp(cfg: [20, 12, 10], seed: 1) : Network.smallCNN(cfg: [6, 5, 4], seed: 1)
        let input = sampleInput(for: network)
        var kept: [String: [Int]] = [:]
        for group in network.channelGroups {
            let removed = Array(stride(from: 1, to: group.channelCount, by: 2))  // every other channel
            zeroOutgoingWeights(removed, of: group)
            kept[group.name] = (0..<group.channelCount).filter { $0 % 2 == 0 }
        }
        let before = network.forward(input, training: false).copy()
        try applySurgery(PruningPlan(keptPositions: kept), to: network)
        let after = network.forward(input, training: false)
        #expect(after.shape == before.shape)
        #expect(after.maxAbsDifference(before) < 1e-5)
        let expectedCfg = family == "mlp" ? [10, 6, 10] : [3, 3, 2]
        #expect(network.cfg == expectedCfg)
        // Shapes of the flatten consumer: 2 channels × 7·7 columns.
        if family == "small-cnn" { #expect(network.parameters.first { $0.name == "fc.weight" }!.shape == [10, 2 * 49]) }
    }

    @Test(arguments: ["mlp", "small-cnn", "tiny-vgg"])
    func maskedTwinMatchesSurgicallyPrunedModel(family: String) throws {
        func build() -> Network {
            switch family {
            case "mlp": return .mlp(cfg: [30, 20, 10], seed: 7)
            case "small-cnn": return .smallCNN(cfg: [8, 12, 6], seed: 7)
            default: return tinyVGG(seed: 7)
            }
        }
        let (masked, compact) = (build(), build())
        let criterion: ImportanceCriterion = family == "tiny-vgg" ? .batchNormScale : .filterL1Norm
        let plan = try PruningPlan.ratio(0.5, for: masked, criterion: criterion)
        #expect(plan.keptPositions.count == masked.channelGroups.count)
        try zeroRemovedChannels(plan, in: masked)
        try applySurgery(plan, to: compact)
        let input = sampleInput(for: masked)
        let reference = masked.forward(input, training: false)
        #expect(outputDifference(masked, compact, input: input) < 1e-5)
        #expect(compact.parameterCount < masked.parameterCount)
        // Guard against a vacuous test: the zeroed channels did matter in the original.
        #expect(build().forward(input, training: false).maxAbsDifference(reference) > 1e-3)
        for group in compact.channelGroups { #expect(group.channelCount == plan.keptPositions[group.name]!.count) }
    }

    @Test func selectionGroupsMapIndicesAndMatchTheMaskedTwin() throws {
        let (masked, maskedSelect) = selectionNetwork(seed: 3)
        let (compact, select) = selectionNetwork(seed: 3)
        let input = sampleInput(for: masked)
        let first = PruningPlan(keptPositions: ["select": [0, 2, 3, 5], "conv1": [1, 3]], originalCounts: ["select": 6, "conv1": 4])
        try zeroRemovedChannels(first, in: masked)
        try applySurgery(first, to: compact)
        #expect(select.indices == [0, 2, 3, 5])
        #expect(maskedSelect.indices == Array(0..<6))
        #expect(compact.cfg == [4, 2, 3])
        #expect(outputDifference(masked, compact, input: input) < 1e-5)
        // A second pass keeps positions of the already-selected list: old[kept[p]].
        let second = PruningPlan(keptPositions: ["select": [1, 3]], originalCounts: ["select": 4])
        let (maskedAgain, _) = selectionNetwork(seed: 3)
        try applySurgery(first, to: maskedAgain)
        try zeroRemovedChannels(second, in: maskedAgain)  // zeroes γ, β at old[0], old[2] = 0, 3
        try applySurgery(second, to: compact)
        #expect(select.indices == [2, 5])
        #expect(outputDifference(maskedAgain, compact, input: input) < 1e-5)
        #expect(maskedAgain.batchNorms[0].weight.value[0] == 0 && maskedAgain.batchNorms[0].weight.value[3] == 0)
        // |γ| of the selection group reads the BN at the selected indices.
        let bn0 = compact.batchNorms[0]
        #expect(compact.channelGroups[0].scaleMagnitudes! == [abs(bn0.weight.value[2]), abs(bn0.weight.value[5])])
        let twin = selectionNetwork(seed: 3).0
        try zeroRemovedChannels(PruningPlan(keptPositions: ["select": [2, 5], "conv1": [1, 3]],
                                            originalCounts: ["select": 6, "conv1": 4]), in: twin)
        #expect(outputDifference(twin, compact, input: input) < 1e-5)
    }

    @Test func masksAreSlicedLikeTheirValues() throws {
        let network = Network.smallCNN(cfg: [6, 8, 4], seed: 2)
        MagnitudePruning.prune(network, sparsity: 0.5, scope: .layerwise)
        let conv2 = network.parameters.first { $0.name == "conv2.weight" }!
        let originalMask = conv2.mask!.copy()
        try applySurgery(PruningPlan(keptPositions: ["conv1": [1, 4]], originalCounts: ["conv1": 6]), to: network)
        #expect(conv2.shape == [8, 2, 3, 3])
        #expect(conv2.mask!.shape == conv2.shape)
        #expect(conv2.mask!.values == originalMask.gathering([1, 4], axis: 1).values)
        #expect(conv2.grad.shape == conv2.shape)
        for i in 0..<conv2.value.count where conv2.mask![flat: i] == 0 { #expect(conv2.value[flat: i] == 0) }
    }

    @Test func fixedCfgKeepsTheFiltersWithLargestL1Norm() throws {
        let network = Network.smallCNN(seed: 5)
        let norms = network.channelGroups[0].filterL1Norms!
        let conv1 = network.parameters.first { $0.name == "conv1.weight" }!.value.copy()
        let plan = try PruningPlan.fixedCfg([8, 16, 32], for: network)
        try applySurgery(plan, to: network)
        #expect(network.cfg == [8, 16, 32])
        #expect(plan.floorAdjustments.isEmpty)
        let best = norms.indices.sorted { norms[$0] > norms[$1] }.prefix(8).sorted()
        #expect(plan.keptPositions["conv1"] == best)
        let kept = network.parameters.first { $0.name == "conv1.weight" }!.value
        #expect(kept.values == conv1.gathering(best, axis: 0).values)
        #expect(ModelCost(network) == ModelCost(Network.smallCNN(cfg: [8, 16, 32], seed: 5)))
        #expect(network.forward(sampleInput(for: network), training: false).shape == [5, 10])
    }

    @Test func invalidPlansThrowAndLeaveTheNetworkUntouched() throws {
        let network = Network.mlp(cfg: [8, 6, 10], seed: 4)
        let shapes = network.parameters.map(\.shape)
        let bad: [(PruningPlan, PruningError)] = [
            (PruningPlan(keptPositions: ["fc1": [0, 1], "fc9": [0]]), .unknownGroup("fc9", available: ["fc1", "fc2"])),
            (PruningPlan(keptPositions: ["fc1": [0, 1], "fc2": []]), .emptyGroup("fc2")),
            (PruningPlan(keptPositions: ["fc1": [3, 1]]), .invalidPositions(group: "fc1", channelCount: 8)),
            (PruningPlan(keptPositions: ["fc1": [1, 1]]), .invalidPositions(group: "fc1", channelCount: 8)),
            (PruningPlan(keptPositions: ["fc1": [0, 8]]), .invalidPositions(group: "fc1", channelCount: 8)),
        ]
        for (plan, expected) in bad {
            #expect(throws: expected) { try applySurgery(plan, to: network) }
            #expect(network.parameters.map(\.shape) == shapes)
            #expect(network.cfg == [8, 6, 10])
        }
        #expect(PruningError.emptyGroup("fc2").description.contains("at least one"))
    }
}
