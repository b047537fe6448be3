import Datasets
import Foundation
import Networks
import Tensors

/// A training and a test split, as the labs use them.
public struct LabData {
    public let train: LabeledImages
    public let test: LabeledImages
    public let kind: DatasetKind
}

/// One training stage's history, kept for the training-curve figure.
public struct StageHistory {
    public let stage: String
    /// The stage's name in the stage cache and the JSON (`stage` is its label in the report).
    public let id: String
    /// The network it trained, as `LabCharts.networkName` names it (the figure's panel).
    public let network: String
    public let records: [EpochRecord]

    public init(stage: String, id: String? = nil, network: String, records: [EpochRecord]) {
        self.stage = stage
        self.id = id ?? stage
        self.network = network
        self.records = records
    }
}

extension Notebook {
    /// Loads the data set chosen on the command line (default `defaultKind`), limited to
    /// `trainLimit`/`testLimit` samples (stratified) unless nil, padded to 32×32 if asked,
    /// and checks that it fits the model input (when the model's input is fixed).
    public func loadData(defaultKind: DatasetKind = .fashionMNIST, pad32: Bool, trainLimit: Int?, testLimit: Int?,
                         modelInput: [Int]?) throws -> LabData {
        let kind = options.dataset ?? defaultKind
        let directory = options.dataDir.map { URL(fileURLWithPath: $0) }
        let (train, test) = try step(text.loadStep(kind.rawValue)) {
            try DatasetLoader.load(kind, dataDirectory: directory, pad32: pad32, trainLimit: trainLimit,
                                   testLimit: testLimit, seed: options.seed)
        }
        if let modelInput { try train.checkFits(modelInput: modelInput) }
        print("  \(train.sampleCount) training and \(test.sampleCount) test images of shape \(train.sampleShape)")
        metric("data", ["dataset": kind.rawValue, "train_samples": "\(train.sampleCount)",
                        "test_samples": "\(test.sampleCount)", "sample_shape": "\(train.sampleShape)"])
        return LabData(train: train, test: test, kind: kind)
    }

    /// Trains `network` as one named stage: prints progress, records the history for the
    /// training-curve figure and the JSON results, and turns divergence into advice.
    ///
    /// The stage is cached (see `StageCache`): a stage that already ran from the same starting
    /// weights with the same settings is loaded instead of trained, and a stage interrupted
    /// after some epochs resumes from the last finished one. With a `penalty`, its gradient
    /// (network slimming's s·sign(γ)) is added after every backward pass. Unless `describe`
    /// is false, the report gets one sentence on the stage: epochs, rate, time, accuracy. Unless
    /// `inTrainingCurves` is false (the sweep's many short fine-tunes), the history joins the curves.
    /// With an `endOfEpoch` hook (soft filter pruning's zeroing), it runs after each epoch's last
    /// step, and its description is part of the stage's key, as the penalty's is.
    /// A run that broke down (`TrainingBreakdown`: its training accuracy fell 10 points, or ended
    /// 10 points under `referenceTrainAccuracy`) gets a warning in the report and `breakdown.<stage>`.
    @discardableResult
    public func train(_ stage: String, _ network: Network, on data: LabData, config: TrainingConfig,
                      penalty: BatchNormL1Penalty? = nil, endOfEpoch: EndOfEpochHook? = nil, describe: Bool = true,
                      inTrainingCurves: Bool = true) throws -> [EpochRecord] {
        try train(Stage(id: stage, label: stage), network, on: data, config: config, penalty: penalty, endOfEpoch: endOfEpoch,
                  describe: describe, inTrainingCurves: inTrainingCurves)
    }

