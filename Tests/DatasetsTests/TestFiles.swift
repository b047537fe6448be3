import CZlib
import Foundation
@testable import Datasets
import TestSupport

/// Builds small data files for the tests, in a fresh temporary folder per test.
struct TestFolder {
    let url: URL

    init() throws {
        url = try temporaryFolder(prefix: "datasets-tests")
    }

    /// A folder at `url`, created if needed (removed with its parent).
    init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` (gzip-compressed when `gzip`) to `name` and returns the file's URL.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(gzip ? gzipCompress(bytes) : bytes).write(to: file)
        return file
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes the four MNIST-style files of a tiny data set (3 training and 2 test images of 4×5).
    func writeTinyMNIST(gzip: Bool) throws {
        let suffix = gzip ? ".gz" : ""
        try write("train-images-idx3-ubyte" + suffix, idxImages(count: 3, height: 4, width: 5), gzip: gzip)
        try write("train-labels-idx1-ubyte" + suffix, idxLabels([1, 0, 9]), gzip: gzip)
        try write("t10k-images-idx3-ubyte" + suffix, idxImages(count: 2, height: 4, width: 5, offset: 7), gzip: gzip)
        try write("t10k-labels-idx1-ubyte" + suffix, idxLabels([3, 3]), gzip: gzip)
    }
}

/// A big-endian 32-bit integer, as IDX headers store them.
func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

/// An IDX image file whose pixel i is (i + offset) mod 256.
func idxImages(count: Int, height: Int, width: Int, offset: Int = 0, magic: UInt32 = 0x803) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(height)) + bigEndian(UInt32(width))
        + (0..<count * height * width).map { UInt8(($0 + offset) % 256) }
}

/// An IDX label file.
func idxLabels(_ labels: [UInt8], magic: UInt32 = 0x801) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
}

/// CIFAR-10 records: label, then 3072 pixels where pixel i of record r is (r + i) mod 256.
func cifarRecords(labels: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    for (r, label) in labels.enumerated() {
        bytes.append(label)
        bytes += (0..<3072).map { UInt8((r + $0) % 256) }
    }
    return bytes
}

/// gzip-compresses `bytes` with zlib (windowBits 15 + 16 writes a gzip header and trailer).
func gzipCompress(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    let capacity = Int(deflateBound(&stream, UInt(bytes.count)))
    var output = [UInt8](repeating: 0, count: capacity)
    let written = input.withUnsafeMutableBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            stream.next_in = input.baseAddress
            stream.avail_in = UInt32(input.count)
            stream.next_out = output.baseAddress
            stream.avail_out = UInt32(output.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return output.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<written])
}

/// Runs `body` and returns the `DatasetError` it throws, or nil if it throws none.
func datasetError<T>(_ body: () throws -> T) -> DatasetError? {
    do {
        _ = try body()
        return nil
    } catch let error as DatasetError {
        return error
    } catch {
        return nil
    }
}
