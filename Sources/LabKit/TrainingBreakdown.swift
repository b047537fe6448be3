import Networks

/// A training run that broke down: its training accuracy fell far below what it had already
/// reached, or ended far below the training accuracy of a run that trained properly. At lr 0.1
/// a narrow pruned network trained from scratch can do this (seed 2's slimmed PreResNet-20 fell
/// from 54.0 % to 26.7 % in its second epoch, and PyTorch given the same initial weights and
/// the same batches fell the same way). A broken-down run says nothing about the method it is
/// compared with, so the report must say so instead of comparing with it.
public struct TrainingBreakdown: Sendable, Equatable {
    /// A fall of this much training accuracy (10 points) counts as a breakdown: a healthy run's
    /// epoch-mean training accuracy does not fall at a constant or falling learning rate.
    public static let margin: Float = 0.10

    public enum Kind: Sendable, Equatable {
        /// The training accuracy of `epoch` (from 1) fell to `to`, from `from` after `bestEpoch`; the run's last
        /// epoch ended at `final` (a run can climb back part of the way), against `reference` when it was given.
        case fell(epoch: Int, bestEpoch: Int, from: Float, to: Float, final: Float, reference: Float?)
        /// The run ended at a training accuracy of `final`, against `reference` for a run that
        /// trained properly (the baseline, trained the same way from scratch).
        case lagged(final: Float, reference: Float)
    }

    public let kind: Kind

    /// The first breakdown in `records`: a fall of at least `margin` below the best earlier
    /// epoch; else, given the `reference` training accuracy, a last epoch at least `margin`
    /// below it; else nil.
    public static func find(_ records: [EpochRecord], reference: Float? = nil) -> TrainingBreakdown? {
        var best: (epoch: Int, accuracy: Float)?
        for record in records {
            if let best, record.trainAccuracy <= best.accuracy - margin {
                return TrainingBreakdown(kind: .fell(epoch: record.epoch, bestEpoch: best.epoch, from: best.accuracy,
                                                     to: record.trainAccuracy, final: records.last!.trainAccuracy,
                                                     reference: reference))
            }
            if best.map({ record.trainAccuracy > $0.accuracy }) ?? true { best = (record.epoch, record.trainAccuracy) }
        }
        if let reference, let last = records.last, last.trainAccuracy <= reference - margin {
            return TrainingBreakdown(kind: .lagged(final: last.trainAccuracy, reference: reference))
        }
        return nil
    }

    /// For the JSON results (`breakdown.<stage>`).
    var metric: MetricValue {
        switch kind {
        case let .fell(epoch, bestEpoch, from, to, final, reference):
            var fields: [String: MetricValue] = ["kind": .text("fell"), "epoch": .number(Double(epoch)),
                                                 "best_epoch": .number(Double(bestEpoch)), "from": .number(Double(from)),
                                                 "to": .number(Double(to)), "final": .number(Double(final))]
            if let reference { fields["reference"] = .number(Double(reference)) }
            return .record(fields)
        case let .lagged(final, reference):
            return .record(["kind": .text("lagged"), "final": .number(Double(final)), "reference": .number(Double(reference))])
        }
    }
}
