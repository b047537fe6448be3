import Tensors

extension Network {
    /// network-slimming's default cfg for a pre-activation ResNet of depth 9n+2: three numbers
    /// per block (channels kept by its selection, conv1's filters, conv2's filters) and one
    /// final number (channels kept by the last selection), with widths scaled by the multiplier.
    public static func preresnetDefaultCfg(depth: Int, widthMultiplier: Double = 1) -> [Int] {
        precondition(depth >= 11 && (depth - 2) % 9 == 0, "PreResNet depth must be 9n+2 (164, …), got \(depth)")
        let n = (depth - 2) / 9
        var cfg: [Int] = []
        var inputChannels = scaledWidth(16, by: widthMultiplier)
        for planes in [16, 32, 64].map({ scaledWidth($0, by: widthMultiplier) }) {
            for _ in 0..<n {
                cfg += [inputChannels, planes, planes]
                inputChannels = planes * 4
            }
        }
        cfg.append(inputChannels)
        return cfg
    }

    /// The pre-activation ResNet with Bottleneck blocks of network-slimming's
    /// `models/preresnet.py`: depth 9n+2 (ResNet-164 is n = 18).
    ///
    /// A 3×3 stem conv (16 filters, no bias); three stages of n `Bottleneck`s with planes 16,
    /// 32, 64 (outputs planes × 4), the second and third starting with stride 2, a 1×1 conv
    /// shortcut where shapes change; then BN → ChannelSelection → ReLU → 8×8 average pool →
    /// flatten → `Linear(selected channels · positions → classCount)`.
    ///
    /// - `depth`: 9n+2; 164 when neither depth nor cfg is given, else the depth the cfg implies.
    /// - `cfg`: network-slimming's layout (see `preresnetDefaultCfg`), used as given. A
    ///   selection keeping k channels starts with the first k; surgery or a checkpoint sets
    ///   the real indices.
    /// - `widthMultiplier`: scales the stem width and the planes (and the default cfg).
    ///
    /// Initialisation as the reference: conv weights N(0, 2/(k·k·out)), BN γ = 0.5 and β = 0,
    /// Linear as PyTorch's default. Parameters are named `conv1.weight`,
    /// `layer1.0.bn1.weight`, `layer2.0.downsample.0.weight`, `bn.weight`, `fc.weight`, ….
    ///
    /// Channel groups, per block b (cfgIndex 3b, 3b+1, 3b+2): the channels its selection keeps
    /// (conv1's input slices; scaled by bn1's γ through the selection), conv1's filters (with
    /// bn2 and conv2's input slices), conv2's filters (with bn3 and conv3's input slices); and
    /// the channels the final selection keeps (the classifier's input columns, scaled by the
    /// final BN's γ), cfgIndex = the last.
    public static func preresnet(depth: Int? = nil, cfg: [Int]? = nil, widthMultiplier: Double = 1,
                                 inputShape: [Int] = [3, 32, 32], classCount: Int = 10, seed: UInt64) -> Network {
        let depth = depth ?? cfg.map { $0.count + 1 } ?? 164
        precondition(widthMultiplier > 0, "the width multiplier must be positive, got \(widthMultiplier)")
        let standard = preresnetDefaultCfg(depth: depth, widthMultiplier: widthMultiplier)
        let cfg = cfg ?? standard
        let n = (depth - 2) / 9
        precondition(cfg.count == 9 * n + 1 && cfg.allSatisfy { $0 > 0 },
                     "a PreResNet-\(depth) cfg needs \(9 * n + 1) positive numbers (three per block and one final), got \(cfg)")
        var rng = SeededGenerator(seed: seed)

        let stemWidth = scaledWidth(16, by: widthMultiplier)
        let stem = Conv2d(inputShape[0], stemWidth, kernel: 3, padding: 1, bias: false, rng: &rng)
        stem.kaimingNormalInit(rng: &rng)
        stem.nameParameters("conv1")
        var layers: [any Layer] = [stem]

        var blocks: [Bottleneck] = []
        var channels = stemWidth
        for (stage, planes) in [16, 32, 64].enumerated() {
            let outputChannels = scaledWidth(planes, by: widthMultiplier) * 4
            var stageBlocks: [any Layer] = []
            for index in 0..<n {
                let b = blocks.count
                let block = Bottleneck(inputChannels: channels, outputChannels: outputChannels,
                                       cfg: Array(cfg[(3 * b)..<(3 * b + 3)]), stride: stage > 0 && index == 0 ? 2 : 1,
                                       name: "layer\(stage + 1).\(index)", rng: &rng)
                stageBlocks.append(block)
                blocks.append(block)
                channels = outputChannels
            }
            layers.append(Sequential(stageBlocks, label: "layer\(stage + 1)"))
        }
        precondition(cfg.last! <= channels, "the final selection can keep at most \(channels) channels, got \(cfg.last!)")
        let finalNorm = BatchNorm2d(channels, gamma: 0.5)
        finalNorm.nameParameters("bn")
        let finalSelect = ChannelSelection(channels)
        finalSelect.indices = Array(0..<cfg.last!)
        let positions = (inputShape[1] / 32) * (inputShape[2] / 32)
        precondition(positions > 0, "PreResNet needs inputs of at least 32×32, got \(inputShape)")
        let classifier = Linear(cfg.last! * positions, classCount, rng: &rng)
        classifier.nameParameters("fc")
        layers += [finalNorm, finalSelect, ReLU(), AvgPool2d(8), Flatten(), classifier]

        var groups: [ChannelGroup] = []
        for (b, block) in blocks.enumerated() {
            groups += [
                .selected("\(block.name).select", cfgIndex: 3 * b, by: block.select, after: block.bn1,
                          consumers: [.inputChannels(of: block.conv1)]),
                .convolution("\(block.name).conv1", cfgIndex: 3 * b + 1, conv: block.conv1, batchNorm: block.bn2,
                             consumers: [.inputChannels(of: block.conv2)]),
                .convolution("\(block.name).conv2", cfgIndex: 3 * b + 2, conv: block.conv2, batchNorm: block.bn3,
                             consumers: [.inputChannels(of: block.conv3)]),
            ]
        }
        groups.append(.selected("select", cfgIndex: cfg.count - 1, by: finalSelect, after: finalNorm,
                                consumers: [.inputColumns(of: classifier, positionsPerChannel: positions)]))
        let network = Network(family: .preresnet, cfg: cfg, inputShape: inputShape, classCount: classCount,
                              body: Sequential(layers, label: "PreResNet-\(depth)"), channelGroups: groups)
        network.depth = depth
        network.widthMultiplier = widthMultiplier
        return network
    }
}
