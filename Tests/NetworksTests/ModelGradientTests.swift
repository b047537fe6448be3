import Testing
@testable import Networks
@testable import Tensors

/// Finite-difference gradient checks of whole models through the cross-entropy loss,
/// on a random sample of entries of every parameter.
@Suite struct ModelGradientTests {
    @Test func mlpWithTheDefaultShape() {
        let network = Network.mlp(seed: 1)
        #expect(network.parameterCount == 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10)
        var rng = SeededGenerator(seed: 2)
        let results = checkNetwork(network, input: .normal([2, 1, 28, 28], using: &rng), labels: [3, 7], samples: 24)
        #expect(results.count == 7)
        expectGradientsMatch(results, allowedKinks: 2)
    }

    @Test func smallCNN() {
        let network = Network.smallCNN(cfg: [4, 6, 8], seed: 3)
        #expect(network.forward(Tensor(shape: [2, 1, 28, 28]), training: false).shape == [2, 10])
        var rng = SeededGenerator(seed: 4)
        let results = checkNetwork(network, input: .normal([2, 1, 28, 28], using: &rng), labels: [1, 9], samples: 24)
        #expect(results.map(\.name) == ["input", "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                        "conv3.weight", "conv3.bias", "fc.weight", "fc.bias"])
        expectGradientsMatch(results, allowedKinks: 2)
    }

    @Test func convNetWithBatchNormAndChannelSelection() {
        // The pieces of the deeper models (conv, BN in training mode, a selection, global pooling).
        var rng = SeededGenerator(seed: 5)
        let selection = ChannelSelection(6)
        selection.indices = [1, 2, 4, 5]
        let body = Sequential([Conv2d(2, 6, kernel: 3, stride: 2, padding: 1, bias: false, rng: &rng), BatchNorm2d(6),
                               selection, ReLU(), Conv2d(4, 5, kernel: 1, bias: false, rng: &rng), BatchNorm2d(5),
                               ReLU(), AvgPool2d(4), Flatten(), Linear(5, 3, rng: &rng)])
        let network = Network(family: .custom, cfg: [], inputShape: [2, 8, 8], classCount: 3, body: body, channelGroups: [])
        let results = checkNetwork(network, input: .normal([3, 2, 8, 8], using: &rng), labels: [0, 2, 1], samples: 24)
        expectGradientsMatch(results, allowedKinks: 2)
    }
}
