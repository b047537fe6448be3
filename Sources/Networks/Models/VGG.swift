import Tensors

extension Network {
    /// network-slimming's VGG layouts for CIFAR: conv widths, with `nil` where a 2×2 max-pool sits.
    public static func vggLayout(depth: Int) -> [Int?] {
        switch depth {
        case 11: return [64, nil, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512]
        case 13: return [64, 64, nil, 128, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512]
        case 16: return [64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512]
        case 19: return [64, 64, nil, 128, 128, nil, 256, 256, 256, 256, nil, 512, 512, 512, 512, nil, 512, 512, 512, 512]
        default: preconditionFailure("VGG depth must be 11, 13, 16 or 19, got \(depth)")
        }
    }

    /// VGG with BatchNorm as network-slimming's `models/vgg.py`: for every width a 3×3 conv
    /// (padding 1, no bias) → BatchNorm → ReLU, a 2×2 max-pool at each `nil`; then a 2×2
    /// average pool, a flatten and `Linear(last width · positions → classCount)` (one position
    /// on 32×32 inputs).
    ///
    /// - `depth`: 11, 13, 16 or 19 (19 when neither depth nor cfg is given).
    /// - `cfg`: the layout, overriding `depth`. It may list only the conv widths (as
    ///   `Network.cfg` stores them, e.g. after pruning); the max-pools then sit where the
    ///   layout of the depth with that many convs has them (8, 10, 13, 16 convs for depth 11,
    ///   13, 16, 19), so `.vgg(cfg: network.cfg, seed: s)` rebuilds a pruned VGG. An explicit
    ///   cfg is used as given.
    /// - `widthMultiplier`: scales every width of the default layout (rounded, at least 1),
    ///   e.g. 0.25 for CPU-sized runs.
    ///
    /// Initialisation as the reference: conv weights N(0, 2/(k·k·out)), BN γ = 0.5 and β = 0,
    /// Linear N(0, 0.01) with zero bias. Parameters are named `feature.<i>.weight`,
    /// `classifier.weight`, … as in its state dict.
    ///
    /// Channel groups: one per conv (its filters, its BatchNorm's four vectors and the next
    /// conv's input slices, or for the last conv the classifier's input columns in blocks of
    /// the positions left after the average pool); cfgIndex = the conv's index in `cfg`.
    public static func vgg(depth: Int? = nil, cfg: [Int?]? = nil, widthMultiplier: Double = 1,
                           inputShape: [Int] = [3, 32, 32], classCount: Int = 10, seed: UInt64) -> Network {
        let layout = vggResolvedLayout(depth: depth, cfg: cfg, widthMultiplier: widthMultiplier)
        var rng = SeededGenerator(seed: seed)
        var features: [any Layer] = []
        var convs: [Conv2d] = []
        var norms: [BatchNorm2d] = []
        var convNames: [String] = []
        var channels = inputShape[0]
        var (height, width) = (inputShape[1], inputShape[2])
        for entry in layout {
            guard let out = entry else {
                features.append(MaxPool2d(2))
                height /= 2; width /= 2
                continue
            }
            let conv = Conv2d(channels, out, kernel: 3, padding: 1, bias: false, rng: &rng)
            conv.kaimingNormalInit(rng: &rng)
            convNames.append("feature.\(features.count)")
            conv.nameParameters(convNames.last!)
            let norm = BatchNorm2d(out, gamma: 0.5)
            norm.nameParameters("feature.\(features.count + 1)")
            features += [conv, norm, ReLU()]
            convs.append(conv); norms.append(norm)
            channels = out
        }
        height /= 2; width /= 2   // the average pool after the features
        precondition(height > 0 && width > 0, "input \(inputShape) is too small for \(layout.filter { $0 == nil }.count) max-pools and the average pool")
        let positions = height * width
        let classifier = Linear(channels * positions, classCount, rng: &rng)
        classifier.weight.value = .normal(classifier.weight.shape, std: 0.01, using: &rng)
        classifier.bias!.value.zero()
        classifier.nameParameters("classifier")

        let groups = convs.indices.map { i in
            let consumer = i + 1 < convs.count ? ChannelSlice.inputChannels(of: convs[i + 1])
                                               : ChannelSlice.inputColumns(of: classifier, positionsPerChannel: positions)
            return ChannelGroup.convolution(convNames[i], cfgIndex: i, conv: convs[i], batchNorm: norms[i], consumers: [consumer])
        }
        let body = Sequential([Sequential(features, label: "feature"), AvgPool2d(2), Flatten(), classifier],
                              label: "VGG-\(convs.count + 3)")
        let network = Network(family: .vgg, cfg: convs.map(\.outChannels), inputShape: inputShape,
                              classCount: classCount, body: body, channelGroups: groups)
        network.depth = depth
        network.widthMultiplier = widthMultiplier
        return network
    }

    /// The layout to build: the explicit cfg (with the max-pools filled in when it lists only
    /// widths), or the depth's layout scaled by the width multiplier.
    static func vggResolvedLayout(depth: Int?, cfg: [Int?]?, widthMultiplier: Double) -> [Int?] {
        guard let cfg else {
            precondition(widthMultiplier > 0, "the width multiplier must be positive, got \(widthMultiplier)")
            return vggLayout(depth: depth ?? 19).map { $0.map { scaledWidth($0, by: widthMultiplier) } }
        }
        precondition(!cfg.isEmpty && cfg.allSatisfy { $0 == nil || $0! > 0 }, "VGG widths must be positive, got \(cfg)")
        if cfg.contains(where: { $0 == nil }) { return cfg }
        let depths = depth.map { [$0] } ?? [11, 13, 16, 19]
        guard let match = depths.first(where: { vggLayout(depth: $0).compactMap { $0 }.count == cfg.count }) else {
            preconditionFailure("a VGG cfg of widths only needs 8, 10, 13 or 16 numbers (VGG-11, -13, -16, -19)"
                                + (depth.map { " and \(vggLayout(depth: $0).compactMap { $0 }.count) for VGG-\($0)" } ?? "")
                                + ", got \(cfg.count)")
        }
        var widths = cfg.makeIterator()
        return vggLayout(depth: match).map { $0 == nil ? nil : widths.next()! }
    }
}
