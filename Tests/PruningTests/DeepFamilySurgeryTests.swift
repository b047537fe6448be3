import Testing
@testable import Networks
import NetworkTestSupport
@testable import Pruning
import Tensors

/// Network slimming and L1-norm plans on the real model families, end to end: the compact
/// network rebuilt by surgery computes exactly what the original computes with the removed
/// channels' γ and β zeroed; pruned costs match a hand computation; the floor holds.
struct DeepFamilySurgeryTests {
    /// Gives every BatchNorm distinct γ (either sign), β and running statistics, so a
    /// global threshold has something to choose and the comparison is not trivially zero.
    func randomizeBatchNorms(_ network: Network, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        randomizeStatistics(of: network.batchNorms, rng: &rng)
    }

    func expectSurgeryEqualsZeroing(_ original: Network, plan: PruningPlan) throws {
        let zeroed = original.clone()
        try zeroRemovedChannels(plan, in: zeroed)
        let compact = original.clone()
        try applySurgery(plan, to: compact)
        #expect(ModelCost(compact).parameters < ModelCost(original).parameters)

        var rng = SeededGenerator(seed: 99)
        let input = Tensor.normal([3] + original.inputShape, using: &rng)
        let expected = zeroed.forward(input, training: false)
        let actual = compact.forward(input, training: false)
        let reference = original.forward(input, training: false)
        let scale = max(expected.values.map(abs).max() ?? 1, 1e-3)
        #expect(actual.maxAbsDifference(expected) / scale < 1e-5, "compact model equals the zeroed original")
        #expect(reference.maxAbsDifference(expected) / scale > 1e-4, "the removed channels did matter")
    }

