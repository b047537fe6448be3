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

    /// DenseNet-40 with growth rate 12 (the paper's 1.06M; tools/make_densenet_fixtures.py
    /// prints it, and network-slimming's `densenet(depth=40)` has the same weights plus 9,360
    /// channel-selection flags). By hand: stem 3·24·9 = 648; each dense layer reading c
    /// channels 2c + 9·12·c = 110c, over c = 24, 36, …, 156, then 168, …, 300, then 312, …, 444
    /// (Σc = 8,424): 926,640; transitions 2c + c² at c = 168 and 312: 126,528; final BN
    /// 2·456 = 912; classifier 456·10 + 10 = 4,570.
    @Test func denseNet40ParameterCountEqualsTheReference() {
        let hand = 648 + 110 * 8_424 + (2 * 168 + 168 * 168) + (2 * 312 + 312 * 312) + 912 + 4_570
        #expect(hand == 1_059_298)
        #expect(Network.denseNet(depth: 40, growthRate: 12, seed: 1).parameterCount == 1_059_298)
        #expect(Network.make(.densenet, inputShape: [3, 32, 32], seed: 1).parameterCount == 1_059_298)
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

    @Test func denseNetCfgLayoutAndSelections() throws {
        #expect(Network.denseNetDefaultCfg(depth: 10, growthRate: 4) == [8, 12, 16, 16, 20, 24, 24, 28, 32])
        let full = Network.denseNetDefaultCfg(depth: 40)
        #expect(full.count == 39 && full[0] == 24 && full[12] == 168 && full[13] == 168 && full[25] == 312 && full[38] == 456)

        let network = Network.denseNet(depth: 16, growthRate: 6, seed: 1)
        #expect(network.cfg == Network.denseNetDefaultCfg(depth: 16, growthRate: 6))
        #expect(network.depth == 16 && network.widthMultiplier == 0.5)
        #expect(network.channelGroups.count == 15)
        #expect(network.channelGroups.map(\.cfgIndex) == Array(0..<15).map { Optional($0) })
        #expect(network.channelGroups.map(\.channelCount) == network.cfg)
        #expect(network.channelGroups.map(\.name).prefix(6) == ["dense1.0.select", "dense1.1.select", "dense1.2.select",
                                                                "dense1.3.select", "trans1.select", "dense2.0.select"])
        #expect(network.channelGroups.last!.name == "select")
        // Every group is a selection after a whole BatchNorm: no producer, nothing of the features removed.
        #expect(network.channelGroups.allSatisfy { $0.producer == nil && $0.batchNormSelection != nil && $0.slices.count == 1 })
        let summary = network.summary()
        #expect(summary.contains("DenseLayer(12 → 18, reads 12)"))
        #expect(summary.contains("Transition(36 → 36, reads 36)"))
        #expect(summary.contains("DenseLayer(78 → 84, reads 78)"))
        #expect(summary.contains("ChannelSelection(84 of 84)"))
        #expect(network.forward(Tensor(shape: [2, 3, 32, 32]), training: false).shape == [2, 10])

        // Fashion-MNIST, padded to 32×32, and a larger input (four positions per channel).
        let gray = Network.make(.densenet, depth: 7, widthMultiplier: 0.25, inputShape: [1, 32, 32], seed: 1)
        #expect(gray.forward(Tensor(shape: [2, 1, 32, 32]), training: true).shape == [2, 10])
        let large = Network.denseNet(depth: 7, growthRate: 3, inputShape: [3, 64, 64], classCount: 5, seed: 1)
        #expect(large.forward(Tensor(shape: [1, 3, 64, 64]), training: false).shape == [1, 5])
        #expect(large.parameters.first { $0.name == "fc.weight" }!.shape == [5, 15 * 4])

        // A pruned cfg builds a model that runs before its selections are set, and its spec rebuilds it.
        let pruned = Network.make(.densenet, depth: 10, cfg: [5, 9, 10, 12, 15, 20, 18, 21, 25], widthMultiplier: 1.0 / 3,
                                  inputShape: [3, 32, 32], seed: 1)
        #expect(pruned.forward(Tensor(shape: [2, 3, 32, 32]), training: true).shape == [2, 10])
        #expect(pruned.channelGroups.map(\.channelCount) == pruned.cfg)
        #expect(pruned.spec.depth == 10 && Network.denseNetGrowthRate(widthMultiplier: pruned.spec.widthMultiplier) == 4)
        #expect(try Network.build(pruned.spec, seed: 2).parameterCount == pruned.parameterCount)
        #expect(Network.denseNet(cfg: pruned.cfg, seed: 1).depth == 10)
    }

    @Test func denseNetSpecsThatDoNotFitAreRefused() {
        func refused(_ cfg: [Int], depth: Int? = 10, input: [Int] = [3, 32, 32]) -> Bool {
            let spec = ModelSpec(family: .densenet, cfg: cfg, inputShape: input, classCount: 10, depth: depth, widthMultiplier: 1.0 / 3)
            return (try? Network.build(spec, seed: 1)) == nil
        }
        let full = Network.denseNetDefaultCfg(depth: 10, growthRate: 4)
        #expect(!refused(full))
        #expect(!refused(full, depth: nil))
        #expect(refused(full, depth: 11), "depth 11 is not 3n+4")
        #expect(refused(Array(full.dropLast())), "one cfg number short")
        #expect(refused(full.enumerated().map { $0 == 4 ? $1 + 1 : $1 }), "a selection keeping more than reach it")
        #expect(refused(full, input: [1, 28, 28]), "28×28 inputs must be padded to 32×32")
        #expect(ModelFamily(rawValue: "densenet") == .densenet && ModelFamily.densenet.isDeep)
    }

    @Test func namesAreUniqueAndFollowTheStateDict() {
        for network in [Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 1),
                        Network.resnet(depth: 20, seed: 1), Network.preresnet(depth: 20, seed: 1),
                        Network.denseNet(depth: 13, growthRate: 4, seed: 1)] {
            let names = network.state.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(names.allSatisfy { !$0.isEmpty && !$0.hasPrefix(".") })
        }
        let names = Set(Network.preresnet(depth: 11, seed: 1).state.map(\.name))
        #expect(names.isSuperset(of: ["conv1.weight", "layer1.0.bn1.running_var", "layer2.0.downsample.0.weight",
                                      "layer3.0.conv3.weight", "bn.weight", "fc.bias"]))
        let denseNames = Set(Network.denseNet(depth: 10, growthRate: 4, seed: 1).state.map(\.name))
        #expect(denseNames.isSuperset(of: ["conv1.weight", "dense1.0.bn1.weight", "dense1.1.conv1.weight", "trans1.bn1.running_mean",
                                           "trans2.conv1.weight", "dense3.1.bn1.bias", "bn.running_var", "fc.weight"]))
    }
}

