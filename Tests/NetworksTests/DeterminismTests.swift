import Testing
@testable import Networks
@testable import Tensors

/// Same seed, same run: two trainings with one seed give bit-identical weights and buffers.
@Suite struct DeterminismTests {
    /// A small conv net with every kind of state (conv, BatchNorm running statistics, linear).
    func makeNetwork(seed: UInt64) -> Network {
        var rng = SeededGenerator(seed: seed)
        let conv = Conv2d(1, 6, kernel: 3, padding: 1, bias: false, rng: &rng)
        conv.kaimingNormalInit(rng: &rng)
        let body = Sequential([conv, BatchNorm2d(6), ReLU(), MaxPool2d(2),
                               Conv2d(6, 8, kernel: 3, stride: 2, padding: 1, rng: &rng), ReLU(),
                               AvgPool2d(2), Flatten(), Linear(8, 4, rng: &rng)])
        return Network(family: .custom, cfg: [6, 8], inputShape: [1, 8, 8], classCount: 4, body: body, channelGroups: [])
    }

    /// Trains for two epochs with `seed` for the weights and the shuffle; returns every state value.
    func train(seed: UInt64) throws -> [[Float]] {
        let network = makeNetwork(seed: seed)
        let train = SyntheticBatches(count: 96, sampleShape: [1, 8, 8], classCount: 4, seed: 1)
        let test = SyntheticBatches(count: 32, sampleShape: [1, 8, 8], classCount: 4, seed: 2)
        let config = TrainingConfig(epochs: 2, batchSize: 16, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4,
                                    schedule: .cosine, seed: seed)
        try Trainer(label: "determinism", progress: ProgressPrinter(silent: true)).fit(network, train: train, test: test, config: config)
        return network.state.map(\.value.values)
    }

    @Test func sameSeedGivesBitIdenticalWeights() throws {
        let first = try train(seed: 7), second = try train(seed: 7)
        #expect(first.count == 9)  // conv, γ, β, conv + bias, linear + bias; running mean and variance
        #expect(first == second, "two runs with seed 7 differ")
        let other = try train(seed: 8)
        #expect(first != other, "runs with seeds 7 and 8 gave the same weights")
    }

    @Test func mlpTrainingIsReproducible() throws {
        func run() throws -> [[Float]] {
            let network = Network.mlp(cfg: [20, 4], inputShape: [1, 8, 8], seed: 3)
            let data = SyntheticBatches(count: 64, sampleShape: [1, 8, 8], classCount: 4, seed: 4)
            try Trainer(progress: ProgressPrinter(silent: true)).fit(
                network, train: data, test: data, config: TrainingConfig(epochs: 2, batchSize: 10, learningRate: 0.05, seed: 5))
            return network.parameters.map(\.value.values)
        }
        #expect(try run() == run())
    }
}

/// The parallel kernels split work over both cores; the split must not change the numbers.
@Suite struct ParallelDeterminismTests {
    /// A convolution large enough to be cut into chunks over both cores, run many times:
    /// every weight gradient must be bit-identical, whichever core finishes first.
    @Test func convolutionGradientsDoNotDependOnThreadTiming() {
        var rng = SeededGenerator(seed: 11)
        let conv = Conv2d(16, 16, kernel: 3, padding: 1, rng: &rng)
        let input = Tensor.normal([64, 16, 16, 16], using: &rng)
        let upstream = Tensor.normal([64, 16, 16, 16], using: &rng)
        var first: [Float]? = nil
        for _ in 0..<6 {
            conv.weight.grad.zero()
            conv.bias?.grad.zero()
            _ = conv.forward(input, training: true)
            _ = conv.backward(upstream)
            let gradients = conv.weight.grad.values + conv.bias!.grad.values
            if let first { #expect(gradients == first) } else { first = gradients }
        }
    }
}
