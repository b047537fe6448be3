import Networks
import NetworkTestSupport
import Tensors
@testable import Pruning

// Small hand-built networks that exercise what the MLP and SmallCNN do not: BatchNorm groups
// (as VGG), a ChannelSelection group (as the pre-activation ResNet), and residual containers.

/// conv→BN→ReLU→pool, twice, then conv→BN→ReLU→flatten→Linear on 3×8×8; cfg [6, 8, 5, 4].
func tinyVGG(seed: UInt64, widths: [Int] = [6, 8, 5]) -> Network {
    var rng = SeededGenerator(seed: seed)
    var layers: [any Layer] = []
    var convs: [Conv2d] = [], norms: [BatchNorm2d] = []
    var channels = 3
    for (i, out) in widths.enumerated() {
        let conv = Conv2d(channels, out, kernel: 3, padding: 1, bias: false, rng: &rng)
        conv.weight.name = "conv\(i + 1).weight"
        let norm = BatchNorm2d(out)
        norm.weight.name = "bn\(i + 1).weight"
        randomizeStatistics(of: [norm], rng: &rng)
        convs.append(conv); norms.append(norm)
        layers += [conv, norm, ReLU()]
        if i < 2 { layers.append(MaxPool2d(2)) }
        channels = out
    }
    let classifier = Linear(channels * 4, 4, rng: &rng)
    classifier.weight.name = "fc.weight"
    layers += [Flatten(), classifier]
    let groups = (0..<3).map { i -> ChannelGroup in
        let n = norms[i]
        let consumer = i < 2 ? ChannelSlice.inputChannels(of: convs[i + 1])
                             : ChannelSlice.inputColumns(of: classifier, positionsPerChannel: 4)
        return ChannelGroup.convolution("conv\(i + 1)", cfgIndex: i, conv: convs[i], batchNorm: n, consumers: [consumer])
    }
    return Network(family: .custom, cfg: widths + [4], inputShape: [3, 8, 8], classCount: 4,
                   body: Sequential(layers, label: "TinyVGG"), channelGroups: groups)
}

/// conv0 → BN0 → ChannelSelection → ReLU → conv1 → BN1 → ReLU → conv2 → flatten → Linear on
/// 2×6×6. Group `select` is the selection after the whole BN0 (as resprune.py); group `conv1`
/// the inner channels. cfg [6, 4, 3].
func selectionNetwork(seed: UInt64) -> (Network, ChannelSelection) {
    var rng = SeededGenerator(seed: seed)
    let conv0 = Conv2d(2, 6, kernel: 3, padding: 1, rng: &rng)
    let bn0 = BatchNorm2d(6); randomizeStatistics(of: [bn0], rng: &rng)
    let select = ChannelSelection(6)
    let conv1 = Conv2d(6, 4, kernel: 3, padding: 1, bias: false, rng: &rng)
    let bn1 = BatchNorm2d(4); randomizeStatistics(of: [bn1], rng: &rng)
    let conv2 = Conv2d(4, 3, kernel: 1, rng: &rng)
    let fc = Linear(3 * 36, 5, rng: &rng)
    let body = Sequential([conv0, bn0, select, ReLU(), conv1, bn1, ReLU(), conv2, Flatten(), fc])
    let groups = [
        ChannelGroup.selected("select", cfgIndex: 0, by: select, after: bn0, consumers: [.inputChannels(of: conv1)]),
        ChannelGroup.convolution("conv1", cfgIndex: 1, conv: conv1, batchNorm: bn1, consumers: [.inputChannels(of: conv2)]),
    ]
    return (Network(family: .custom, cfg: [6, 4, 3], inputShape: [2, 6, 6], classCount: 5, body: body,
                    channelGroups: groups), select)
}

/// main(x) + shortcut(x): a residual block whose children are [main path, shortcut].
final class TestResidualBlock: Layer {
    let main: Sequential
    let shortcut: Sequential
    init(main: Sequential, shortcut: Sequential) { self.main = main; self.shortcut = shortcut }
    var summary: String { "TestResidualBlock" }
    var children: [any Layer] { [main, shortcut] }
    func forward(_ input: Tensor, training: Bool) -> Tensor {
        let y = main.forward(input, training: training)
        y.add(shortcut.forward(input, training: training))
        return y
    }
    func backward(_ gradOutput: Tensor) -> Tensor { fatalError("not needed in these tests") }
    func outputShape(for inputShape: [Int]) -> [Int] { main.outputShape(for: inputShape) }
}

/// The same block, telling the cost counter that both children see the block input.
final class TracedResidualBlock: Layer, ShapeTracing {
    let block: TestResidualBlock
    init(_ block: TestResidualBlock) { self.block = block }
    var summary: String { "TracedResidualBlock" }
    var children: [any Layer] { block.children }
    func forward(_ input: Tensor, training: Bool) -> Tensor { block.forward(input, training: training) }
    func backward(_ gradOutput: Tensor) -> Tensor { fatalError("not needed in these tests") }
    func outputShape(for inputShape: [Int]) -> [Int] { block.outputShape(for: inputShape) }
    func childInputShapes(for inputShape: [Int]) -> [[Int]] { [inputShape, inputShape] }
}

/// A fixed random input batch for a network.
func sampleInput(for network: Network, batch: Int = 5, seed: UInt64 = 99) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return .uniform([batch] + network.inputShape, low: -1, high: 1, using: &rng)
}

/// Largest difference between the eval-mode outputs of two networks on the same input.
func outputDifference(_ a: Network, _ b: Network, input: Tensor) -> Float {
    a.forward(input, training: false).maxAbsDifference(b.forward(input, training: false))
}
