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

    @Test func divergenceIsReportedAsAnError() {
        let data = SyntheticBatches(count: 64, sampleShape: [1, 4, 4], classCount: 4, separation: 100, seed: 9)
        let network = Network.mlp(cfg: [32, 4], inputShape: [1, 4, 4], seed: 10)
        let config = TrainingConfig(epochs: 3, batchSize: 16, learningRate: 1e6, seed: 11)
        #expect(throws: TrainingDiverged.self) {
            try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: data, test: data, config: config)
        }
    }
}
