import Networks
import Pruning

/// A change of the weights after the last step of every epoch (`Trainer.endOfEpoch`), with the
/// words that name its settings: `Notebook.train` puts them in the stage's cache key, so a stage
/// trained with other settings (another soft-pruning ratio) is never reused.
public struct EndOfEpochHook {
    /// The settings, as the stage cache key and a report name them.
    public let description: String
    /// Called with the network and the epoch's index (from 0).
    public let body: (Network, Int) -> Void

    public init(_ description: String, _ body: @escaping (Network, Int) -> Void) {
        self.description = description
        self.body = body
    }

    /// Soft filter pruning (He et al. 2018): `sfp` zeroes its filters after the epochs it names
    /// of a training of `epochs` epochs.
    public static func softFilterPruning(_ sfp: SoftFilterPruning, epochs: Int) -> EndOfEpochHook {
        EndOfEpochHook(sfp.description, sfp.endOfEpochHook(epochs: epochs))
    }

    /// What the stage cache key records of a stage's training hooks: the penalty's description
    /// ("none" without one, as before hooks existed) and the end-of-epoch hook's, when there is one.
    static func regularizer(penalty: BatchNormL1Penalty?, endOfEpoch: EndOfEpochHook?) -> String {
        (penalty?.description ?? "none") + (endOfEpoch.map { " | end of epoch: " + $0.description } ?? "")
    }
}
