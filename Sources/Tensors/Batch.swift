/// One mini-batch: inputs with the batch as the first dimension, and a class label per row.
public struct Batch {
    public let inputs: Tensor
    public let labels: [Int]

    public init(inputs: Tensor, labels: [Int]) {
        self.inputs = inputs
        self.labels = labels
    }

    public var count: Int { labels.count }
}

/// A labelled data set served as mini-batches (implemented by the `Datasets` target).
///
/// The training loop only needs this, so `Networks` does not depend on any file format.
public protocol BatchSource: AnyObject {
    /// Number of samples.
    var sampleCount: Int { get }
    /// Shape of one sample, e.g. `[1, 28, 28]`.
    var sampleShape: [Int] { get }
    /// Number of classes (labels are 0..<classCount).
    var classCount: Int { get }
    /// Calls `body` with each batch of one epoch, in order; the last batch may be smaller.
    /// With `shuffleSeed` the order is a seeded permutation; with `augment` each training
    /// image gets the data set's augmentation (e.g. random crop and flip), also seeded.
    func forEachBatch(size: Int, shuffleSeed: UInt64?, augment: Bool, _ body: (Batch) throws -> Void) rethrows
}
