import Foundation
import Testing
import Tensors
@testable import Networks

@Suite("Checkpoint round trips")
struct CheckpointRoundTripTests {
    @Test func mlpRoundTripGivesIdenticalOutputs() throws {
        let network = Network.mlp(cfg: [24, 12, 10], inputShape: [1, 6, 6], seed: 3)
        let loaded = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([5, 1, 6, 6], seed: 1))
        // The loaded model is not merely a rebuild with seed 0.
        let fresh = try Network.build(network.spec, seed: 0)
        #expect(CheckpointFixtures.stateValues(fresh) != CheckpointFixtures.stateValues(loaded))
    }

    @Test func tinyMLPRoundTrips() throws {
        // 2·2 + 2 + 2·2 + 2 = 12 values: fewer than any size bound may assume.
        let network = Network.mlp(cfg: [2, 2], inputShape: [1, 1, 2], seed: 8)
        _ = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([3, 1, 1, 2], seed: 9))
    }

    @Test func smallCNNRoundTripGivesIdenticalOutputs() throws {
        let network = Network.smallCNN(cfg: [4, 6, 5], seed: 11)
        _ = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([2, 1, 28, 28], seed: 2))
    }

    @Test func prunedSmallCNNKeepsItsCfgAndMasks() throws {
        let network = CheckpointFixtures.maskedSmallCNN()
        let loaded = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([3, 1, 28, 28], seed: 4))
        #expect(loaded.cfg == [8, 16, 32])
        for (original, copy) in zip(network.state, loaded.state) {
            #expect(original.mask?.values == copy.mask?.values, "mask of \(original.name)")
        }
        let mask = try #require(loaded.parameters.first { $0.name == "conv2.weight" }?.mask)
        #expect(mask.values.filter { $0 == 0 }.count == (mask.count + 2) / 3)
    }

    @Test func fileLaysOutTensorsAsSafetensors() throws {
        let network = CheckpointFixtures.maskedSmallCNN()
        let data = try network.checkpointFile().encoded()
        let headerLength = data.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        #expect(headerLength % 8 == 0, "the header is padded to a multiple of 8")
        let header = try #require(String(data: data[8..<(8 + headerLength)], encoding: .utf8))
        #expect(header.hasPrefix("{"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        let weight = try #require(json["conv1.weight"] as? [String: Any])
        #expect(weight["dtype"] as? String == "F32")
        #expect(weight["shape"] as? [Int] == [8, 1, 3, 3])
        #expect(json["conv2.weight.mask"] != nil)
        let metadata = try #require(json["__metadata__"] as? [String: String])
        #expect(metadata["format"] == "prunelab-checkpoint")
        #expect(metadata["format_version"] == "1")
        let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(try #require(metadata["spec"]).utf8))
        #expect(spec == ModelSpec(family: .smallCNN, cfg: [8, 16, 32], inputShape: [1, 28, 28], classCount: 10))
        #expect(metadata["channel_selections"] == "[]")
        // Data length: every value and mask, 4 bytes each.
        let values = network.state.reduce(0) { $0 + $1.value.count + ($1.mask?.count ?? 0) }
        #expect(data.count == 8 + headerLength + 4 * values)
    }

    @Test func genericFileRoundTripKeepsNamesShapesValuesAndMetadata() throws {
        var rng = SeededGenerator(seed: 5)
        let file = SafeTensorsFile(entries: [
            .init(name: "b", tensor: .normal([2, 3], using: &rng)),
            .init(name: "a", tensor: .normal([4], using: &rng)),
            .init(name: "scalar", tensor: Tensor(shape: [], values: [42])),
            .init(name: "empty", tensor: Tensor(shape: [0, 5])),
            .init(name: "naïve \"quoted\"/name", tensor: Tensor(shape: [1], values: [-0.0])),
        ], metadata: ["note": "ünïcode and \"quotes\"", "n": "1"])
        let decoded = try SafeTensorsFile.decode(file.encoded(), path: "memory")
        #expect(decoded.metadata == file.metadata)
        #expect(Set(decoded.names) == Set(file.names))
        for entry in file.entries {
            let copy = try #require(decoded[entry.name])
            #expect(copy.shape == entry.tensor.shape)
            #expect(copy.values.map(\.bitPattern) == entry.tensor.values.map(\.bitPattern))
        }
    }

    @Test func repeatedOrEmptyParameterNamesGetUniquePositionalKeys() {
        let names = ["weight", "bias", "weight", "", "fc.weight", "x.mask", "2.weight"]
        let keys = CheckpointKeys.keys(for: names.map { Parameter(Tensor(shape: [1]), name: $0) })
        // Unique names stay; repeated, empty or mask-like ones get their position; a positional
        // key taken already ("2.weight") is prefixed until free.
        #expect(keys == ["0.weight", "bias", "2.weight", "3", "fc.weight", "5.x.mask", "_2.weight"])
        #expect(Set(keys + keys.map { $0 + ".mask" }).count == 2 * keys.count)
        #expect(keys == CheckpointKeys.keys(for: names.map { Parameter(Tensor(shape: [1]), name: $0) }))
    }

    /// A hand-built model with BatchNorm buffers, duplicate names and a channel selection:
    /// its state and selection indices survive a trip through the file into a twin model.
    @Test func restoreIntoTwinKeepsBuffersAndChannelSelections() throws {
        func build() -> Network {
            var rng = SeededGenerator(seed: 9)
            let conv = Conv2d(2, 4, kernel: 3, padding: 1, rng: &rng)
            let norm = BatchNorm2d(4)
            let select = ChannelSelection(4)
            let next = Conv2d(4, 3, kernel: 1, rng: &rng)
            return Network(family: .custom, cfg: [4], inputShape: [2, 5, 5], classCount: 3,
                           body: Sequential([conv, norm, ReLU(), select, next]), channelGroups: [])
        }
        let network = build()
        network.channelSelections[0].indices = [0, 2, 3]
        let next = network.body.layers[4] as! Conv2d
        next.weight.replace(with: CheckpointFixtures.randomInput([3, 3, 1, 1], seed: 3))
        _ = network.forward(CheckpointFixtures.randomInput([4, 2, 5, 5], seed: 8), training: true) // moves running stats
        let norm = network.batchNorms[0]
        #expect(norm.runningMean.value.values != [0, 0, 0, 0])

        let file = try SafeTensorsFile.decode(network.checkpointFile().encoded(), path: "memory")
        #expect(file["running_mean"]?.values == norm.runningMean.value.values)
        let twin = build() // the same architecture: a selection of three channels, but others
        twin.channelSelections[0].indices = [0, 1, 2]
        (twin.body.layers[4] as! Conv2d).weight.replace(with: Tensor(shape: [3, 3, 1, 1]))
        try twin.restore(from: file, path: "memory")
        #expect(twin.channelSelections[0].indices == [0, 2, 3])
        #expect(CheckpointFixtures.stateValues(twin) == CheckpointFixtures.stateValues(network))
        let input = CheckpointFixtures.randomInput([2, 2, 5, 5], seed: 6)
        #expect(twin.forward(input, training: false).values == network.forward(input, training: false).values)
    }
}

