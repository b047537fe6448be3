import Networks
import Tensors
import Testing

/// Sizes, names, cfg handling and summaries of the deep models.
@Suite("Deep model structure")
struct DeepModelStructureTests {
    /// Counts from PyTorch (tools/make_deep_fixtures.py prints them) for the reference models
    /// on CIFAR-10 shapes. network-slimming's PreResNet-164 also registers its 8,080
    /// channel-selection flags as parameters (1,711,338); they are a mask, not weights, and
    /// the 1.70M of the paper leaves them out, as this count does.
    @Test func parameterCountsEqualTheReferences() {
        #expect(Network.vgg(depth: 19, seed: 1).parameterCount == 20_035_018)
        #expect(Network.resnet(depth: 56, seed: 1).parameterCount == 853_018)
        #expect(Network.preresnet(depth: 164, seed: 1).parameterCount == 1_703_258)
    }

    @Test func vggWidthMultiplierAndCfgForms() {
        let small = Network.vgg(depth: 11, widthMultiplier: 0.25, seed: 1)
        #expect(small.cfg == [16, 32, 64, 64, 128, 128, 128, 128])
        #expect(small.forward(Tensor(shape: [2, 3, 32, 32]), training: false).shape == [2, 10])
        // A widths-only cfg gets the max-pools of the depth's layout: the same architecture.
        let rebuilt = Network.vgg(cfg: small.cfg, seed: 1)
        #expect(rebuilt.parameterCount == small.parameterCount)
        #expect(rebuilt.body.allLayers.filter { $0 is MaxPool2d }.count == 4)
        // An explicit layout with its own max-pools, on a one-channel input.
        let custom = Network.vgg(cfg: [8, nil, 16, nil, 16, nil, 32, nil, 32], inputShape: [1, 32, 32], seed: 1)
        #expect(custom.cfg == [8, 16, 16, 32, 32])
        #expect(custom.channelGroups.count == 5 && custom.channelGroups.last!.slices.last!.parameter.name == "classifier.weight")
        #expect(custom.forward(Tensor(shape: [1, 1, 32, 32]), training: false).shape == [1, 10])
    }

    @Test func vggInitialisationFollowsTheReference() {
        let network = Network.vgg(depth: 16, seed: 3)
        #expect(network.batchNorms.allSatisfy { $0.weight.value.values.allSatisfy { $0 == 0.5 } })
        // Conv weights N(0, 2/(9·out)): the sample std of the 512-filter convs is near √(2/4608).
        let conv = network.parameters.first { $0.name == "feature.40.weight" }!
        let values = conv.value.values
        let std = (values.map { Double($0 * $0) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(std - (2.0 / 4608).squareRoot()) < 1e-3)
        let classifier = network.parameters.first { $0.name == "classifier.weight" }!
        let linearStd = (classifier.value.values.map { Double($0 * $0) }.reduce(0, +) / 5120).squareRoot()
        #expect(abs(linearStd - 0.01) < 1e-3)
    }

    @Test func resnetCfgSetsInnerWidthsAndSummaryShowsBlocks() {
        let network = Network.resnet(depth: 14, cfg: [12, 16, 20, 32, 40, 64], seed: 1)
        #expect(network.channelGroups.map(\.channelCount) == [12, 16, 20, 32, 40, 64])
        #expect(network.channelGroups[0].name == "layer1.0.conv1")
        let summary = network.summary()
        #expect(summary.contains("BasicBlock(16 → 16, inner 12)"))
        #expect(summary.contains("BasicBlock(16 → 32, inner 20, stride 2)"))
        #expect(summary.contains("BasicBlock(32 → 64, inner 40, stride 2)"))
        #expect(network.forward(Tensor(shape: [1, 3, 32, 32]), training: false).shape == [1, 10])
        #expect(Network.resnet(cfg: network.cfg, seed: 2).parameterCount == network.parameterCount)
        let resnet20 = Network.resnet(depth: 20, seed: 1)
        #expect(resnet20.cfg == [16, 16, 16, 32, 32, 32, 64, 64, 64])
        #expect(resnet20.batchNorms.count == 19)
    }

    @Test func preresnetCfgLayoutAndSelections() {
        #expect(Network.preresnetDefaultCfg(depth: 11) == [16, 16, 16, 64, 32, 32, 128, 64, 64, 256])
        let network = Network.preresnet(depth: 20, seed: 1)
        #expect(network.cfg == Network.preresnetDefaultCfg(depth: 20))
        #expect(network.channelGroups.count == 3 * 6 + 1)
        #expect(network.channelGroups.map(\.cfgIndex) == Array(0..<19).map { Optional($0) })
        #expect(network.channelGroups.map(\.channelCount) == network.cfg)
        let summary = network.summary()
        #expect(summary.contains("Bottleneck(16 → 64, cfg 16/16/16)"))
        #expect(summary.contains("Bottleneck(64 → 128, cfg 64/32/32, stride 2)"))
        #expect(summary.contains("Bottleneck(128 → 128, cfg 128/32/32)"))
        #expect(summary.contains("ChannelSelection(256 of 256)"))
        // A pruned cfg builds a model that runs before its selections are set.
        let pruned = Network.preresnet(depth: 11, cfg: [10, 8, 6, 40, 20, 12, 100, 30, 20, 200], seed: 1)
        #expect(pruned.forward(Tensor(shape: [2, 3, 32, 32]), training: true).shape == [2, 10])
        #expect(pruned.channelGroups.map(\.channelCount) == pruned.cfg)
        #expect(Network.preresnet(cfg: pruned.cfg, seed: 2).parameterCount == pruned.parameterCount)
    }

    @Test func namesAreUniqueAndFollowTheStateDict() {
        for network in [Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 1),
                        Network.resnet(depth: 20, seed: 1), Network.preresnet(depth: 20, seed: 1)] {
            let names = network.state.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(names.allSatisfy { !$0.isEmpty && !$0.hasPrefix(".") })
        }
        let names = Set(Network.preresnet(depth: 11, seed: 1).state.map(\.name))
        #expect(names.isSuperset(of: ["conv1.weight", "layer1.0.bn1.running_var", "layer2.0.downsample.0.weight",
                                      "layer3.0.conv3.weight", "bn.weight", "fc.bias"]))
    }
}