    @Test func vggSlimmingSurgeryEqualsZeroedOriginal() throws {
        let vgg = Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 1)
        randomizeBatchNorms(vgg, seed: 2)
        try expectSurgeryEqualsZeroing(vgg, plan: PruningPlan.globalPercentile(0.5, for: vgg))
    }

    @Test func preresnetSlimmingSurgeryEqualsZeroedOriginal() throws {
        let net = Network.preresnet(depth: 20, widthMultiplier: 0.25, seed: 3)
        randomizeBatchNorms(net, seed: 4)
        let plan = try PruningPlan.globalPercentile(0.4, for: net)
        #expect(plan.keptPositions.keys.contains("select"), "the final channel selection is pruned too")
        try expectSurgeryEqualsZeroing(net, plan: plan)
    }

    /// As denseprune.py: the global threshold over every BatchNorm's |γ| shrinks the dense
    /// layers', the transitions' and the final selection; the concatenated features, the
    /// BatchNorms and every conv's filters stay, only the convs' (and the classifier's) inputs shrink.
    @Test func denseNetSlimmingSurgeryEqualsZeroedOriginal() throws {
        let net = Network.denseNet(depth: 13, growthRate: 6, seed: 10)
        randomizeBatchNorms(net, seed: 11)
        let plan = try PruningPlan.globalPercentile(0.4, for: net)
        #expect(Set(plan.keptPositions.keys).isSuperset(of: ["dense1.0.select", "trans1.select", "trans2.select", "select"]))
        try expectSurgeryEqualsZeroing(net, plan: plan)

        let compact = net.clone()
        try applySurgery(plan, to: compact)
        #expect(compact.batchNorms.map(\.channels) == net.batchNorms.map(\.channels), "no BatchNorm loses a channel")
        let convs = { (network: Network) in network.body.allLayers.compactMap { $0 as? Conv2d } }
        #expect(convs(compact).map(\.outChannels) == convs(net).map(\.outChannels), "no conv loses a filter")
        #expect(compact.cfg == net.channelGroups.map { plan.keptPositions[$0.name]?.count ?? $0.channelCount })
        #expect(convs(compact).dropFirst().map(\.inChannels) == Array(compact.cfg.dropLast()))
        #expect(compact.parameters.first { $0.name == "fc.weight" }!.shape == [10, compact.cfg.last!])
        // The pruned model's spec and selections rebuild it (what a checkpoint stores).
        let rebuilt = compact.reinitialized(seed: 3)
        #expect(rebuilt.parameterCount == compact.parameterCount)
        #expect(rebuilt.channelSelections.map(\.indices) == compact.channelSelections.map(\.indices))
    }

    @Test func resnetL1SurgeryEqualsZeroedOriginal() throws {
        let net = Network.resnet(depth: 14, widthMultiplier: 0.5, seed: 5)
        randomizeBatchNorms(net, seed: 6)
        try expectSurgeryEqualsZeroing(net, plan: PruningPlan.ratio(0.5, for: net, criterion: .filterL1Norm))
    }

    @Test func floorKeepsEveryLayerAliveAtNinetyFivePercent() throws {
        for net in [Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 7), .preresnet(depth: 20, widthMultiplier: 0.25, seed: 8),
                    .denseNet(depth: 10, growthRate: 4, seed: 9)] {
            randomizeBatchNorms(net, seed: 9)
            // One layer's γ all tiny: the global threshold would empty it.
            let victim = net.batchNorms[1]
            for c in 0..<victim.channels { victim.weight.value[c] = 1e-4 }
            let plan = try PruningPlan.globalPercentile(0.95, for: net)
            #expect(plan.keptPositions.values.allSatisfy { !$0.isEmpty })
            #expect(!plan.groupsKeptAliveByFloor.isEmpty, "the report can name the layers the floor saved")
            let compact = net.clone()
            try applySurgery(plan, to: compact)
            var rng = SeededGenerator(seed: 1)
            let output = compact.forward(Tensor.normal([2] + net.inputShape, using: &rng), training: false)
            #expect(output.shape == [2, 10])
        }
    }

    /// Pruned VGG-19 (a network-slimming-like cfg) on CIFAR shapes, counted by hand:
    /// conv k·k·in·out (no bias) + BN 2·out per layer, classifier last·10 + 10; MACs per conv
    /// H·W·k·k·in·out at the layer's resolution, plus the classifier.
    @Test func prunedVGG19CountsMatchHandComputation() {
        let cfg = [49, 64, 128, 128, 256, 254, 234, 198, 114, 41, 24, 11, 14, 13, 19, 104]
        let sides = [32, 32, 16, 16, 8, 8, 8, 8, 4, 4, 4, 4, 2, 2, 2, 2]
        var parameters = 0, macs = 0, inChannels = 3
        for (out, side) in zip(cfg, sides) {
            parameters += 9 * inChannels * out + 2 * out
            macs += side * side * 9 * inChannels * out
            inChannels = out
        }
        parameters += 104 * 10 + 10
        macs += 104 * 10
        let cost = ModelCost(Network.vgg(depth: 19, cfg: cfg, seed: 1))
        #expect(cost.parameters == parameters)
        #expect(cost.multiplyAccumulates == macs)
    }

    /// Pruned PreResNet-164 cfg (each block's selection and inner widths shrunk), by hand:
    /// per block bn1 2·in, conv1 sel·c1, bn2 2·c1, conv2 9·c1·c2, bn3 2·c2, conv3 c2·out,
    /// a 1×1 downsample in·out where the stage starts; stem 27·16; final BN 2·256; fc sel·10+10.
    @Test func prunedPreResNet164CountsMatchHandComputation() {
        let n = 18
        var cfg: [Int] = []
        var parameters = 27 * 16, macs = 32 * 32 * 27 * 16
        var inChannels = 16
        for (stage, planes) in [16, 32, 64].enumerated() {
            let side = 32 >> stage
            for block in 0..<n {
                let select = max(1, inChannels - 3 - block % 5), c1 = max(1, planes - 1 - block % 4), c2 = max(1, planes - 2 - block % 3)
                cfg += [select, c1, c2]
                let out = planes * 4
                let stride = stage > 0 && block == 0 ? 2 : 1
                let inputSide = side * stride
                parameters += 2 * inChannels + select * c1 + 2 * c1 + 9 * c1 * c2 + 2 * c2 + c2 * out
                macs += inputSide * inputSide * select * c1 + side * side * 9 * c1 * c2 + side * side * c2 * out
                if block == 0 {
                    parameters += inChannels * out
                    macs += side * side * inChannels * out
                }
                inChannels = out
            }
        }
        cfg.append(200)
        parameters += 2 * 256 + 200 * 10 + 10
        macs += 200 * 10
        let cost = ModelCost(Network.preresnet(depth: 164, cfg: cfg, seed: 1))
        #expect(cost.parameters == parameters)
        #expect(cost.multiplyAccumulates == macs)
    }

    /// Pruned DenseNet-40 (k = 12) on CIFAR shapes, by hand: each dense layer has a BatchNorm
    /// over the c channels that reach it (2c) and a 3×3 conv from its selection s to 12
    /// (108·s parameters, 32²/16²/8² · 108·s MACs by block); each transition 2c and a 1×1 conv
    /// s·c (MACs at the block's resolution, before the pooling); stem 27·24; final BN 2·456,
    /// classifier s·10 + 10.
    @Test func prunedDenseNet40CountsMatchHandComputation() {
        let full = Network.denseNetDefaultCfg(depth: 40)
        let cfg = full.enumerated().map { index, channels in max(1, channels - 5 - (index * 7) % 11) }
        var parameters = 27 * 24, macs = 32 * 32 * 27 * 24
        for (index, (selected, channels)) in zip(cfg, full).enumerated() {
            let side = 32 >> (index / 13)
            parameters += 2 * channels
            if index == 38 {
                parameters += selected * 10 + 10
                macs += selected * 10
            } else if index % 13 == 12 {
                parameters += selected * channels
                macs += side * side * selected * channels
            } else {
                parameters += 108 * selected
                macs += side * side * 108 * selected
            }
        }
        let cost = ModelCost(Network.denseNet(depth: 40, cfg: cfg, seed: 1))
        #expect(cost.parameters == parameters)
        #expect(cost.multiplyAccumulates == macs)
    }
}
