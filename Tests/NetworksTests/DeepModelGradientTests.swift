import Networks
import NetworkTestSupport
import Tensors
import Testing

/// Finite-difference checks of the residual and dense layers' backward passes.
@Suite("Deep model gradients")
struct DeepModelGradientTests {
    static func input(_ shape: [Int], seed: UInt64 = 3) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return .normal(shape, using: &rng)
    }

    /// Random γ and β (and running statistics) so the BatchNorms inside a block are not at
    /// their plain initial values.
    static func perturbNorms(_ layer: any Layer, seed: UInt64 = 9) {
        var rng = SeededGenerator(seed: seed)
        randomizeStatistics(of: layer.allLayers.compactMap { $0 as? BatchNorm2d }, rng: &rng)
    }

    @Test func zeroPaddingShortcutMatchesFiniteDifferences() {
        let shortcut = ZeroPaddingShortcut(inputChannels: 3, outputChannels: 5, stride: 2)
        let x = Self.input([2, 3, 6, 6])
        let y = shortcut.forward(x, training: true)
        #expect(y.shape == [2, 5, 3, 3])
        // Channel 0 of image 1 at (1, 2) is the mean of its 2×2 window; appended channels are zero.
        let window = [x[1, 0, 2, 4], x[1, 0, 2, 5], x[1, 0, 3, 4], x[1, 0, 3, 5]]
        #expect(abs(y[1, 0, 1, 2] - window.reduce(0, +) / 4) < 1e-6)
        #expect((0..<9).allSatisfy { y.data[(1 * 5 + 4) * 9 + $0] == 0 })
        let check = DeepModelGradientCheck.check(shortcut, input: x, samples: 200)
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    @Test func basicBlockWithIdentityShortcutMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 1)
        let block = BasicBlock(inputChannels: 4, innerChannels: 3, outputChannels: 4, name: "block", rng: &rng)
        Self.perturbNorms(block)
        #expect(block.shortcut == nil)
        let check = DeepModelGradientCheck.check(block, input: Self.input([2, 4, 3, 3]))
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    @Test func basicBlockWithZeroPaddingShortcutMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 2)
        let block = BasicBlock(inputChannels: 3, innerChannels: 2, outputChannels: 6, stride: 2, name: "block", rng: &rng)
        Self.perturbNorms(block)
        #expect(block.shortcut != nil)
        #expect(block.outputShape(for: [2, 3, 6, 6]) == [2, 6, 3, 3])
        let check = DeepModelGradientCheck.check(block, input: Self.input([2, 3, 4, 4]))
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    @Test func bottleneckWithConvShortcutMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 3)
        let block = Bottleneck(inputChannels: 4, outputChannels: 8, cfg: [4, 3, 2], stride: 2, name: "block", rng: &rng)
        Self.perturbNorms(block)
        #expect(block.downsample != nil)
        let check = DeepModelGradientCheck.check(block, input: Self.input([2, 4, 4, 4]))
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    /// The selection keeps channels 0, 2, 5 of 6: the gradient of the dropped ones must come
    /// only through the identity shortcut, and the kept ones through both paths.
    @Test func channelSelectionInsideBottleneckMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 4)
        let block = Bottleneck(inputChannels: 6, outputChannels: 6, cfg: [3, 3, 2], name: "block", rng: &rng)
        block.select.indices = [0, 2, 5]
        Self.perturbNorms(block)
        #expect(block.downsample == nil)
        #expect(block.summary == "Bottleneck(6 → 6, cfg 3/3/2)")
        let check = DeepModelGradientCheck.check(block, input: Self.input([2, 6, 3, 3]), samples: 60)
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
        // bn1's γ of a channel the selection drops gets no gradient at all.
        #expect(block.bn1.weight.grad.data[1] == 0 && block.bn1.weight.grad.data[3] == 0)
        #expect(block.bn1.weight.grad.data[2] != 0)
    }

    /// A dense layer reading channels 0, 2, 4 of 5 and adding 2: its output starts with its
    /// input unchanged; the input's gradient comes through the concatenation and, for the
    /// selected channels, through the layer's own path too.
    @Test func denseLayerWithSelectionMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 5)
        let layer = DenseLayer(inputChannels: 5, selectedChannels: 3, growthRate: 2, name: "dense1.0", rng: &rng)
        layer.select.indices = [0, 2, 4]
        Self.perturbNorms(layer)
        #expect(layer.summary == "DenseLayer(5 → 7, reads 3)")
        let x = Self.input([2, 5, 4, 4])
        let y = layer.forward(x, training: true)
        #expect(y.shape == [2, 7, 4, 4])
        #expect((0..<5).allSatisfy { c in y[1, c, 2, 3] == x[1, c, 2, 3] }, "the input is passed on unchanged")
        let check = DeepModelGradientCheck.check(layer, input: x, samples: 60)
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
        // γ of a channel the selection drops gets no gradient; the channel's input still does.
        #expect(layer.bn1.weight.grad.data[1] == 0 && layer.bn1.weight.grad.data[3] == 0)
        #expect(layer.bn1.weight.grad.data[2] != 0)
    }

    @Test func denseTransitionWithSelectionMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 6)
        let transition = DenseTransition(inputChannels: 6, selectedChannels: 4, outputChannels: 6, name: "trans1", rng: &rng)
        transition.select.indices = [0, 1, 3, 5]
        Self.perturbNorms(transition)
        #expect(transition.summary == "Transition(6 → 6, reads 4)")
        #expect(transition.outputShape(for: [2, 6, 4, 4]) == [2, 6, 2, 2])
        let check = DeepModelGradientCheck.check(transition, input: Self.input([2, 6, 4, 4]), samples: 60)
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    /// A dense block of three layers and its transition, each selection keeping scattered
    /// channels: the first features reach the transition through three concatenations and
    /// are read on the way, so their gradient sums every path. (The whole model is checked
    /// against PyTorch's autograd in `DeepModelFixtureTests`; finite differences through a
    /// whole 32×32 model cross too many ReLU kinks to be exact.)
    @Test func denseBlockWithTransitionMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 8)
        let block = Sequential([
            DenseLayer(inputChannels: 3, selectedChannels: 2, growthRate: 2, name: "dense1.0", rng: &rng),
            DenseLayer(inputChannels: 5, selectedChannels: 4, growthRate: 2, name: "dense1.1", rng: &rng),
            DenseLayer(inputChannels: 7, selectedChannels: 5, growthRate: 2, name: "dense1.2", rng: &rng),
            DenseTransition(inputChannels: 9, selectedChannels: 6, outputChannels: 9, name: "trans1", rng: &rng),
        ], label: "dense1")
        let selections = block.allLayers.compactMap { $0 as? ChannelSelection }
        for (selection, kept) in zip(selections, [[0, 2], [1, 2, 3, 4], [0, 2, 3, 5, 6], [0, 1, 4, 5, 7, 8]]) {
            selection.indices = kept
        }
        Self.perturbNorms(block)
        #expect(block.outputShape(for: [2, 3, 6, 6]) == [2, 9, 3, 3])
        let check = DeepModelGradientCheck.check(block, input: Self.input([2, 3, 6, 6]), samples: 40)
        #expect(check.passes(), "\(check)")
        print("gradient check:", check)
    }

    @Test func channelConcatenationAndSplitAreInverse() {
        let a = Tensor(shape: [2, 1, 1, 2], values: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2, 1, 2], values: [10, 20, 30, 40, 50, 60, 70, 80])
        let joined = concatenateChannels(a, b)
        #expect(joined.shape == [2, 3, 1, 2])
        #expect(joined.values == [1, 2, 10, 20, 30, 40, 3, 4, 50, 60, 70, 80])
        let (first, rest) = splitChannels(joined, at: 1)
        #expect(first.values == a.values && first.shape == a.shape)
        #expect(rest.values == b.values && rest.shape == b.shape)
    }

    @Test func residualSumAddsBothPaths() {
        let a = Tensor(shape: [1, 2, 1, 1], values: [1, 2])
        let b = Tensor(shape: [1, 2, 1, 1], values: [10, -5])
        #expect(residualSum(a, b).values == [11, -3])
        #expect(a.values == [1, 2] && b.values == [10, -5])
    }
}
