import Tensors

/// A labelled image data set held in memory as normalised Float32, served as mini-batches.
///
/// Images are stored once as an N×C×H×W tensor, already normalised (and padded if asked),
/// so an epoch only copies rows into the batch; augmentation, when asked, happens during
/// that copy. This is what the training loop (`BatchSource`) consumes.
public final class LabeledImages: BatchSource {
    /// Short name of the data set, used in messages (e.g. `fashion-mnist`).
    public let name: String
    /// All images, `[N, C, H, W]`, normalised.
    public let images: Tensor
    /// The class of each image.
    public let labels: [Int]
    public let classCount: Int
    /// The mean and std the images were normalised with (measured on the training split).
    public let statistics: ChannelStatistics
    /// Pixels of black border added around each image before a random crop (torchvision's
    /// `RandomCrop(size, padding: 4)`).
    public var cropPadding = 4
    /// Seed of the augmentation when `forEachBatch` is given no shuffle seed.
    public var augmentationSeed: UInt64 = 0

    public var sampleCount: Int { labels.count }
    public var sampleShape: [Int] { Array(images.shape.dropFirst()) }

    /// Wraps already normalised images.
    public init(name: String, images: Tensor, labels: [Int], classCount: Int, statistics: ChannelStatistics) {
        precondition(images.shape.count == 4 && images.shape[0] == labels.count,
                     "images must be [N, C, H, W] with one label per image, got \(images.shape) and \(labels.count) labels")
        precondition(statistics.mean.count == images.shape[1], "one mean and std per channel")
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "labels must be in 0..<\(classCount)")
        self.name = name
        self.images = images
        self.labels = labels
        self.classCount = classCount
        self.statistics = statistics
    }

    /// Converts raw bytes to normalised Float32, as torchvision's `Pad(padding)` (with black),
    /// then `ToTensor()`, then `Normalize(mean, std)` would.
    ///
    /// - Parameter padding: pixels of black border added on every side (2 turns 28×28 into 32×32).
    public convenience init(name: String, raw: RawImages, statistics: ChannelStatistics, padding: Int = 0) {
        precondition(padding >= 0, "padding must not be negative")
        precondition(statistics.mean.count == raw.channels, "one mean and std per channel")
        let (channels, height, width) = (raw.channels, raw.height, raw.width)
        let (outHeight, outWidth) = (height + 2 * padding, width + 2 * padding)
        let images = Tensor(shape: [raw.count, channels, outHeight, outWidth])
        let tables = (0..<channels).flatMap { statistics.lookupTable(channel: $0) }
        let border = statistics.normalisedZero
        let output = images.data

        tables.withUnsafeBufferPointer { tables in
            raw.pixels.withUnsafeBufferPointer { pixels in
                // Images are independent: each worker converts its own range of them.
                parallelFor(raw.count, minimumPerWorker: 256) { range in
                    for image in range {
                        for c in 0..<channels {
                            let table = tables.baseAddress! + c * 256
                            let source = pixels.baseAddress! + (image * channels + c) * height * width
                            let plane = output + (image * channels + c) * outHeight * outWidth
                            if padding > 0 { plane.update(repeating: border[c], count: outHeight * outWidth) }
                            for y in 0..<height {
                                let row = source + y * width
                                let target = plane + (y + padding) * outWidth + padding
                                for x in 0..<width { target[x] = table[Int(row[x])] }
                            }
                        }
                    }
                }
            }
        }
        self.init(name: name, images: images, labels: raw.labels, classCount: raw.classCount, statistics: statistics)
    }

    /// The samples at `indices`, in that order (a copy).
    public func subset(indices: [Int]) -> LabeledImages {
        let size = images.count / max(sampleCount, 1)
        let picked = Tensor(shape: [indices.count] + sampleShape)
        for (row, index) in indices.enumerated() {
            precondition((0..<sampleCount).contains(index), "sample \(index) is outside 0..<\(sampleCount)")
            (picked.data + row * size).update(from: images.data + index * size, count: size)
        }
        let result = LabeledImages(name: name, images: picked, labels: indices.map { labels[$0] },
                                   classCount: classCount, statistics: statistics)
        result.cropPadding = cropPadding
        result.augmentationSeed = augmentationSeed
        return result
    }

    /// The first `count` samples (all of them if there are fewer).
    public func subset(first count: Int) -> LabeledImages {
        subset(indices: Array(0..<min(max(count, 0), sampleCount)))
    }

    /// `count` samples with every class as equally represented as the data allows, kept in
    /// their original order (see `stratifiedIndices`).
    public func stratifiedSubset(count: Int) -> LabeledImages {
        subset(indices: stratifiedIndices(labels: labels, classCount: classCount, count: count))
    }

    /// Throws a clear error unless one sample has exactly the shape the model takes as input
    /// (e.g. a 3-channel CIFAR-10 set given to a 1-channel model).
    public func checkFits(modelInput: [Int]) throws {
        guard sampleShape == modelInput else {
            throw DatasetError.incompatibleInput(dataset: name, sampleShape: sampleShape, modelInput: modelInput)
        }
    }

    /// How many samples of each class there are.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
