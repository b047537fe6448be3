import Tensors

extension Network {
    /// The CIFAR ResNet with BasicBlocks of rethinking-network-pruning's L1-norm pruning
    /// (`models/resnet.py`): depth 6n+2 (ResNet-20, -56, -110; the seed's ResNet-14 is n = 2).
    ///
    /// A 3×3 stem conv (16 filters, no bias) → BN → ReLU; three stages of n blocks with 16, 32
    /// and 64 output channels, the second and third starting with stride 2 and the
    /// parameter-free `ZeroPaddingShortcut`; an 8×8 average pool, a flatten and
    /// `Linear(64 · positions → classCount)`.
    ///
    /// - `depth`: 6n+2; 56 when neither depth nor cfg is given, else the depth the cfg implies.
    /// - `cfg`: one number per block, the width of its first conv (its inner channels), as the
    ///   reference's cfg; by default the stage width. An explicit cfg is used as given.
    /// - `widthMultiplier`: scales the stem and stage widths (and the default cfg), rounded,
    ///   at least 1; 1 is the reference model.
    ///
    /// Initialisation as the reference: conv weights N(0, 2/(k·k·out)), BN γ = 1 and β = 0,
    /// Linear as PyTorch's default. Parameters are named `conv1.weight`, `bn1.weight`,
    /// `layer1.0.conv1.weight`, …, `fc.weight`, as its state dict.
    ///
    /// Channel groups: one per block, its inner channels (conv1's filters, bn1's four vectors,
    /// conv2's input slices); cfgIndex = the block's index. Block outputs are tied to the
    /// shortcuts and are in no group.
    public static func resnet(depth: Int? = nil, cfg: [Int]? = nil, widthMultiplier: Double = 1,
                              inputShape: [Int] = [3, 32, 32], classCount: Int = 10, seed: UInt64) -> Network {
        let depth = depth ?? cfg.map { 2 * $0.count + 2 } ?? 56
        precondition(depth >= 8 && (depth - 2) % 6 == 0, "ResNet depth must be 6n+2 (20, 56, 110, …), got \(depth)")
        precondition(widthMultiplier > 0, "the width multiplier must be positive, got \(widthMultiplier)")
        let n = (depth - 2) / 6
        let stageWidths = [16, 32, 64].map { scaledWidth($0, by: widthMultiplier) }
        let cfg = cfg ?? stageWidths.flatMap { Array(repeating: $0, count: n) }
        precondition(cfg.count == 3 * n && cfg.allSatisfy { $0 > 0 },
                     "a ResNet-\(depth) cfg needs \(3 * n) positive widths (one per block), got \(cfg)")
        var rng = SeededGenerator(seed: seed)

        let stem = Conv2d(inputShape[0], stageWidths[0], kernel: 3, padding: 1, bias: false, rng: &rng)
        stem.kaimingNormalInit(rng: &rng)
        stem.nameParameters("conv1")
        let stemNorm = BatchNorm2d(stageWidths[0])
        stemNorm.nameParameters("bn1")
        var layers: [any Layer] = [stem, stemNorm, ReLU()]

        var blocks: [BasicBlock] = []
        var channels = stageWidths[0]
        for (stage, width) in stageWidths.enumerated() {
            var stageBlocks: [any Layer] = []
            for index in 0..<n {
                let block = BasicBlock(inputChannels: channels, innerChannels: cfg[stage * n + index],
                                       outputChannels: width, stride: stage > 0 && index == 0 ? 2 : 1,
                                       name: "layer\(stage + 1).\(index)", rng: &rng)
                stageBlocks.append(block)
                blocks.append(block)
                channels = width
            }
            layers.append(Sequential(stageBlocks, label: "layer\(stage + 1)"))
        }
        let positions = (inputShape[1] / 32) * (inputShape[2] / 32)
        precondition(positions > 0, "ResNet needs inputs of at least 32×32, got \(inputShape)")
        let classifier = Linear(channels * positions, classCount, rng: &rng)
        classifier.nameParameters("fc")
        layers += [AvgPool2d(8), Flatten(), classifier]

        let groups = blocks.enumerated().map { index, block in
            ChannelGroup.convolution("\(block.name).conv1", cfgIndex: index, conv: block.conv1, batchNorm: block.bn1,
                                     consumers: [.inputChannels(of: block.conv2)])
        }
        let network = Network(family: .resnet, cfg: cfg, inputShape: inputShape, classCount: classCount,
                              body: Sequential(layers, label: "ResNet-\(depth)"), channelGroups: groups)
        network.depth = depth
        network.widthMultiplier = widthMultiplier
        return network
    }

    /// A width scaled by the multiplier, rounded, at least 1.
    static func scaledWidth(_ width: Int, by multiplier: Double) -> Int {
        max(1, Int((Double(width) * multiplier).rounded()))
    }
}