@Suite("Checkpoint round trips of deep models")
struct CheckpointDeepModelTests {
    /// A PreResNet-11 (quarter width) with a pruned cfg, selections that keep scattered
    /// channels, and moved BatchNorm statistics.
    private func prunedPreResNet() -> Network {
        var cfg = Network.preresnetDefaultCfg(depth: 11, widthMultiplier: 0.25)
        for i in cfg.indices { cfg[i] = max(1, cfg[i] - cfg[i] / 3) }
        let network = Network.preresnet(depth: 11, cfg: cfg, widthMultiplier: 0.25, seed: 5)
        for selection in network.channelSelections {
            let kept = selection.indices.count
            // Every other channel first, then the rest: a different, increasing subset of the same size.
            let order = Array(stride(from: 0, to: selection.inputChannels, by: 2)) + Array(stride(from: 1, to: selection.inputChannels, by: 2))
            selection.indices = Array(order.prefix(kept)).sorted()
        }
        _ = network.forward(CheckpointFixtures.randomInput([4, 3, 32, 32], seed: 1), training: true)
        return network
    }

    @Test func prunedPreResNetWithChannelSelectionsRoundTrips() throws {
        let network = prunedPreResNet()
        #expect(network.channelSelections.contains { $0.indices != Array(0..<$0.indices.count) })
        let loaded = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([2, 3, 32, 32], seed: 2))
        #expect(loaded.channelSelections.map(\.indices) == network.channelSelections.map(\.indices))
    }

    /// A DenseNet-10 (growth rate 4) whose selections keep scattered channels: the spec stores
    /// the growth rate as the width multiplier 4/12, and the selections come back.
    @Test func prunedDenseNetWithChannelSelectionsRoundTrips() throws {
        let network = Network.make(.densenet, depth: 10, cfg: [6, 9, 12, 12, 15, 18, 18, 21, 24], widthMultiplier: 1.0 / 3,
                                   inputShape: [3, 32, 32], seed: 6)
        for selection in network.channelSelections {
            let order = Array(stride(from: 1, to: selection.inputChannels, by: 2)) + Array(stride(from: 0, to: selection.inputChannels, by: 2))
            selection.indices = Array(order.prefix(selection.indices.count)).sorted()
        }
        _ = network.forward(CheckpointFixtures.randomInput([4, 3, 32, 32], seed: 3), training: true)
        let loaded = try CheckpointFixtures.roundTrip(network, input: CheckpointFixtures.randomInput([2, 3, 32, 32], seed: 4))
        #expect(loaded.family == .densenet && loaded.cfg == network.cfg)
        #expect(loaded.channelSelections.map(\.indices) == network.channelSelections.map(\.indices))
    }

    @Test func selectionsThatDoNotFitTheCfgAreRefused() throws {
        let network = prunedPreResNet()
        let path = "/data/preresnet.safetensors"
        func load(selections: [[Int]]) throws -> CheckpointError? {
            var file = try network.checkpointFile()
            file.metadata["channel_selections"] = String(decoding: try JSONEncoder().encode(selections), as: UTF8.self)
            return expectCheckpointError({ _ = try Network.load(from: file, path: path) }) { _ in true }
        }
        var selections = network.channelSelections.map(\.indices)
        selections[0].removeLast()
        if case .badChannelSelection(_, let problem)? = try load(selections: selections) {
            #expect(problem.contains("keep \(selections[0].count) channels but the cfg keeps \(selections[0].count + 1)"))
        } else { Issue.record("a selection of the wrong size was accepted") }
        selections = network.channelSelections.map(\.indices)
        selections[1] = selections[1].reversed()
        if case .badChannelSelection? = try load(selections: selections) {} else { Issue.record("decreasing indices were accepted") }
        selections = network.channelSelections.map(\.indices)
        selections[0][selections[0].count - 1] = network.channelSelections[0].inputChannels
        if case .badChannelSelection? = try load(selections: selections) {} else { Issue.record("an index out of range was accepted") }
    }

    @Test func vggRoundTrips() throws {
        let network = Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 3)
        _ = network.forward(CheckpointFixtures.randomInput([2, 3, 32, 32], seed: 4), training: true)
        let loaded = try Network.load(from: network.checkpointFile(), path: "memory")
        let input = CheckpointFixtures.randomInput([2, 3, 32, 32], seed: 5)
        #expect(loaded.forward(input, training: false).values == network.forward(input, training: false).values)
    }
}
