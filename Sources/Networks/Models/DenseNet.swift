import Tensors

extension Network {
    /// network-slimming's default cfg for a DenseNet of depth 3n+4 and growth rate k: for each
    /// of the three blocks, the channels each of its n dense layers reads, then the channels the
    /// transition (or, after the last block, the final selection) reads. Unpruned, every layer
    /// reads all it receives: 2k, 3k, … in the first block (compression 1: a transition passes
    /// on as many channels as it reads). 3n+3 numbers.
    public static func denseNetDefaultCfg(depth: Int, growthRate: Int = 12) -> [Int] {
        precondition(depth >= 7 && (depth - 4) % 3 == 0, "DenseNet depth must be 3n+4 (40, …), got \(depth)")
        precondition(growthRate > 0, "the growth rate must be positive, got \(growthRate)")
        let n = (depth - 4) / 3
        var cfg: [Int] = []
        var channels = 2 * growthRate
        for _ in 0..<3 {
            for _ in 0...n {
                cfg.append(channels)
                channels += growthRate
            }
            channels -= growthRate  // the transition adds no channels
        }
        return cfg
    }

    /// The growth rate a width multiplier stands for in a DenseNet's spec: 12 · multiplier,
    /// rounded (the multiplier of a DenseNet is its growth rate over 12).
    public static func denseNetGrowthRate(widthMultiplier: Double) -> Int { scaledWidth(12, by: widthMultiplier) }

    /// The DenseNet without bottleneck or compression of network-slimming's `models/densenet.py`
    /// (DenseNet-40 with growth rate 12 is the paper's), depth 3n+4, no dropout.
    ///
    /// A 3×3 stem conv to 2k channels (no bias); three dense blocks of n `DenseLayer`s, each
    /// adding k channels (BN → ChannelSelection → ReLU → 3×3 conv, output concatenated to its
    /// input); between blocks a `DenseTransition` (BN → ChannelSelection → ReLU → 1×1 conv to as
    /// many channels as come in → 2×2 average pool); then BN → ChannelSelection → ReLU → 8×8
    /// average pool → flatten → `Linear(selected channels · positions → classCount)`.
    ///
    /// - `depth`: 3n+4; 40 when neither depth nor cfg is given, else the depth the cfg implies.
    /// - `growthRate`: k. `Network.make` derives it from the width multiplier (12 · multiplier),
    ///   and the network's `widthMultiplier` is k/12, so its spec rebuilds it.
    /// - `cfg`: network-slimming's layout (see `denseNetDefaultCfg`): the channels each
    ///   selection keeps. A selection keeping c channels starts with the first c; surgery or a
    ///   checkpoint sets the real indices.
    ///
    /// Initialisation as the reference: conv weights N(0, 2/(k·k·out)), BN γ = 0.5 and β = 0,
    /// Linear as PyTorch's default. Parameters are named as the reference's state dict:
    /// `conv1.weight`, `dense1.0.bn1.weight`, `dense1.0.conv1.weight`, `trans1.bn1.weight`,
    /// `trans1.conv1.weight`, `bn.weight`, `fc.weight`, ….
    ///
    /// Channel groups, one per selection and cfg entry, in cfg order (as denseprune.py): the
    /// channels a dense layer's (or transition's) selection passes to its conv (that conv's
    /// input slices, scaled by the BN's γ through the selection), named `dense2.5.select`,
    /// `trans1.select`; and the channels the final selection keeps (the classifier's input
    /// columns), `select`. The concatenated features and the convs' filters are never pruned.
    public static func denseNet(depth: Int? = nil, growthRate: Int = 12, cfg: [Int]? = nil,
                                inputShape: [Int] = [3, 32, 32], classCount: Int = 10, seed: UInt64) -> Network {
        let depth = depth ?? cfg.map { $0.count + 1 } ?? 40
        let full = denseNetDefaultCfg(depth: depth, growthRate: growthRate)
        let cfg = cfg ?? full
        precondition(cfg.count == full.count && zip(cfg, full).allSatisfy { (1...$1).contains($0) },
                     "a DenseNet-\(depth) cfg needs \(full.count) numbers, each between 1 and the channels that reach its selection \(full), got \(cfg)")
        let n = (depth - 4) / 3
        var rng = SeededGenerator(seed: seed)

        let stem = Conv2d(inputShape[0], 2 * growthRate, kernel: 3, padding: 1, bias: false, rng: &rng)
        stem.kaimingNormalInit(rng: &rng)
        stem.nameParameters("conv1")
        var layers: [any Layer] = [stem]

        var groups: [ChannelGroup] = []
        var channels = 2 * growthRate
        for stage in 0..<3 {
            var block: [any Layer] = []
            for index in 0..<n {
                let c = stage * (n + 1) + index
                let layer = DenseLayer(inputChannels: channels, selectedChannels: cfg[c], growthRate: growthRate,
                                       name: "dense\(stage + 1).\(index)", rng: &rng)
                block.append(layer)
                groups.append(.selected("\(layer.name).select", cfgIndex: c, by: layer.select, after: layer.bn1,
                                        consumers: [.inputChannels(of: layer.conv1)]))
                channels += growthRate
            }
            layers.append(Sequential(block, label: "dense\(stage + 1)"))
            guard stage < 2 else { break }
            let c = stage * (n + 1) + n
            let transition = DenseTransition(inputChannels: channels, selectedChannels: cfg[c], outputChannels: channels,
                                             name: "trans\(stage + 1)", rng: &rng)
            layers.append(transition)
            groups.append(.selected("\(transition.name).select", cfgIndex: c, by: transition.select, after: transition.bn1,
                                    consumers: [.inputChannels(of: transition.conv1)]))
        }

        let finalNorm = BatchNorm2d(channels, gamma: 0.5)
        finalNorm.nameParameters("bn")
        let finalSelect = ChannelSelection(channels)
        finalSelect.indices = Array(0..<cfg.last!)
        let positions = (inputShape[1] / 32) * (inputShape[2] / 32)
        precondition(positions > 0, "DenseNet needs inputs of at least 32×32, got \(inputShape)")
        let classifier = Linear(cfg.last! * positions, classCount, rng: &rng)
        classifier.nameParameters("fc")
        layers += [finalNorm, finalSelect, ReLU(), AvgPool2d(8), Flatten(), classifier]
        groups.append(.selected("select", cfgIndex: cfg.count - 1, by: finalSelect, after: finalNorm,
                                consumers: [.inputColumns(of: classifier, positionsPerChannel: positions)]))

        let network = Network(family: .densenet, cfg: cfg, inputShape: inputShape, classCount: classCount,
                              body: Sequential(layers, label: "DenseNet-\(depth) (k = \(growthRate))"), channelGroups: groups)
        network.depth = depth
        network.widthMultiplier = Double(growthRate) / 12
        return network
    }
}
