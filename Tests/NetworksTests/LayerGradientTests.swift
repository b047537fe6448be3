import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// Finite-difference gradient checks of every layer: input and parameter gradients.
@Suite struct LayerGradientTests {
    /// Normal samples pushed at least `margin` away from zero, so ±eps never crosses ReLU's kink.
    static func awayFromZero(_ shape: [Int], margin: Float = 0.1, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let t = Tensor.normal(shape, using: &rng)
        for i in 0..<t.count { t.data[i] += t.data[i] < 0 ? -margin : margin }
        return t
    }

    /// Distinct values 0.05 apart in random order, so ±eps never changes which entry is a window's maximum.
    static func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let t = Tensor(shape: shape)
        for (i, rank) in rng.permutation(t.count).enumerated() { t.data[i] = Float(rank) * 0.05 - 1 }
        return t
    }

    @Test(arguments: [true, false])
    func linear(bias: Bool) {
        var rng = SeededGenerator(seed: 1)
        let layer = Linear(7, 5, bias: bias, rng: &rng)
        let results = checkLayer(layer, input: .normal([3, 7], using: &rng))
        #expect(results.count == (bias ? 3 : 2))
        expectGradientsMatch(results)
    }

    static let convolutions: [(kernel: Int, stride: Int, padding: Int, bias: Bool)] =
        convolutionSettings.flatMap { c in [true, false].map { (c.kernel, c.stride, c.padding, $0) } }

    @Test(arguments: convolutions)
    func conv2d(_ c: (kernel: Int, stride: Int, padding: Int, bias: Bool)) {
        var rng = SeededGenerator(seed: UInt64(c.kernel * 8 + c.stride * 4 + c.padding * 2 + (c.bias ? 1 : 0)))
        let layer = Conv2d(3, 4, kernel: c.kernel, stride: c.stride, padding: c.padding, bias: c.bias, rng: &rng)
        let results = checkLayer(layer, input: .normal([2, 3, 7, 6], using: &rng))
        #expect(results.count == (c.bias ? 3 : 2))
        expectGradientsMatch(results)
    }

    @Test func batchNormInTrainingMode() {
        var rng = SeededGenerator(seed: 3)
        let layer = BatchNorm2d(4)
        layer.weight.value.assign(.uniform([4], low: 0.5, high: 1.5, using: &rng))
        layer.bias.value.assign(.normal([4], std: 0.3, using: &rng))
        let input = Tensor.normal([3, 4, 5, 5], mean: 0.7, std: 2, using: &rng)
        let results = checkLayer(layer, input: input)
        #expect(results.map(\.name) == ["input", "parameter 0 weight", "parameter 1 bias"])
        expectGradientsMatch(results)
    }

    @Test func batchNormOnOneByOneMaps() {
        // H = W = 1 (BatchNorm behind a global pool): the statistics come from the batch alone.
        var rng = SeededGenerator(seed: 4)
        let layer = BatchNorm2d(3)
        let results = checkLayer(layer, input: .normal([5, 3, 1, 1], using: &rng))
        expectGradientsMatch(results)
    }

    @Test func relu() {
        expectGradientsMatch(checkLayer(ReLU(), input: Self.awayFromZero([2, 3, 4, 5], seed: 5)))
    }

    @Test func maxPool() {
        // 7 columns: the last one is dropped by the floor, and gets zero gradient.
        expectGradientsMatch(checkLayer(MaxPool2d(2), input: Self.distinctValues([2, 3, 6, 7], seed: 6)))
    }

    @Test(arguments: [(kernel: 2, size: 6), (kernel: 2, size: 7), (kernel: 5, size: 5)])
    func avgPool(_ c: (kernel: Int, size: Int)) {
        var rng = SeededGenerator(seed: 7)
        let layer = AvgPool2d(c.kernel)
        #expect(layer.outputShape(for: [2, 3, c.size, c.size]) == [2, 3, c.size / c.kernel, c.size / c.kernel])
        expectGradientsMatch(checkLayer(layer, input: .normal([2, 3, c.size, c.size], using: &rng)))
    }

    @Test func flatten() {
        var rng = SeededGenerator(seed: 8)
        let layer = Flatten()
        #expect(layer.outputShape(for: [2, 3, 4, 5]) == [2, 60])
        expectGradientsMatch(checkLayer(layer, input: .normal([2, 3, 4, 5], using: &rng)))
    }

    @Test func sequentialStack() {
        var rng = SeededGenerator(seed: 9)
        let conv = Conv2d(3, 4, kernel: 3, padding: 1, bias: false, rng: &rng)
        let stack = Sequential([conv, BatchNorm2d(4), ReLU(), MaxPool2d(2), Conv2d(4, 5, kernel: 1, rng: &rng),
                                AvgPool2d(3), Flatten(), Linear(5, 6, rng: &rng)])
        #expect(stack.allParameters.count == 7)
        // A small step: moving one conv weight moves every activation behind the BatchNorm.
        let results = checkLayer(stack, input: .normal([2, 3, 6, 6], using: &rng), epsilons: [1e-2, 1e-3])
        expectGradientsMatch(results, allowedKinks: 3)
    }

    @Test func channelSelectionOfASubset() {
        var rng = SeededGenerator(seed: 10)
        let layer = ChannelSelection(5)
        layer.indices = [0, 2, 3]
        let input = Tensor.normal([2, 5, 3, 3], using: &rng)
        let output = layer.forward(input, training: true)
        #expect(output.shape == [2, 3, 3, 3])
        #expect(output[1, 1, 2, 0] == input[1, 2, 2, 0])
        let results = checkLayer(layer, input: input)
        expectGradientsMatch(results)
        // Dropped channels get exactly zero gradient.
        let gradient = layer.backward(Tensor(shape: [2, 3, 3, 3], repeating: 1))
        #expect(gradient[0, 1, 0, 0] == 0 && gradient[1, 4, 2, 2] == 0 && gradient[1, 3, 2, 2] == 1)
    }

    @Test func channelSelectionOfAllChannelsIsIdentity() {
        var rng = SeededGenerator(seed: 11)
        let layer = ChannelSelection(4)
        let input = Tensor.normal([2, 4, 2, 2], using: &rng)
        #expect(layer.forward(input, training: true).values == input.values)
        expectGradientsMatch(checkLayer(layer, input: input))
    }

    @Test func crossEntropyGradient() {
        var rng = SeededGenerator(seed: 12)
        let logits = Tensor.normal([5, 7], std: 3, using: &rng)
        let labels = [3, 0, 6, 6, 1]
        let result = crossEntropy(logits: logits, labels: labels)
        let reference = crossEntropyInDouble(logits, labels)
        #expect(abs(Double(result.loss) - reference) < 1e-6 * reference)
        #expect(result.correct == zip(logits.argmaxRows(), labels).filter { $0 == $1 }.count)
        let check = checkGradient(name: "logits", of: logits, analytic: result.gradient, indices: Array(0..<logits.count),
                                  epsilons: [1e-2], tolerance: 1e-2) { crossEntropyInDouble(logits, labels) }
        expectGradientsMatch([check])
        // Each row of the gradient sums to zero (softmax minus a one-hot, over N).
        for r in 0..<5 {
            let rowSum = (0..<7).reduce(Float(0)) { $0 + result.gradient[r, $1] }
            #expect(abs(rowSum) < 1e-6)
        }
    }

    @Test func crossEntropyIsStableForHugeLogits() {
        let logits = Tensor(shape: [2, 3], values: [1000, 0, -1000, -500, 500, 499])
        let result = crossEntropy(logits: logits, labels: [0, 2])
        #expect(result.loss.isFinite)
        #expect(abs(Double(result.loss) - crossEntropyInDouble(logits, [0, 2])) < 1e-4)
    }
}
