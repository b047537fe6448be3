import Networks
import NetworkTestSupport
import Tensors
import Testing

/// Finite-difference checks of the residual layers' backward passes.
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

    @Test func residualSumAddsBothPaths() {
        let a = Tensor(shape: [1, 2, 1, 1], values: [1, 2])
        let b = Tensor(shape: [1, 2, 1, 1], values: [10, -5])
        #expect(residualSum(a, b).values == [11, -3])
        #expect(a.values == [1, 2] && b.values == [10, -5])
    }
}
