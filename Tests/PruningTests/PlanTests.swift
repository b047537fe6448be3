import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct PlanTests {
    @Test func aPlanThatWouldEmptyALayerKeepsOneChannelAndSaysSo() throws {
        let network = Network.smallCNN(cfg: [6, 8, 4], seed: 8)
        let norms = network.channelGroups[0].filterL1Norms!
        let plan = try PruningPlan.fixedCfg([0, 8, 2], for: network)
        #expect(plan.keptPositions["conv1"] == [norms.indices.max { norms[$0] < norms[$1] }!])
        #expect(plan.floorAdjustments == [FloorAdjustment(group: "conv1", wanted: 0, kept: 1, channelCount: 6)])
        #expect(plan.groupsKeptAliveByFloor == ["conv1"])
        #expect(plan.keptPositions["conv2"] == nil)  // unchanged width: not in the plan
        try applySurgery(plan, to: network)
        #expect(network.cfg == [1, 8, 2])
        #expect(network.forward(sampleInput(for: network), training: false).shape == [5, 10])

        let all = try PruningPlan.ratio(1.0, for: Network.mlp(cfg: [9, 7, 10], seed: 1))
        #expect(all.keptPositions.values.map(\.count) == [1, 1])
        #expect(Set(all.groupsKeptAliveByFloor) == ["fc1", "fc2"])
    }

    @Test func floorByFractionRoundsUp() {
        let scores: [String: [Float]] = ["a": [5, 1, 4, 2, 3, 0, 9, 8, 7, 6]]
        let plan = PruningPlan.keepingAbove(100, scores: scores, floor: ChannelFloor(minimumFraction: 0.25))
        #expect(plan.keptPositions["a"] == [6, 7, 8])  // ⌈2.5⌉ = 3 best: 9, 8, 7
        #expect(plan.floorAdjustments.first?.kept == 3)
        #expect(ChannelFloor(minimumChannels: 0).minimum(for: 4) == 1)
        #expect(ChannelFloor(minimumChannels: 5).minimum(for: 3) == 3)
    }

    @Test func globalPercentileFollowsTheReferenceRecipe() throws {
        // sorted [0.1, 0.3, 0.5, 0.9]; index ⌊4·0.5⌋ = 2 → 0.5; strictly greater stays.
        #expect(globalPercentileThreshold([0.5, 0.1, 0.9, 0.3], percent: 0.5) == 0.5)
        #expect(globalPercentileThreshold([0.5, 0.1, 0.9, 0.3], percent: 1.0) == 0.9)
        let plan = PruningPlan.keepingAbove(0.5, scores: ["g": [0.5, 0.1, 0.9, 0.3]])
        #expect(plan.keptPositions["g"] == [2])
        #expect(plan.threshold == 0.5)
        #expect(throws: PruningError.invalidFraction(1.5)) { try PruningPlan.globalPercentile(1.5, for: tinyVGG(seed: 1)) }
    }

    @Test func globalGammaThresholdAtNinetyFivePercentKeepsEveryGroupAlive() throws {
        let network = tinyVGG(seed: 11, widths: [16, 16, 8])
        // Sparsity training drove conv2's γ towards zero: the global threshold would empty it.
        for i in 0..<16 { network.batchNorms[1].weight.value[i] = 1e-4 * Float(i + 1) }
        let all = scaleMagnitudes(of: network)
        #expect(all.count == 40)
        let plan = try PruningPlan.globalPercentile(0.95, for: network)
        let threshold = all.sorted()[Int(40 * 0.95)]
        #expect(plan.threshold == threshold)
        for group in network.channelGroups {
            let kept = plan.keptPositions[group.name]!
            #expect(kept.count >= 1)
            let scores = group.scaleMagnitudes!
            let above = scores.indices.filter { scores[$0] > threshold }
            if above.isEmpty {
                #expect(kept == [scores.indices.max { scores[$0] < scores[$1] }!])
                #expect(plan.groupsKeptAliveByFloor.contains(group.name))
            } else {
                #expect(kept == above)
            }
        }
        #expect(plan.groupsKeptAliveByFloor.contains("conv2"))
        #expect(plan.keptChannelCount < 40 && plan.originalChannelCount == 40)
        try applySurgery(plan, to: network)
        #expect(network.cfg.prefix(3).allSatisfy { $0 >= 1 })
        #expect(network.forward(sampleInput(for: network), training: false).shape == [5, 4])
    }

    @Test func fixedCfgRejectsCfgsThatDoNotFit() {
        let network = Network.smallCNN(seed: 1)
        #expect(throws: PruningError.self) { try PruningPlan.fixedCfg([8, 16], for: network) }
        #expect(throws: PruningError.self) { try PruningPlan.fixedCfg([8, 128, 32], for: network) }
        let mlp = Network.mlp(seed: 1)
        #expect(throws: PruningError.self) { try PruningPlan.fixedCfg([50, 100, 5], for: mlp) }
        #expect(throws: PruningError.missingScores(group: "fc1", criterion: .batchNormScale)) {
            try PruningPlan.fixedCfg([50, 100, 10], for: mlp, criterion: .batchNormScale)
        }
        #expect(throws: PruningError.unknownGroup("conv9", available: ["conv1", "conv2", "conv3"])) {
            try PruningPlan.ratios(["conv9": 0.5], for: network)
        }
    }

    @Test func keptCountFollowsIntOfNTimesOneMinusRatio() {
        #expect(keptCount(of: 10, removing: 0.7) == 3)
        #expect(keptCount(of: 8, removing: 0.1) == 7)
        #expect(keptCount(of: 64, removing: 0.5) == 32)
        #expect(keptCount(of: 5, removing: 1) == 0)
    }

    @Test func perGroupRatiosPruneEachGroupByItsOwnFraction() throws {
        let network = Network.smallCNN(seed: 3)
        let plan = try PruningPlan.ratios(["conv1": 0.5, "conv3": 0.25], for: network)
        #expect(plan.keptPositions["conv1"]?.count == 16)
        #expect(plan.keptPositions["conv3"]?.count == 48)
        #expect(plan.keptPositions["conv2"] == nil)
        #expect(plan.removedPositions(of: "conv1").count == 16)
        #expect(plan.widths(in: network).map(\.kept) == [16, 64, 48])
    }
}
