import Networks

/// The convergence check of a baseline: the same network from the same initialisation,
/// trained for twice the epochs with the same schedule stretched over them. If the longer run
/// gains less than `tolerance`, the baseline had converged, and a pruned network that beats it
/// cannot owe that to the baseline being short of training.
public struct ConvergenceCheck: Sendable {
    /// The doubled run must gain less than this (0.3 points) for the baseline to count as converged.
    public static let tolerance: Float = 0.003

    public let epochs: Int
    public let accuracy: Float
    public let doubledAccuracy: Float

    public init(epochs: Int, accuracy: Float, doubledAccuracy: Float) {
        self.epochs = epochs
        self.accuracy = accuracy
        self.doubledAccuracy = doubledAccuracy
    }

    /// What twice the training added (negative when the longer run ended lower).
    public var gain: Float { doubledAccuracy - accuracy }
    /// Judged on the gain as the report prints it (hundredths of a point), so that Float
    /// rounding cannot turn a printed +0.30 into "under 0.3".
    public var converged: Bool { (gain * 10_000).rounded() < (ConvergenceCheck.tolerance * 10_000).rounded() }
}

extension CommonOptions {
    /// Whether this run checks its baselines' convergence: as `--convergence-check` says, else
    /// in the standard and full presets (a study passes `off` to every job but the first).
    public var checksConvergence: Bool {
        convergenceCheck.map { $0 == .on } ?? (preset == .standard || preset == .full)
    }
}

extension Notebook {
    /// A baseline as every lab trains it: `network` (made by `make`) trained with `config` as the
    /// stage `stage`, evaluated on the whole test set as `key`, and checked for convergence by
    /// training `make()` again for twice the epochs where the preset checks. Returns its accuracy.
    /// The check's longer run repeats the baseline's first epochs (`TrainingConfig.epochsShared`):
    /// the baseline hands its state after them to the check's stage, which resumes there.
    public func trainBaseline(_ stage: Stage, _ network: Network, key: String = "baseline", label: String,
                              make: () -> Network, on data: LabData, config: TrainingConfig) throws -> Float {
        let toCheck = options.checksConvergence
            ? handOver(to: text.convergenceStage(key, name: label), startingAs: network, on: data, from: config,
                       to: config.doubledForConvergenceCheck)
            : nil
        try train(stage, network, on: data, config: config, handOver: toCheck)
        let accuracy = evaluate(key, network, on: data, label: label)
        try checkConvergence(key, accuracy: accuracy, make: make, on: data, config: config)
        return accuracy
    }
}

extension TrainingConfig {
    /// The convergence check's run: twice the epochs, the same schedule stretched over them.
    var doubledForConvergenceCheck: TrainingConfig { fineTuning(epochs: 2 * epochs) }
}

extension Notebook {
    /// Trains `make()` (the baseline's architecture and initialisation) for twice `config`'s
    /// epochs and writes the verdict on the baseline that reached `accuracy`; records it under
    /// `convergence.<key>`. When this run does not check, says how to, and returns nil.
    @discardableResult
    public func checkConvergence(_ key: String, accuracy: Float, make: () -> Network, on data: LabData,
                                 config: TrainingConfig) throws -> ConvergenceCheck? {
        guard options.checksConvergence else {
            prose(text.convergenceNotChecked)
            return nil
        }
        let doubled = make()
        try train(text.convergenceStage(key, name: accuracyLabels[key] ?? key), doubled, on: data, config: config.doubledForConvergenceCheck,
                  describe: false)
        let check = ConvergenceCheck(epochs: config.epochs, accuracy: accuracy,
                                     doubledAccuracy: testAccuracy(doubled, on: data))
        metric("convergence.\(key)", ["epochs": Double(check.epochs), "accuracy": Double(check.accuracy),
                                      "doubled_accuracy": Double(check.doubledAccuracy), "gain": Double(check.gain)])
        prose(text.convergence(check))
        recordConvergence(accuracyLabels[key] ?? key, check)
        return check
    }
}
