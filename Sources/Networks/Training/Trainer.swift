import Foundation
import Tensors

/// What one epoch of training produced, for reports and curves.
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var learningRate: Float
    public var trainLoss: Float
    public var trainAccuracy: Float
    public var testLoss: Float
    public var testAccuracy: Float
    /// Seconds of the epoch's training steps (what `imagesPerSecond` divides by).
    public var seconds: Double
    public var imagesPerSecond: Double
    /// Seconds of the whole epoch: its training steps, the end-of-epoch hook and the test evaluation,
    /// which is what the epoch cost the run. Nil in records saved before it was kept.
    public var wallSeconds: Double? = nil
}

/// Loss and accuracy on a data set.
public struct Evaluation: Codable, Sendable, Equatable {
    public var loss: Float
    public var accuracy: Float

    public init(loss: Float, accuracy: Float) {
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// Settings of one training run (the optimiser is `torch.optim.SGD`).
public struct TrainingConfig: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var momentum: Float = 0.9
    public var weightDecay: Float = 0
    public var nesterov = false
    public var schedule: LearningRateSchedule = .constant
    public var augment = false
    /// Seed for the shuffle order (and augmentation) of every epoch.
    public var seed: UInt64 = 0
    /// Epochs over which the rate rises linearly, step by step, from base/steps to the
    /// schedule's rate (Goyal et al.'s gradual warm-up); 0 starts at the full rate.
    public var warmupEpochs = 0

    public init(epochs: Int, batchSize: Int, learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0,
                nesterov: Bool = false, schedule: LearningRateSchedule = .constant, augment: Bool = false, seed: UInt64 = 0) {
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate
        self.momentum = momentum; self.weightDecay = weightDecay; self.nesterov = nesterov
        self.schedule = schedule; self.augment = augment; self.seed = seed
    }
}

/// Raised when training diverges, so a lab can stop the stage with advice instead of crashing.
public struct TrainingDiverged: Error, CustomStringConvertible {
    public let epoch: Int
    public let step: Int
    public var description: String {
        "training diverged: the loss became NaN or infinite at epoch \(epoch + 1), step \(step + 1); try a lower learning rate (--lr)"
    }
}

/// The training loop: epochs of mini-batches, evaluation after each epoch, a history.
public struct Trainer {
    /// Called after each backward pass, before the optimiser step: the place for a
    /// regulariser that adds to gradients (network slimming adds s·sign(γ)).
    public var afterBackward: ((Network) -> Void)?
    /// Called after the last step of each epoch, with the epoch's index (from 0), before the
    /// evaluation and `afterEpoch`: the place for a change of the weights that the epoch's test
    /// accuracy and checkpoint must see (soft filter pruning zeroes filters here).
    public var endOfEpoch: ((Network, Int) -> Void)?
    /// Called at the end of each epoch (checkpointing, logging).
    public var afterEpoch: ((Network, EpochRecord) throws -> Void)?
    /// Label printed before the progress (e.g. `baseline`).
    public var label: String
    public var progress: ProgressPrinter

    public init(label: String = "train", progress: ProgressPrinter = ProgressPrinter(),
                afterBackward: ((Network) -> Void)? = nil) {
        self.label = label
        self.progress = progress
        self.afterBackward = afterBackward
    }

    /// Trains `network` on `train` for `config.epochs` epochs from `startEpoch`, evaluating on `test` after each.
    @discardableResult
    public func fit(_ network: Network, train: BatchSource, test: BatchSource, config: TrainingConfig,
                    startEpoch: Int = 0, optimizer existing: SGD? = nil) throws -> [EpochRecord] {
        let optimizer = existing ?? SGD(parameters: network.parameters, learningRate: config.learningRate,
                                        momentum: config.momentum, weightDecay: config.weightDecay,
                                        nesterov: config.nesterov)
        network.skipInputGradient()
        var history: [EpochRecord] = []
        let stepsPerEpoch = (train.sampleCount + config.batchSize - 1) / config.batchSize
        let warmupSteps = config.warmupEpochs * stepsPerEpoch
        for epoch in startEpoch..<config.epochs {
            let epochRate = config.schedule.rate(base: config.learningRate, epoch: epoch, totalEpochs: config.epochs)
            optimizer.learningRate = epochRate
            let start = Date()
            var lossSum = 0.0, correct = 0, seen = 0, step = 0
            try train.forEachBatch(size: config.batchSize, shuffleSeed: config.seed &+ UInt64(epoch) &* 1_000_003,
                                   augment: config.augment) { batch in
                let stepsSoFar = epoch * stepsPerEpoch + step
                if stepsSoFar < warmupSteps { optimizer.learningRate = epochRate * Float(stepsSoFar + 1) / Float(warmupSteps) }
                optimizer.zeroGradients()
                let logits = network.forward(batch.inputs, training: true)
                let result = crossEntropy(logits: logits, labels: batch.labels)
                guard result.loss.isFinite else { throw TrainingDiverged(epoch: epoch, step: step) }
                network.backward(result.gradient)
                afterBackward?(network)
                optimizer.step()
                lossSum += Double(result.loss) * Double(batch.count)
                correct += result.correct
                seen += batch.count
                step += 1
                progress.update(label: label, epoch: epoch, epochs: config.epochs, step: step, steps: stepsPerEpoch,
                                loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                                imagesPerSecond: Double(seen) / max(Date().timeIntervalSince(start), 1e-9),
                                elapsed: Date().timeIntervalSince(start))
            }
            let seconds = Date().timeIntervalSince(start)
            endOfEpoch?(network, epoch)
            let evaluation = evaluate(network, on: test, batchSize: max(config.batchSize, 256))
            let record = EpochRecord(epoch: epoch + 1, learningRate: optimizer.learningRate,
                                     trainLoss: Float(lossSum / Double(max(seen, 1))),
                                     trainAccuracy: Float(correct) / Float(max(seen, 1)),
                                     testLoss: evaluation.loss, testAccuracy: evaluation.accuracy,
                                     seconds: seconds, imagesPerSecond: Double(seen) / max(seconds, 1e-9),
                                     wallSeconds: Date().timeIntervalSince(start))
            progress.finishEpoch(label: label, record: record, epochs: config.epochs)
            history.append(record)
            try afterEpoch?(network, record)
        }
        return history
    }

    /// Mean loss and accuracy of `network` (eval mode) on `data`.
    public func evaluate(_ network: Network, on data: BatchSource, batchSize: Int = 256) -> Evaluation {
        Trainer.evaluate(network, on: data, batchSize: batchSize)
    }

    /// Mean loss and accuracy of `network` (eval mode) on `data`.
    public static func evaluate(_ network: Network, on data: BatchSource, batchSize: Int = 256) -> Evaluation {
        var lossSum = 0.0, correct = 0, seen = 0
        data.forEachBatch(size: batchSize, shuffleSeed: nil, augment: false) { batch in
            let logits = network.forward(batch.inputs, training: false)
            let result = crossEntropy(logits: logits, labels: batch.labels)
            lossSum += Double(result.loss) * Double(batch.count)
            correct += result.correct
            seen += batch.count
        }
        return Evaluation(loss: Float(lossSum / Double(max(seen, 1))), accuracy: Float(correct) / Float(max(seen, 1)))
    }
}
