/// Everything a user can get wrong about data: a missing folder or file, a damaged file,
/// or a data set that does not fit the model.
///
/// Each description is one sentence that names the file and says how to fix it, so a lab
/// can print it as is and exit, without a stack trace.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A file the data set needs is not there; `remedy` says how to get it.
    case missingFile(path: String, remedy: String)
    /// The folder given with `--data-dir` does not exist.
    case missingDirectory(path: String)
    /// The data set has no default location, so the user must name a folder.
    case directoryRequired(dataset: String, files: String)
    /// The file exists but could not be read (permissions, I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file starts like gzip but does not decompress.
    case corruptGzip(path: String, reason: String)
    /// The first four bytes of an IDX file are not the expected magic number.
    case wrongMagic(path: String, found: UInt32, expected: UInt32)
    /// The header's dimensions are impossible (zero or absurdly large).
    case badDimensions(path: String, dimensions: [Int])
    /// The file holds fewer bytes than its header promises.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The file holds more bytes than its header describes.
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    /// The image and label files of one split describe different numbers of samples.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label is not one of the data set's classes.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// A CIFAR-10 binary file whose size is not a whole number of 3073-byte records.
    case cifarSize(path: String, size: Int)
    /// The data set's samples do not have the shape the model takes as input.
    case incompatibleInput(dataset: String, sampleShape: [Int], modelInput: [Int])
    /// A data set name that is not one of `DatasetKind`'s.
    case unknownDataset(name: String)

    public var description: String {
        switch self {
        case let .missingFile(path, remedy):
            return "cannot find \(path): \(remedy)"
        case let .missingDirectory(path):
            return "the data folder \(path) does not exist: pass --data-dir with the folder that holds the data set's files"
        case let .directoryRequired(dataset, files):
            return "the \(dataset) data set has no default location: pass --data-dir with the folder that holds \(files)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path) (\(reason)): check that it is a file readable by this user"
        case let .corruptGzip(path, reason):
            return "\(path) is not a valid gzip file (\(reason)): replace it with an intact copy \(Self.sourceHint(path))"
        case let .wrongMagic(path, found, expected):
            let kind = expected == IDXReader.imageMagic ? "image" : "label"
            return "\(path) is not an IDX \(kind) file (magic number \(Self.hex(found)), expected \(Self.hex(expected))): "
                + "check that the file names are not swapped and replace the file with an intact copy \(Self.sourceHint(path))"
        case let .badDimensions(path, dimensions):
            return "\(path) declares impossible dimensions \(dimensions): replace it with an intact copy \(Self.sourceHint(path))"
        case let .truncated(path, expected, actual):
            return "\(path) is truncated (\(actual) bytes of data where its header needs \(expected)): "
                + "replace it with a complete copy \(Self.sourceHint(path))"
        case let .trailingBytes(path, expected, actual):
            return "\(path) has \(actual - expected) bytes more than its header describes (\(actual) instead of \(expected)): "
                + "replace it with an intact copy \(Self.sourceHint(path))"
        case let .countMismatch(imagesPath, images, labelsPath, labels):
            return "\(imagesPath) holds \(images) images but \(labelsPath) holds \(labels) labels: "
                + "use the image and label files of the same split of the same data set"
        case let .labelOutOfRange(path, index, label, classCount):
            return "\(path) has label \(label) at sample \(index), outside 0..<\(classCount): "
                + "replace it with an intact copy \(Self.sourceHint(path))"
        case let .cifarSize(path, size):
            return "\(path) has \(size) bytes, which is not a whole number of 3073-byte CIFAR-10 records: "
                + "use the files of the CIFAR-10 binary version (cifar-10-batches-bin) and replace damaged ones"
        case let .incompatibleInput(dataset, sampleShape, modelInput):
            return "the \(dataset) data set has samples of shape \(Self.shape(sampleShape)) but the model takes "
                + "\(Self.shape(modelInput)): choose a data set with that shape or build the model for "
                + "\(Self.shape(sampleShape)) inputs (28×28 images can be padded to 32×32)"
        case let .unknownDataset(name):
            return "unknown data set \"\(name)\": use one of \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    private static func shape(_ shape: [Int]) -> String {
        shape.map(String.init).joined(separator: "×")
    }

    /// Files under Debian's data set folder come from a package, so reinstalling restores them.
    private static func sourceHint(_ path: String) -> String {
        path.hasPrefix(DatasetLoader.defaultFashionMNISTDirectory.path)
            ? "(apt-get install --reinstall dataset-fashion-mnist)"
            : "(from the data set's original distribution)"
    }
}
