import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct PlanTests {
    @Test func aPlanThatWouldEmptyALayerKeepsOneChannelAndSaysSo() throws {
        let network = Network.smallCNN(cfg: [6, 8, 4], seed: 8)
        let norms = FilterL1Norm().scores(of: network.channelGroups[0])!
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
            let scores = BatchNormScale().scores(of: group)!
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
        #expect(throws: PruningError.missingScores(group: "fc1", criterion: BatchNormScale().name)) {
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

/// Random channel pruning, the floor every criterion must beat.
struct RandomCriterionTests {
    @Test func scoresAreReproducibleAndDependOnTheSeed() {
        let network = tinyVGG(seed: 3)
        let first = RandomChannels(seed: 5).scores(of: network)
        #expect(first == RandomChannels(seed: 5).scores(of: network))
        #expect(first != RandomChannels(seed: 6).scores(of: network))
        #expect(first.keys.sorted() == network.channelGroups.map(\.name).sorted())
        for group in network.channelGroups { #expect(first[group.name]!.count == group.channelCount) }
        // Different groups draw different numbers, not one stream restarted per group.
        #expect(first["conv1"]!.prefix(2) != first["conv2"]!.prefix(2))
    }

    @Test func keepsTheWidthsOfAnotherPlanWithOtherChannels() throws {
        let network = Network.smallCNN(cfg: [16, 16, 16], seed: 2)
        let l1 = try PruningPlan.ratio(0.5, for: network, criterion: .filterL1Norm)
        let random = PruningPlan.keepingTop(l1.keptCounts, scores: RandomChannels(seed: 1).scores(of: network))
        #expect(random.keptCounts == l1.keptCounts)
        #expect(random.keptPositions != l1.keptPositions)
        let pruned = network.clone()
        try applySurgery(random, to: pruned)
        #expect(pruned.cfg == [8, 8, 8])
    }
}

/// The separation figure of network slimming: threshold over the median kept score.
struct SeparationTests {
    @Test func separatedScoresGiveASmallFigureAndOnePeakALargeOne() {
        let separated = ["a": [0.001, 0.002, 0.5, 0.6], "b": [0.0005, 0.4, 0.7]] as [String: [Float]]
        let plan = PruningPlan.keepingAbove(globalPercentileThreshold(separated.values.flatMap { $0 }, percent: 0.4),
                                            scores: separated)
        let figure = try! #require(thresholdSeparation(of: plan, scores: separated))
        #expect(figure < 0.01)   // threshold 0.002 against a kept median of 0.55
        let onePeak = ["a": [0.18, 0.19, 0.2, 0.21], "b": [0.185, 0.195, 0.205]] as [String: [Float]]
        let cut = PruningPlan.keepingAbove(globalPercentileThreshold(onePeak.values.flatMap { $0 }, percent: 0.4),
                                           scores: onePeak)
        #expect(try! #require(thresholdSeparation(of: cut, scores: onePeak)) > 0.9)
        #expect(thresholdSeparation(of: PruningPlan(keptPositions: ["a": [0]]), scores: onePeak) == nil, "no threshold")
    }

    /// 80 factors near zero and 20 kept ones: a 40 % threshold falls inside the near-zero group and
    /// does not separate, though removing 59–79 % would (from 59 % on, the kept channels' median is
    /// among the large factors; at 80 % the threshold is the smallest large one). One peak has no gap.
    @Test func theFractionsThatWouldSeparateAreFoundWhereTheGapIs() {
        let nearZero = (0..<80).map { 1e-6 + Float($0) * 1e-8 }, large = (0..<20).map { 0.2 + Float($0) * 0.01 }
        let plan = PruningPlan.keepingAbove(globalPercentileThreshold(nearZero + large, percent: 0.4), scores: ["a": nearZero + large])
        #expect(try! #require(thresholdSeparation(of: plan, scores: ["a": nearZero + large])) > 0.5)
        let range = try! #require(separatingFractions((nearZero + large).shuffled()))
        #expect(abs(range.lowerBound - 0.59) < 1e-9 && abs(range.upperBound - 0.79) < 1e-9, "\(range)")
        #expect(separatingFractions((0..<100).map { 0.18 + Float($0) * 0.0005 }) == nil)
    }
}

/// Han et al.'s per-layer thresholds q·σ: one q, so layers with spread-out weights keep more small ones.
struct PerLayerStdTests {
    @Test func pruningByLayerStdMasksBelowOneMultipleOfEachLayersDeviation() {
        let network = Network.mlp(cfg: [30, 20, 10], inputShape: [1, 4, 4], seed: 4)
        let weights = MagnitudePruning.prunableWeights(of: network)
        for i in 0..<weights[1].value.count { weights[1].value.data[i] *= 10 }   // ten times the spread
        let report = MagnitudePruning.prune(network, sparsity: 0.6, scope: .perLayerStd)
        #expect(abs(report.overallSparsity - 0.6) < 0.01)
        // Scaling a layer changes nothing: the same entries go as without the scaling.
        let twin = Network.mlp(cfg: [30, 20, 10], inputShape: [1, 4, 4], seed: 4)
        MagnitudePruning.prune(twin, sparsity: 0.6, scope: .perLayerStd)
        for (a, b) in zip(weights, MagnitudePruning.prunableWeights(of: twin)) { #expect(a.mask!.values == b.mask!.values) }
        // Global pruning on |w| would have spared the scaled layer instead.
        let global = Network.mlp(cfg: [30, 20, 10], inputShape: [1, 4, 4], seed: 4)
        let scaled = MagnitudePruning.prunableWeights(of: global)[1].value
        for i in 0..<scaled.count { scaled.data[i] *= 10 }
        MagnitudePruning.prune(global, sparsity: 0.6, scope: .global)
        #expect(MagnitudePruning.prunableWeights(of: global)[1].mask!.values != weights[1].mask!.values)
    }
}
