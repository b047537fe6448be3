import Tensors

extension Network {
    /// A multilayer perceptron on flattened images: Linear → ReLU for every hidden width in
    /// `cfg`, and a final Linear to `cfg.last` classes. The seed's MLP is 784-200-200-10,
    /// cfg `[200, 200, 10]`; weight pruning shrinks it to `[50, 100, 10]`.
    ///
    /// Each hidden layer is a channel group: its weight rows and bias, and the next layer's
    /// input columns.
    public static func mlp(cfg: [Int] = [200, 200, 10], inputShape: [Int] = [1, 28, 28], seed: UInt64) -> Network {
        precondition(cfg.count >= 1 && cfg.allSatisfy { $0 > 0 }, "MLP cfg must be positive widths, got \(cfg)")
        var rng = SeededGenerator(seed: seed)
        var layers: [any Layer] = [Flatten()]
        var linears: [Linear] = []
        var width = inputShape.reduce(1, *)
        for (i, out) in cfg.enumerated() {
            let linear = Linear(width, out, rng: &rng)
            linear.weight.name = "fc\(i + 1).weight"
            linear.bias?.name = "fc\(i + 1).bias"
            linears.append(linear)
            layers.append(linear)
            if i < cfg.count - 1 { layers.append(ReLU()) }
            width = out
        }
        let groups = (0..<(cfg.count - 1)).map { i in
            ChannelGroup.neurons("fc\(i + 1)", cfgIndex: i, linear: linears[i], consumers: [.inputColumns(of: linears[i + 1])])
        }
        return Network(family: .mlp, cfg: cfg, inputShape: inputShape, classCount: cfg.last!,
                       body: Sequential(layers, label: "MLP"), channelGroups: groups)
    }

    /// The seed's small CNN: for each width in `cfg` (default `[32, 64, 64]`) a 3×3 conv with
    /// padding 1 and bias, then ReLU; a 2×2 max-pool after the first two; then flatten into a
    /// Linear layer (64·7·7 = 3136 → 10 on 28×28 inputs).
    ///
    /// Groups: each conv's filters (weight rows, bias) with the next conv's input slices, and
    /// for the last conv the Linear layer's input columns in blocks of H·W per channel.
    public static func smallCNN(cfg: [Int] = [32, 64, 64], inputShape: [Int] = [1, 28, 28],
                                classCount: Int = 10, seed: UInt64) -> Network {
        precondition(cfg.count == 3 && cfg.allSatisfy { $0 > 0 }, "SmallCNN cfg must be three positive widths, got \(cfg)")
        var rng = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        var convs: [Conv2d] = []
        var channels = inputShape[0]
        var (height, width) = (inputShape[1], inputShape[2])
        for (i, out) in cfg.enumerated() {
            let conv = Conv2d(channels, out, kernel: 3, padding: 1, rng: &rng)
            conv.weight.name = "conv\(i + 1).weight"
            conv.bias?.name = "conv\(i + 1).bias"
            convs.append(conv)
            layers += [conv, ReLU()]
            if i < 2 {
                layers.append(MaxPool2d(2))
                height /= 2; width /= 2
            }
            channels = out
        }
        let classifier = Linear(channels * height * width, classCount, rng: &rng)
        classifier.weight.name = "fc.weight"
        classifier.bias?.name = "fc.bias"
        layers += [Flatten(), classifier]
        let plane = height * width
        let groups = (0..<3).map { i in
            let consumer = i < 2 ? ChannelSlice.inputChannels(of: convs[i + 1])
                                 : ChannelSlice.inputColumns(of: classifier, positionsPerChannel: plane)
            return ChannelGroup.convolution("conv\(i + 1)", cfgIndex: i, conv: convs[i], consumers: [consumer])
        }
        return Network(family: .smallCNN, cfg: cfg, inputShape: inputShape, classCount: classCount,
                       body: Sequential(layers, label: "SmallCNN"), channelGroups: groups)
    }
}
