import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct CostTests {
    @Test func smallCNNCostsMatchAHandCount() {
        // conv: H_out·W_out·C_out·C_in·3·3; pools halve 28 → 14 → 7; fc: C·7·7 → 10.
        let full = ModelCost(Network.smallCNN(cfg: [32, 64, 64], seed: 1))
        #expect(full.layers.map(\.name) == ["conv1", "conv2", "conv3", "fc"])
        #expect(full.layers.map(\.multiplyAccumulates) == [28 * 28 * 32 * 1 * 9, 14 * 14 * 64 * 32 * 9, 7 * 7 * 64 * 64 * 9, 3136 * 10])
        #expect(full.multiplyAccumulates == 5_676_160)
        #expect(full.parameters == (32 * 9 + 32) + (64 * 32 * 9 + 64) + (64 * 64 * 9 + 64) + (3136 * 10 + 10))
        #expect(full.parameters == 87_114)

        let pruned = ModelCost(Network.smallCNN(cfg: [8, 16, 32], seed: 1))
        #expect(pruned.multiplyAccumulates == 28 * 28 * 8 * 9 + 14 * 14 * 16 * 8 * 9 + 7 * 7 * 32 * 16 * 9 + 32 * 49 * 10)
        #expect(pruned.multiplyAccumulates == 523_712)
        #expect(pruned.parameters == (8 * 9 + 8) + (16 * 8 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 49 * 10 + 10))
        #expect(pruned.parameters == 21_578)
        #expect(full.layers[1].outputShape == [1, 64, 14, 14])
    }

    @Test func mlpCostsMatchAHandCount() {
        let cost = ModelCost(Network.mlp(seed: 1))
        #expect(cost.multiplyAccumulates == 784 * 200 + 200 * 200 + 200 * 10)
        #expect(cost.parameters == 785 * 200 + 201 * 200 + 201 * 10)
        let pruned = ModelCost(Network.mlp(cfg: [50, 100, 10], seed: 1))
        #expect(pruned.multiplyAccumulates == 784 * 50 + 50 * 100 + 100 * 10)
    }

    @Test func parameterTotalsAgreeWithTheNetwork() {
        for network in [tinyVGG(seed: 1), selectionNetwork(seed: 1).0, Network.smallCNN(seed: 1)] {
            #expect(ModelCost(network).parameters == network.parameterCount)
        }
        // BatchNorm layers carry parameters but no MACs.
        let vgg = ModelCost(tinyVGG(seed: 1))
        #expect(vgg.layers.filter { $0.summary.hasPrefix("BatchNorm") }.allSatisfy { $0.multiplyAccumulates == 0 && $0.parameters > 0 })
        #expect(vgg.multiplyAccumulates == 64 * 6 * 3 * 9 + 16 * 8 * 6 * 9 + 4 * 5 * 8 * 9 + 20 * 4)
    }

    @Test func residualContainersSendTheShortcutTheBlockInput() {
        var rng = SeededGenerator(seed: 1)
        let block = TestResidualBlock(
            main: Sequential([Conv2d(4, 8, kernel: 3, stride: 2, padding: 1, rng: &rng), BatchNorm2d(8), ReLU(),
                              Conv2d(8, 8, kernel: 3, padding: 1, rng: &rng)]),
            shortcut: Sequential([Conv2d(4, 8, kernel: 1, stride: 2, rng: &rng)]))
        let network = Network(family: .custom, cfg: [8], inputShape: [4, 8, 8], classCount: 3,
                              body: Sequential([block, Flatten(), Linear(8 * 16, 3, rng: &rng)]), channelGroups: [])
        #expect(network.forward(sampleInput(for: network), training: false).shape == [5, 3])
        let cost = ModelCost(network)
        #expect(cost.layers.filter { $0.multiplyAccumulates > 0 }.map(\.multiplyAccumulates)
                == [16 * 8 * 4 * 9, 16 * 8 * 8 * 9, 16 * 8 * 4, 128 * 3])
        #expect(cost.parameters == network.parameterCount)
    }

    @Test func shapeTracingContainersSayWhatEachChildSees() {
        // Same channels on both paths: only the block itself knows the shortcut sees its input.
        var rng = SeededGenerator(seed: 1)
        let block = TestResidualBlock(main: Sequential([Conv2d(4, 4, kernel: 3, stride: 2, padding: 1, rng: &rng)]),
                                      shortcut: Sequential([Conv2d(4, 4, kernel: 1, stride: 2, rng: &rng)]))
        let network = Network(family: .custom, cfg: [4], inputShape: [4, 8, 8], classCount: 4,
                              body: Sequential([TracedResidualBlock(block)]), channelGroups: [])
        #expect(ModelCost(network).multiplyAccumulates == 16 * 4 * 4 * 9 + 16 * 4 * 4)
    }

    @Test func latencyIsMeasuredAsAMedianOfRuns() {
        let network = Network.smallCNN(cfg: [4, 4, 4], seed: 1)
        let latency = measureLatency(of: network, batchSize: 4, runs: 5, warmup: 1)
        #expect(latency.runMilliseconds.count == 5)
        #expect(latency.runMilliseconds.allSatisfy { $0 > 0 })
        #expect(latency.medianMilliseconds == latency.runMilliseconds.sorted()[2])
        #expect(LatencyMeasurement(batchSize: 2, runMilliseconds: [4, 1, 3, 2]).medianMilliseconds == 2.5)
        #expect(LatencyMeasurement(batchSize: 2, runMilliseconds: [4, 1, 3, 2]).medianMillisecondsPerSample == 1.25)
    }

    @Test func aFastModelRepeatsItsForwardPassSoEachRunLastsLongEnoughToTime() {
        // A tiny CNN on 4 images takes far under 5 ms a pass: each run repeats it, and records one pass's time.
        let tiny = Network.smallCNN(cfg: [4, 4, 4], seed: 1)
        let larger = Network.smallCNN(cfg: [16, 32, 32], seed: 2)
        let measured = measureLatencies(of: [tiny, larger], batchSize: 4, runs: 3, warmup: 1, minimumRunMilliseconds: 5)
        #expect(measured.count == 2 && measured.allSatisfy { $0.runMilliseconds.count == 3 })
        #expect(measured[0].passesPerRun > 1)
        #expect(measured[0].passesPerRun >= measured[1].passesPerRun, "the cheaper model needs more passes to last as long")
        // One pass's time, not the run's: a run lasts about 5 ms, a pass a fraction of it.
        #expect(measured[0].runMilliseconds.allSatisfy { $0 > 0 && $0 < 5 })
        #expect(measureLatency(of: tiny, batchSize: 4, runs: 2, warmup: 1, minimumRunMilliseconds: 0).passesPerRun == 1)
    }
}
