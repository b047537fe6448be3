import Networks
import NetworkTestSupport
import Pruning
import Tensors
import Testing

/// The channel groups of the deep families describe structural pruning completely: keeping
/// some positions of every group with the engine's surgery, in two rounds, leaves a model that
/// runs and computes what the original computes with the removed channels zeroed (the engine's
/// masked twin), and that still trains.
@Suite("Deep model channel groups")
struct DeepModelSurgeryTests {
    static func makeNetwork(_ family: String) -> Network {
        switch family {
        case "vgg": return .vgg(depth: 11, widthMultiplier: 0.0625, seed: 21)
        case "resnet": return .resnet(depth: 14, widthMultiplier: 0.5, seed: 21)
        case "densenet": return .denseNet(depth: 10, growthRate: 4, seed: 21)
        default: return .preresnet(depth: 11, widthMultiplier: 0.25, seed: 21)
        }
    }

    /// The positions a group drops in a round: every third one, shifted per group and round
    /// (never all of them).
    static func removedPositions(_ group: ChannelGroup, shift: Int) -> [Int] {
        let count = group.channelCount
        return (0..<count).filter { ($0 + shift) % 3 == 0 && count > 1 }
    }

    @Test(arguments: ["vgg", "resnet", "preresnet", "densenet"])
    func keepingPositionsEqualsZeroingTheRemovedChannels(_ family: String) throws {
        let pruned = Self.makeNetwork(family)
        var rng = SeededGenerator(seed: 8)
        randomizeStatistics(of: pruned.batchNorms, rng: &rng)
        let original = pruned.clone()
        let originalCount = pruned.parameterCount
        // Two rounds, so the second one works on selections that no longer list every channel.
        // originals[g][p] is the original channel at position p of group g.
        var originals = pruned.channelGroups.map { Array(0..<$0.channelCount) }
        for round in 0..<2 {
            var kept: [String: [Int]] = [:], counts: [String: Int] = [:]
            for (index, group) in pruned.channelGroups.enumerated() {
                let removed = Self.removedPositions(group, shift: index + round)
                kept[group.name] = (0..<group.channelCount).filter { !removed.contains($0) }
                counts[group.name] = group.channelCount
            }
            try applySurgery(PruningPlan(keptPositions: kept, originalCounts: counts), to: pruned)
            for (index, group) in pruned.channelGroups.enumerated() {
                let positions = kept[group.name]!
                originals[index] = positions.map { originals[index][$0] }
                #expect(group.channelCount == positions.count)
                if let cfgIndex = group.cfgIndex { #expect(pruned.cfg[cfgIndex] == positions.count) }
                for selection in group.selections { #expect(selection.indices == originals[index]) }
            }
        }
        #expect(pruned.parameterCount < originalCount)

        // The masked twin: the original with every channel the two rounds removed zeroed.
        var survivors = PruningPlan(keptPositions: [:])
        for (group, positions) in zip(original.channelGroups, originals) {
            survivors.keptPositions[group.name] = positions
            survivors.originalCounts[group.name] = group.channelCount
        }
        let zeroed = original.clone()
        try zeroRemovedChannels(survivors, in: zeroed)

        var inputRNG = SeededGenerator(seed: 55)
        let input = Tensor.normal([3, 3, 32, 32], using: &inputRNG)
        let expected = zeroed.forward(input, training: false)
        let actual = pruned.forward(input, training: false)
        #expect(actual.shape == [3, 10])
        // Differences relative to the size of the outputs (VGG's are small).
        let scale = expected.values.map(abs).max() ?? 0
        #expect(scale > 1e-3, "the outputs are trivially zero")
        let difference = actual.maxAbsDifference(expected) / scale
        #expect(difference <= 1e-5, "pruned and zeroed outputs differ by \(difference) relative")
        let effect = original.forward(input, training: false).maxAbsDifference(expected) / scale
        #expect(effect > 1e-2, "the removed channels do not matter: zeroing them moved the output by \(effect) relative")

        // The pruned model still trains: a training step runs with the new shapes.
        let logits = pruned.forward(input, training: true)
        let loss = crossEntropy(logits: logits, labels: [0, 1, 2])
        pruned.backward(loss.gradient)
        #expect(pruned.parameters.allSatisfy { $0.grad.shape == $0.value.shape })
    }
}
