import Foundation
import Tensors

/// The one entry point the labs use to get a training and a test set.
public enum DatasetLoader {
    /// Where Debian's `dataset-fashion-mnist` package puts the files.
    public static let defaultFashionMNISTDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
    /// Sizes of the synthetic set when no limit is given: small, so smoke runs take seconds.
    public static let syntheticTrainCount = 2000
    public static let syntheticTestCount = 500

    /// Loads a data set's two splits, normalised with the training split's per-channel mean and std.
    ///
    /// - Parameters:
    ///   - dataDirectory: the folder of the files; `nil` means the default location
    ///     (only Fashion-MNIST has one).
    ///   - pad32: zero-pad images smaller than 32×32 to 32×32 (28×28 gets 2 black pixels on
    ///     each side), so 32×32 architectures apply unchanged.
    ///   - trainLimit, testLimit: keep only this many samples of a split, every class as equally
    ///     represented as possible, for quick presets. The statistics still come from the whole
    ///     training split, so a quick run sees the same normalisation as a full one.
    ///   - seed: used by the synthetic set and as the default augmentation seed.
    public static func load(_ kind: DatasetKind, dataDirectory: URL? = nil, pad32: Bool = false,
                            trainLimit: Int? = nil, testLimit: Int? = nil, seed: UInt64 = 0) throws
        -> (train: LabeledImages, test: LabeledImages)
    {
        var (train, test) = try readRaw(kind, dataDirectory: dataDirectory, trainLimit: trainLimit,
                                        testLimit: testLimit, seed: seed)
        let statistics = ChannelStatistics(measuring: train)
        if let trainLimit { train = train.subset(indices: stratifiedIndices(labels: train.labels, classCount: train.classCount, count: trainLimit)) }
        if let testLimit { test = test.subset(indices: stratifiedIndices(labels: test.labels, classCount: test.classCount, count: testLimit)) }

        let padding = pad32 ? max(0, (32 - min(train.height, train.width)) / 2) : 0
        let trainSet = LabeledImages(name: kind.rawValue, raw: train, statistics: statistics, padding: padding)
        let testSet = LabeledImages(name: kind.rawValue, raw: test, statistics: statistics, padding: padding)
        trainSet.augmentationSeed = seed
        testSet.augmentationSeed = seed
        return (trainSet, testSet)
    }

    /// The raw bytes of both splits, read from files or made up for the synthetic set.
    public static func readRaw(_ kind: DatasetKind, dataDirectory: URL?, trainLimit: Int? = nil,
                               testLimit: Int? = nil, seed: UInt64 = 0) throws -> (train: RawImages, test: RawImages)
    {
        switch kind {
        case .synthetic:
            return (SyntheticImages.make(count: max(0, trainLimit ?? syntheticTrainCount), shape: kind.sampleShape, seed: seed),
                    SyntheticImages.make(count: max(0, testLimit ?? syntheticTestCount), shape: kind.sampleShape,
                                         seed: seed ^ 0x7E57_7E57_7E57_7E57))
        case .fashionMNIST, .mnist:
            let directory = try resolveDirectory(kind, dataDirectory)
            let names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
            let urls = try names.map { try locateIDXFile($0, in: directory, kind: kind) }
            // The two splits are independent: decompress them on both cores.
            var splits: [Result<RawImages, Error>] = [.failure(CancellationError()), .failure(CancellationError())]
            splits.withUnsafeMutableBufferPointer { splits in
                parallelFor(2) { range in
                    for split in range {
                        splits[split] = Result { try IDXReader.read(images: urls[2 * split], labels: urls[2 * split + 1]) }
                    }
                }
            }
            return (try splits[0].get(), try splits[1].get())
        case .cifar10:
            var directory = try resolveDirectory(kind, dataDirectory)
            // Accept the folder that contains the unpacked archive too.
            let unpacked = directory.appendingPathComponent("cifar-10-batches-bin")
            if !exists(directory.appendingPathComponent(CIFAR10Reader.testFiles[0])), exists(unpacked) {
                directory = unpacked
            }
            return (try CIFAR10Reader.read(directory: directory, files: CIFAR10Reader.trainFiles),
                    try CIFAR10Reader.read(directory: directory, files: CIFAR10Reader.testFiles))
        }
    }

    /// The folder to read: the user's, which must exist, or the data set's default.
    private static func resolveDirectory(_ kind: DatasetKind, _ given: URL?) throws -> URL {
        if let given {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DatasetError.missingDirectory(path: given.path)
            }
            return given
        }
        switch kind {
        case .fashionMNIST:
            return defaultFashionMNISTDirectory
        case .mnist:
            throw DatasetError.directoryRequired(dataset: "MNIST", files: "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                                                     + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
        case .cifar10:
            throw DatasetError.directoryRequired(dataset: "CIFAR-10", files: "CIFAR-10's binary files "
                                                     + "(data_batch_1.bin … data_batch_5.bin and test_batch.bin)")
        case .synthetic:
            return URL(fileURLWithPath: "/")
        }
    }

    /// `name.gz` if present, else `name`; the error names the `.gz` path, the usual form.
    private static func locateIDXFile(_ name: String, in directory: URL, kind: DatasetKind) throws -> URL {
        let gzipped = directory.appendingPathComponent(name + ".gz")
        if exists(gzipped) { return gzipped }
        let plain = directory.appendingPathComponent(name)
        if exists(plain) { return plain }
        throw DatasetError.missingFile(path: gzipped.path, remedy: kind.remedy)
    }

    private static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}
