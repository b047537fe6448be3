import Foundation

/// Reads the binary version of CIFAR-10 (`cifar-10-batches-bin`).
///
/// Each file is a run of 3073-byte records: one label byte, then a 32×32 colour image as
/// three 1024-byte planes (red, green, blue), which is already the C×H×W layout we use.
public enum CIFAR10Reader {
    public static let imageSize = 3 * 32 * 32
    public static let recordSize = 1 + imageSize
    public static let classCount = 10
    /// The training split's files, in order.
    public static let trainFiles = (1...5).map { "data_batch_\($0).bin" }
    /// The test split's file.
    public static let testFiles = ["test_batch.bin"]

    /// Reads and joins `files` from `directory`.
    public static func read(directory: URL, files: [String]) throws -> RawImages {
        var result = RawImages(pixels: [], labels: [], channels: 3, height: 32, width: 32, classCount: classCount)
        for name in files {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DatasetError.missingFile(path: url.path, remedy: DatasetKind.cifar10.remedy)
            }
            result.append(try parse(FileBytes.read(url), path: url.path))
        }
        return result
    }

    /// The images and labels of one CIFAR-10 binary file.
    public static func parse(_ bytes: [UInt8], path: String) throws -> RawImages {
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw DatasetError.cifarSize(path: path, size: bytes.count)
        }
        let count = bytes.count / recordSize
        var pixels = [UInt8](repeating: 0, count: count * imageSize)
        var labels = [Int](repeating: 0, count: count)
        try bytes.withUnsafeBufferPointer { source in
            try pixels.withUnsafeMutableBufferPointer { destination in
                for index in 0..<count {
                    let record = source.baseAddress! + index * recordSize
                    let label = Int(record[0])
                    guard label < classCount else {
                        throw DatasetError.labelOutOfRange(path: path, index: index, label: label, classCount: classCount)
                    }
                    labels[index] = label
                    (destination.baseAddress! + index * imageSize).update(from: record + 1, count: imageSize)
                }
            }
        }
        return RawImages(pixels: pixels, labels: labels, channels: 3, height: 32, width: 32, classCount: classCount)
    }
}
