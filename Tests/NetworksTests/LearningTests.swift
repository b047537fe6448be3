import Testing
@testable import Networks
@testable import Tensors

/// It learns: a quick sanity check that training drives the loss down and the accuracy up
/// (the full Fashion-MNIST benchmark runs in the release build, outside the unit tests).
@Suite struct LearningTests {
    @Test func mlpLearnsSeparableClusters() throws {
        // Clusters about 8 noise widths apart: chance is 25 %, the best possible almost 100 %.
        let train = SyntheticBatches(count: 800, sampleShape: [1, 4, 4], classCount: 4, separation: 1.5, seed: 1)
        let test = SyntheticBatches(count: 400, sampleShape: [1, 4, 4], classCount: 4, separation: 1.5, seed: 2)
        let network = Network.mlp(cfg: [32, 4], inputShape: [1, 4, 4], seed: 3)
        let before = Trainer.evaluate(network, on: test)
        let config = TrainingConfig(epochs: 5, batchSize: 32, learningRate: 0.05, momentum: 0.9, seed: 4)
        let history = try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: train, test: test, config: config)
        #expect(history.count == 5)
        #expect(history.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(before.accuracy < 0.5, "untrained accuracy \(before.accuracy)")
        #expect(history.last!.trainLoss < history.first!.trainLoss)
        #expect(history.last!.testAccuracy >= 0.95, "test accuracy after 5 epochs: \(history.last!.testAccuracy)")
        #expect(history.last!.testLoss < before.loss / 4)
        // An epoch's wall time adds the test evaluation to its training steps.
        #expect(history.allSatisfy { ($0.wallSeconds ?? 0) > $0.seconds }, "\(history.map { ($0.seconds, $0.wallSeconds) })")
    }

    @Test func smallCNNLearnsOnTinyImages() throws {
        // Coarse 7×7-pixel patterns under strong pixel noise.
        let train = SyntheticBatches(count: 256, sampleShape: [1, 28, 28], classCount: 10, separation: 0.5, block: 7, seed: 5)
        let test = SyntheticBatches(count: 100, sampleShape: [1, 28, 28], classCount: 10, separation: 0.5, block: 7, seed: 6)
        let network = Network.smallCNN(cfg: [4, 8, 8], seed: 7)
        let config = TrainingConfig(epochs: 4, batchSize: 32, learningRate: 0.02, momentum: 0.9, seed: 8)
        let history = try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: train, test: test, config: config)
        #expect(history.last!.testAccuracy >= 0.9, "test accuracy after 4 epochs: \(history.last!.testAccuracy)")
    }

    @Test func warmUpRaisesTheRateLinearlyStepByStepThenFollowsTheSchedule() throws {
        // 64 images in batches of 16: 4 steps an epoch; 2 epochs of warm-up are 8 steps, then the step schedule.
        let data = SyntheticBatches(count: 64, sampleShape: [1, 4, 4], classCount: 4, separation: 1.5, seed: 12)
        let network = Network.mlp(cfg: [8, 4], inputShape: [1, 4, 4], seed: 13)
        var config = TrainingConfig(epochs: 4, batchSize: 16, learningRate: 0.1, schedule: .slimming, seed: 14)
        config.warmupEpochs = 2
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.1, momentum: 0.9)
        var rates: [Float] = []
        var trainer = Trainer(progress: ProgressPrinter(silent: true))
        trainer.afterBackward = { _ in rates.append(optimizer.learningRate) }
        try trainer.fit(network, train: data, test: data, config: config, optimizer: optimizer)
        let expected: [Float] = (1...8).map { 0.1 * Float($0) / 8 }   // epochs 1–2 (0.1 each), ramped
            + [Float](repeating: 0.01, count: 4) + [Float](repeating: 0.001, count: 4)   // ×0.1 at 50 %, ×0.1 at 75 %
        #expect(rates.count == expected.count)
        for (rate, want) in zip(rates, expected) { #expect(abs(rate - want) <= 1e-7 * max(1, want), "\(rates)") }

        // Resuming after epoch 1 carries on up the same ramp.
        var resumedRates: [Float] = []
        trainer.afterBackward = { _ in resumedRates.append(optimizer.learningRate) }
        try trainer.fit(network, train: data, test: data, config: config, startEpoch: 1, optimizer: optimizer)
        #expect(Array(resumedRates.prefix(4)) == Array(rates[4..<8]))
    }

    @Test func divergenceIsReportedAsAnError() {
        let data = SyntheticBatches(count: 64, sampleShape: [1, 4, 4], classCount: 4, separation: 100, seed: 9)
        let network = Network.mlp(cfg: [32, 4], inputShape: [1, 4, 4], seed: 10)
        let config = TrainingConfig(epochs: 3, batchSize: 16, learningRate: 1e6, seed: 11)
        #expect(throws: TrainingDiverged.self) {
            try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: data, test: data, config: config)
        }
    }
}
