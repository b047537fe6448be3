import Foundation

/// Reads the IDX files of MNIST and Fashion-MNIST (raw or gzip).
///
/// An IDX file is a big-endian header, then unsigned bytes: images are
/// `0x00000803, N, rows, cols` then N·rows·cols pixels; labels are `0x00000801, N` then N bytes.
/// Every field is checked, so a damaged file is refused with a clear error instead of
/// producing garbage or crashing.
public enum IDXReader {
    /// Magic number of an IDX file of unsigned bytes with 3 dimensions (images).
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of an IDX file of unsigned bytes with 1 dimension (labels).
    public static let labelMagic: UInt32 = 0x0000_0801
    /// Largest height or width accepted; real data sets are far smaller, a damaged header is not.
    public static let maximumSide = 4096

    /// Reads a split: the images file and its labels file, which must describe the same samples.
    public static func read(images imagesURL: URL, labels labelsURL: URL, classCount: Int = 10) throws -> RawImages {
        let images = try parseImages(FileBytes.read(imagesURL), path: imagesURL.path)
        let labels = try parseLabels(FileBytes.read(labelsURL), path: labelsURL.path, classCount: classCount)
        guard images.count == labels.count else {
            throw DatasetError.countMismatch(imagesPath: imagesURL.path, images: images.count,
                                             labelsPath: labelsURL.path, labels: labels.count)
        }
        return RawImages(pixels: images.pixels, labels: labels, channels: 1,
                         height: images.height, width: images.width, classCount: classCount)
    }

    /// The pixels of an IDX image file, after checking its magic number, dimensions and length.
    public static func parseImages(_ bytes: consuming [UInt8], path: String) throws
        -> (count: Int, height: Int, width: Int, pixels: [UInt8])
    {
        let headerSize = 16
        try checkMagic(bytes, expected: imageMagic, headerSize: headerSize, path: path)
        let count = bigEndianInt(bytes, at: 4)
        let height = bigEndianInt(bytes, at: 8)
        let width = bigEndianInt(bytes, at: 12)
        guard count > 0, (1...maximumSide).contains(height), (1...maximumSide).contains(width) else {
            throw DatasetError.badDimensions(path: path, dimensions: [count, height, width])
        }
        // At most 2³²·2¹²·2¹² bytes: fits in Int without overflow.
        try checkLength(bytes, expected: headerSize + count * height * width, path: path)
        // Drop the header in place: the file's array becomes the pixel array, without a copy.
        var pixels = bytes
        pixels.removeSubrange(0..<headerSize)
        return (count, height, width, pixels)
    }

    /// The labels of an IDX label file, each checked to be in 0..<classCount.
    public static func parseLabels(_ bytes: [UInt8], path: String, classCount: Int) throws -> [Int] {
        let headerSize = 8
        try checkMagic(bytes, expected: labelMagic, headerSize: headerSize, path: path)
        let count = bigEndianInt(bytes, at: 4)
        guard count > 0 else { throw DatasetError.badDimensions(path: path, dimensions: [count]) }
        try checkLength(bytes, expected: headerSize + count, path: path)
        var labels = [Int](repeating: 0, count: count)
        for index in 0..<count {
            let label = Int(bytes[headerSize + index])
            guard label < classCount else {
                throw DatasetError.labelOutOfRange(path: path, index: index, label: label, classCount: classCount)
            }
            labels[index] = label
        }
        return labels
    }

    private static func checkMagic(_ bytes: [UInt8], expected: UInt32, headerSize: Int, path: String) throws {
        // A file too short for the magic number is judged by its length, not its first bytes.
        guard bytes.count >= 4 else {
            throw DatasetError.truncated(path: path, expectedBytes: headerSize, actualBytes: bytes.count)
        }
        let magic = UInt32(bigEndianInt(bytes, at: 0))
        guard magic == expected else { throw DatasetError.wrongMagic(path: path, found: magic, expected: expected) }
        guard bytes.count >= headerSize else {
            throw DatasetError.truncated(path: path, expectedBytes: headerSize, actualBytes: bytes.count)
        }
    }

    private static func checkLength(_ bytes: [UInt8], expected: Int, path: String) throws {
        if bytes.count < expected {
            throw DatasetError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        if bytes.count > expected {
            throw DatasetError.trailingBytes(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
    }

    private static func bigEndianInt(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }
}
