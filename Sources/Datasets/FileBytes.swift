import CZlib
import Foundation

/// Reads a whole data file into memory, decompressing it when it is gzip.
///
/// The format is decided by the first two bytes (gzip's magic 0x1f 0x8b), not by the file
/// name, so `train-images-idx3-ubyte` works whether or not it was gunzipped.
public enum FileBytes {
    /// Decompressed data larger than this is refused: no supported data set comes close,
    /// and a hostile file (a "gzip bomb") must not exhaust memory.
    public static let maximumSize = 1 << 31

    /// The file's bytes, decompressed if the file is gzip.
    public static func read(_ url: URL) throws -> [UInt8] {
        let data = try readData(url)
        return try data.withUnsafeBytes { (stored: UnsafeRawBufferPointer) in
            let stored = stored.bindMemory(to: UInt8.self)
            return isGzip(stored) ? try gunzip(stored, path: url.path) : Array(stored)
        }
    }

    /// `bytes` decompressed if they are gzip, else unchanged: `read` without the file, for
    /// tests and fuzzing. `path` only names the data in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { isGzip($0) ? try gunzip($0, path: path) : bytes }
    }

    /// True when `bytes` starts with the gzip magic number.
    public static func isGzip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// True when `bytes` starts with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isGzip($0) }
    }

    /// The file's bytes as stored on disk (mapped into memory rather than copied when possible).
    static func readData(_ url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DatasetError.missingFile(path: url.path, remedy: "check the path")
        }
        if isDirectory.boolValue {
            throw DatasetError.unreadableFile(path: url.path, reason: "it is a folder")
        }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw DatasetError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Decompresses gzip data (one or more concatenated members), checking each CRC.
    ///
    /// Inflates straight into the result array, sized from the gzip trailer; if the trailer
    /// lies, the array is replaced by one twice as large and inflating goes on.
    static func gunzip(_ compressed: UnsafeBufferPointer<UInt8>, path: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: the largest window, and detect the gzip (or zlib) header automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.corruptGzip(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress)
        stream.avail_in = UInt32(compressed.count)

        var output: [UInt8] = []
        var capacity = max(sizeHint(compressed), 1 << 16)
        var finished = false
        while !finished {
            output = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, produced in
                produced = output.count
                _ = buffer.initialize(from: output)
                finished = try inflate(&stream, into: buffer, produced: &produced, path: path)
            }
            if !finished {
                guard capacity < maximumSize else {
                    throw DatasetError.corruptGzip(path: path, reason: "it expands beyond \(maximumSize) bytes")
                }
                capacity = min(capacity * 2, maximumSize)
            }
        }
        return output
    }

    /// Inflates into `buffer` from `produced` on; true at the end of the data, false when the
    /// buffer is full first.
    private static func inflate(_ stream: inout z_stream, into buffer: UnsafeMutableBufferPointer<UInt8>,
                                produced: inout Int, path: String) throws -> Bool {
        while produced < buffer.count {
            // zlib counts in 32 bits: offer at most 1 GiB of output space per call.
            let space = min(buffer.count - produced, 1 << 30)
            stream.next_out = buffer.baseAddress! + produced
            stream.avail_out = UInt32(space)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            produced += space - Int(stream.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow (concatenated files are valid gzip).
                if stream.avail_in == 0 { return true }
                guard inflateReset(&stream) == Z_OK else {
                    throw DatasetError.corruptGzip(path: path, reason: "zlib could not restart")
                }
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DatasetError.corruptGzip(path: path, reason: "the compressed data ends early")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DatasetError.corruptGzip(path: path, reason: message)
            }
        }
        return false
    }

    /// gzip's trailer stores the uncompressed size modulo 2³²; use it to size the output
    /// once, but never trust it beyond a plausible compression ratio.
    private static func sizeHint(_ compressed: UnsafeBufferPointer<UInt8>) -> Int {
        guard compressed.count >= 18 else { return 0 }
        let n = compressed.count
        let stored = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
        return min(stored, compressed.count * 64, maximumSize)
    }
}
