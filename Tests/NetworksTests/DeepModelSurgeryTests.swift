import Networks
import Tensors
import Testing

/// The channel groups describe structural pruning completely: keeping some positions of
/// every group (a hand-made surgery, as the Pruning target will do it) leaves a model that
/// runs and computes what the original computes with the removed channels' γ and β zeroed.
@Suite("Deep model channel groups")
struct DeepModelSurgeryTests {
    static func makeTwins(_ family: String) -> (Network, Network) {
        func build() -> Network {
            switch family {
            case "vgg": return .vgg(depth: 11, widthMultiplier: 0.0625, seed: 21)
            case "resnet": return .resnet(depth: 14, widthMultiplier: 0.5, seed: 21)
            default: return .preresnet(depth: 11, widthMultiplier: 0.25, seed: 21)
            }
        }
        return (build(), build())
    }

    /// Same random γ, β and running statistics in both twins (a few training forwards).
    static func prepare(_ networks: [Network]) {
        for network in networks {
            var rng = SeededGenerator(seed: 8)
            for norm in network.batchNorms {
                for c in 0..<norm.channels {
                    norm.weight.value.data[c] = rng.uniform(0.3, 1.2)
                    norm.bias.value.data[c] = rng.uniform(-0.3, 0.3)
                }
            }
            for round in 0..<3 {
                var inputRNG = SeededGenerator(seed: 100 + UInt64(round))
                _ = network.forward(.normal([4, 3, 32, 32], using: &inputRNG), training: true)
            }
        }
    }

    /// The positions a group drops in a round: every third one, shifted per group and round
    /// (never all of them).
    static func removedPositions(_ group: ChannelGroup, shift: Int) -> [Int] {
        let count = group.channelCount
        return (0..<count).filter { ($0 + shift) % 3 == 0 && count > 1 }
    }

    /// Keeps `positions` of the group: slices every parameter, remaps the selections, updates cfg.
    static func keep(_ positions: [Int], of group: ChannelGroup, in network: Network) {
        for slice in group.slices {
            let value = slice.parameter.value.gathering(positions, axis: slice.axis, blockSize: slice.blockSize)
            slice.parameter.replace(with: value)
        }
        for selection in group.selections {
            selection.indices = positions.map { selection.indices[$0] }
        }
        if let index = group.cfgIndex { network.cfg[index] = positions.count }
    }

    /// Zeroes γ and β of the given original channels of the group's BatchNorm.
    static func silence(_ channels: [Int], of group: ChannelGroup, in network: Network) {
        guard let norm = group.batchNorm else {
            Issue.record("group \(group.name) has no BatchNorm scale")
            return
        }
        for channel in channels {
            norm.weight.value.data[channel] = 0
            norm.bias.value.data[channel] = 0
        }
    }

    @Test(arguments: ["vgg", "resnet", "preresnet"])
    func keepingPositionsEqualsZeroingTheRemovedChannels(_ family: String) {
        let (pruned, reference) = Self.makeTwins(family)
        Self.prepare([pruned, reference])
        let originalCount = pruned.parameterCount
        // Two rounds, so the second one works on selections that no longer list every channel.
        // originals[g][p] is the original channel at position p of group g.
        var originals = pruned.channelGroups.map { Array(0..<$0.channelCount) }
        var removedTotal = 0
        for round in 0..<2 {
            for (index, (group, twin)) in zip(pruned.channelGroups, reference.channelGroups).enumerated() {
                let removed = Self.removedPositions(group, shift: index + round)
                let kept = (0..<group.channelCount).filter { !removed.contains($0) }
                Self.silence(removed.map { originals[index][$0] }, of: twin, in: reference)
                Self.keep(kept, of: group, in: pruned)
                originals[index] = kept.map { originals[index][$0] }
                removedTotal += removed.count
                #expect(group.channelCount == kept.count)
                if let cfgIndex = group.cfgIndex { #expect(pruned.cfg[cfgIndex] == kept.count) }
                for selection in group.selections { #expect(selection.indices == originals[index]) }
            }
        }
        #expect(removedTotal > 0 && pruned.parameterCount < originalCount)

        var rng = SeededGenerator(seed: 55)
        let input = Tensor.normal([3, 3, 32, 32], using: &rng)
        let expected = reference.forward(input, training: false)
        let actual = pruned.forward(input, training: false)
        #expect(actual.shape == [3, 10])
        let difference = actual.maxAbsDifference(expected)
        #expect(difference <= 1e-5, "pruned and zeroed outputs differ by \(difference)")
        #expect(expected.values.contains { abs($0) > 1e-3 }, "the outputs are trivially zero")

        // The pruned model still trains: a training step runs with the new shapes.
        let logits = pruned.forward(input, training: true)
        let loss = crossEntropy(logits: logits, labels: [0, 1, 2])
        pruned.backward(loss.gradient)
        #expect(pruned.parameters.allSatisfy { $0.grad.shape == $0.value.shape })
    }
}
