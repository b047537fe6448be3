import Foundation

/// How the learning rate changes over training, evaluated once per epoch.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The same rate throughout.
    case constant
    /// Multiplies by `factor` at each fraction of training in `milestones`
    /// (network-slimming: ×0.1 at 50 % and 75 % of the epochs).
    case step(milestones: [Double], factor: Double)
    /// Cosine annealing from the base rate to zero over the run.
    case cosine

    /// network-slimming's schedule.
    public static let slimming = LearningRateSchedule.step(milestones: [0.5, 0.75], factor: 0.1)

    /// Learning rate for `epoch` (0-based) of `totalEpochs`.
    public func rate(base: Float, epoch: Int, totalEpochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(milestones, factor):
            // A milestone that rounds to epoch 0 (very short runs) would decay the rate before
            // any training; it is skipped.
            let passed = milestones.filter { fraction in
                let milestone = Int((Double(totalEpochs) * fraction).rounded(.down))
                return milestone > 0 && epoch >= milestone
            }.count
            return base * Float(pow(factor, Double(passed)))
        case .cosine:
            let t = Double(epoch) / Double(max(totalEpochs, 1))
            return base * Float(0.5 * (1 + cos(Double.pi * t)))
        }
    }
}
