import Testing
@testable import Networks
@testable import Tensors

/// The models as built from cfg lists: shapes, parameter counts, summaries, channel groups,
/// and train/eval behaviour that the gradient checks do not cover.
@Suite struct NetworkTests {
    @Test func smallCNNShapesCountsAndSummary() {
        let network = Network.smallCNN(seed: 1)
        // conv1 1·32·9+32, conv2 32·64·9+64, conv3 64·64·9+64, fc 3136·10+10.
        #expect(network.parameterCount == 320 + 18_496 + 36_928 + 31_370)
        #expect(network.body.outputShape(for: [5, 1, 28, 28]) == [5, 10])
        let summary = network.summary()
        #expect(summary.contains("Conv2d(1, 32, kernel=3, stride=1, padding=1)"))
        #expect(summary.contains("[64, 7, 7]"))
        #expect(summary.contains("Linear(in=3136, out=10)"))
        #expect(summary.contains("Total params: 87114"))
    }

    @Test func skippingTheInputGradientLeavesParameterGradientsUnchanged() {
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.normal([3, 1, 28, 28], using: &rng)
        let labels = [1, 7, 3]
        func gradients(skipping: Bool) -> (input: Tensor, parameters: [[Float]]) {
            let network = Network.smallCNN(seed: 2)
            if skipping { network.skipInputGradient() }
            let loss = crossEntropy(logits: network.forward(x, training: true), labels: labels)
            let input = network.backward(loss.gradient)
            return (input, network.parameters.map { $0.grad.values })
        }
        let (full, skipped) = (gradients(skipping: false), gradients(skipping: true))
        #expect(full.parameters == skipped.parameters)
        #expect(skipped.input.values.allSatisfy { $0 == 0 })
        #expect(full.input.values.contains { $0 != 0 })
    }

    @Test func mlpFromAPrunedCfg() {
        let network = Network.mlp(cfg: [50, 100, 10], seed: 2)
        #expect(network.parameters.map(\.shape) == [[50, 784], [50], [100, 50], [100], [10, 100], [10]])
        #expect(network.forward(Tensor(shape: [3, 1, 28, 28]), training: false).shape == [3, 10])
    }

    @Test(arguments: ["mlp", "smallcnn"])
    func channelGroupSlicesAgreeOnTheChannelCount(_ family: String) {
        let network = family == "mlp" ? Network.mlp(cfg: [20, 30, 10], seed: 3) : Network.smallCNN(cfg: [4, 6, 8], seed: 3)
        #expect(network.channelGroups.count == (family == "mlp" ? 2 : 3))
        for group in network.channelGroups {
            let counts = group.slices.map { $0.parameter.shape[$0.axis] / $0.blockSize }
            #expect(Set(counts).count == 1, "\(group.name): slices disagree \(counts)")
            #expect(group.channelCount == network.cfg[group.cfgIndex!])
            #expect(group.producer?.shape[0] == group.channelCount)
        }
    }

    @Test func sameSeedSameInitialWeights() {
        let a = Network.smallCNN(cfg: [4, 6, 8], seed: 9), b = Network.smallCNN(cfg: [4, 6, 8], seed: 9)
        let c = Network.smallCNN(cfg: [4, 6, 8], seed: 10)
        #expect(a.parameters.map(\.value.values) == b.parameters.map(\.value.values))
        #expect(a.parameters.map(\.value.values) != c.parameters.map(\.value.values))
    }

    @Test func evaluationUsesAndKeepsRunningStatistics() {
        var rng = SeededGenerator(seed: 4)
        let layer = BatchNorm2d(2)
        let x = Tensor.normal([4, 2, 3, 3], mean: 3, std: 2, using: &rng)
        _ = layer.forward(x, training: false)
        #expect(layer.runningMean.value.values == [0, 0] && layer.runningVar.value.values == [1, 1])
        _ = layer.forward(x, training: true)
        let (mean, variance) = (layer.runningMean.value.values, layer.runningVar.value.values)
        #expect(mean.allSatisfy { $0 > 0.1 })
        let y = layer.forward(x, training: false)
        #expect(layer.runningMean.value.values == mean && layer.runningVar.value.values == variance)
        // Eval output is (x − running mean)/√(running var + ε)·γ + β.
        let expected = (x[1, 1, 2, 0] - mean[1]) / (variance[1] + 1e-5).squareRoot()
        #expect(abs(y[1, 1, 2, 0] - expected) < 1e-5)
    }

    @Test func pointwiseConvolutionOnOneImage() {
        // Batch 1 with a 1×1 kernel reads the input directly (no im2col): same result as inside a batch.
        var rng = SeededGenerator(seed: 5)
        let conv = Conv2d(3, 4, kernel: 1, rng: &rng)
        let pair = Tensor.normal([2, 3, 5, 5], using: &rng)
        let first = pair.gathering([0], axis: 0)
        let alone = conv.forward(first, training: true)
        let together = conv.forward(pair, training: true)
        #expect(alone.maxAbsDifference(together.gathering([0], axis: 0)) < 1e-6)
        expectGradientsMatch(checkLayer(conv, input: first))
    }
}