    /// `train` of a stage whose label in the report differs from its id (in a Chinese report);
    /// the stage cache and the JSON know it by its id, so the language never changes what is reused.
    /// With a `handOver`, the state after that many epochs is also saved as the partial stage of
    /// its key (unless the cache holds that stage already): a later stage that starts the same way
    /// resumes there instead of training those epochs again (the convergence check's longer run).
    @discardableResult
    public func train(_ named: Stage, _ network: Network, on data: LabData, config: TrainingConfig,
                      penalty: BatchNormL1Penalty? = nil, endOfEpoch: EndOfEpochHook? = nil, describe: Bool = true,
                      inTrainingCurves: Bool = true, referenceTrainAccuracy: Float? = nil,
                      handOver: (afterEpochs: Int, key: String)? = nil) throws -> [EpochRecord] {
        let stage = named.id
        let key = stageKey(named, network, on: data, config: config, penalty: penalty, endOfEpoch: endOfEpoch)
        let records = try step(text.trainStep(named.label)) { () throws -> [EpochRecord] in
            if let cached = cache.restoreFinished(key, into: network) {
                print("  reused from the stage cache (\(cached.count) epochs); --fresh retrains")
                // What the stage cost when it ran, evaluations included (older caches kept only the training steps).
                currentStepReusedTrainingSeconds = cached.reduce(0) { $0 + ($1.wallSeconds ?? $1.seconds) }
                return cached
            }
            let optimizer = SGD(parameters: network.parameters, learningRate: config.learningRate, momentum: config.momentum,
                                weightDecay: config.weightDecay, nesterov: config.nesterov)
            var history = cache.restorePartial(key, into: network, optimizer: optimizer) ?? []
            if !history.isEmpty { print("  resuming after epoch \(history.count) of \(config.epochs) from the stage cache") }
            var trainer = Trainer(label: stage, progress: ProgressPrinter(bar: !options.quiet))
            if let penalty { trainer.afterBackward = penalty.addGradient }
            if let endOfEpoch { trainer.endOfEpoch = endOfEpoch.body }
            trainer.afterEpoch = { [cache] network, record in
                history.append(record)
                try cache.save(key, network: network, optimizer: optimizer, history: history, partial: true)
                if let handOver, history.count == handOver.afterEpochs, !cache.holds(handOver.key) {
                    try cache.save(handOver.key, network: network, optimizer: optimizer, history: history, partial: true)
                }
            }
            do {
                try trainer.fit(network, train: data.train, test: data.test, config: config,
                                startEpoch: history.count, optimizer: optimizer)
            } catch let diverged as TrainingDiverged {
                throw LabError("stage '\(stage)' stopped: \(diverged.description); the last good epoch is kept in the stage cache")
            }
            try cache.save(key, network: network, optimizer: nil, history: history, partial: false)
            return history
        }
        if inTrainingCurves {
            histories.append(StageHistory(stage: named.label, id: stage, network: LabCharts.networkName(network, language),
                                          records: records))
        }
        if describe, let last = records.last {
            let seconds = records.reduce(0) { $0 + $1.seconds }
            prose(text.trainingStage(named.label, epochs: records.count, learningRate: config.learningRate,
                                     schedule: describeSchedule(config.schedule, text), penalty: penalty?.strength,
                                     seconds: seconds, accuracy: last.testAccuracy))
        }
        if let breakdown = TrainingBreakdown.find(records, reference: referenceTrainAccuracy) {
            print("  warning: \(stage) broke down in training")
            prose(text.breakdown(named.label, breakdown))
            metric("breakdown.\(stage)", breakdown.metric)
            brokenDownStages.insert(stage)
        }
        metric("history.\(stage)", records.map { ["epoch": Double($0.epoch), "train_loss": Double($0.trainLoss),
                                                  "train_accuracy": Double($0.trainAccuracy),
                                                  "test_loss": Double($0.testLoss),
                                                  "test_accuracy": Double($0.testAccuracy), "seconds": $0.seconds] })
        return records
    }

    /// The stage cache's key of training `network`, as it is now, as the stage `named`.
    func stageKey(_ named: Stage, _ network: Network, on data: LabData, config: TrainingConfig,
                  penalty: BatchNormL1Penalty? = nil, endOfEpoch: EndOfEpochHook? = nil) -> String {
        cache.key(lab: lab, stage: named.id, network: network, config: config, data: data,
                  regularizer: EndOfEpochHook.regularizer(penalty: penalty, endOfEpoch: endOfEpoch))
    }

    /// The hand-over from a stage trained with `config` to the stage `next`, which starts from the
    /// same weights (`network` as it is now) with `nextConfig`: after the epochs the two runs share
    /// (`TrainingConfig.epochsShared`), or nil when they share none.
    func handOver(to next: Stage, startingAs network: Network, on data: LabData, from config: TrainingConfig,
                  to nextConfig: TrainingConfig) -> (afterEpochs: Int, key: String)? {
        let shared = config.epochsShared(with: nextConfig)
        return shared > 0 ? (shared, stageKey(next, network, on: data, config: nextConfig)) : nil
    }

    /// The epochs of the stage trained last under `stage`'s id (nil if none was).
    public func trainingHistory(_ stage: Stage) -> [EpochRecord]? {
        histories.last { $0.id == stage.id }?.records
    }

    /// Test accuracy of `network` (eval mode), recorded under `key`; `label` names the stage in a
    /// study's summary over the seeds (the key does when it has none).
    @discardableResult
    public func evaluate(_ key: String, _ network: Network, on data: LabData, label: String? = nil) -> Float {
        let accuracy = testAccuracy(network, on: data)
        metric("accuracy.\(key)", accuracy)
        if let label { accuracyLabels[key] = label }
        accuracyNetworks[key] = LabCharts.networkName(network, language)
        print(String(format: "  %@: test accuracy %.2f%%", key, accuracy * 100))
        return accuracy
    }
}

extension Notebook {
    /// Accuracy of `network` (eval mode) on the whole test set. Remembered in the stage cache
    /// under the network's weights, so a report rendered again from cached stages (another
    /// `--lang`, edited text) does not evaluate every network again.
    public func testAccuracy(_ network: Network, on data: LabData) -> Float {
        let key = cache.evaluationKey(network: network, test: data.test)
        if let known = cache.evaluation(key) { return known.accuracy }
        let evaluation = Trainer.evaluate(network, on: data.test)
        // A cache that cannot be written costs time on the next run, never a result.
        try? cache.save(key, evaluation: evaluation)
        return evaluation.accuracy
    }
}

/// How a schedule changes the learning rate, for the report (empty when it does not).
private func describeSchedule(_ schedule: LearningRateSchedule, _ text: NotebookText) -> String {
    switch schedule {
    case .constant: ""
    case let .step(milestones, factor): text.stepSchedule(milestones: milestones.map { Int(($0 * 100).rounded()) }, factor: factor)
    case .cosine: text.cosineSchedule
    }
}
