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
        let bytes = try readRaw(url)
        if isGzip(bytes) { return try gunzip(bytes, path: url.path) }
        return bytes
    }

    /// True when `bytes` starts with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The file's bytes as stored on disk.
    static func readRaw(_ url: URL) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DatasetError.missingFile(path: url.path, remedy: "check the path")
        }
        if isDirectory.boolValue {
            throw DatasetError.unreadableFile(path: url.path, reason: "it is a folder")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw DatasetError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Decompresses gzip data (one or more concatenated members), checking each CRC.
    static func gunzip(_ compressed: [UInt8], path: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: the largest window, and detect the gzip (or zlib) header automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.corruptGzip(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(sizeHint(compressed))
        let chunkSize = 1 << 20
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }

        try compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                stream.next_out = chunk
                stream.avail_out = UInt32(chunkSize)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = chunkSize - Int(stream.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
                if output.count > maximumSize {
                    throw DatasetError.corruptGzip(path: path, reason: "it expands beyond \(maximumSize) bytes")
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member may follow (concatenated files are valid gzip).
                    if stream.avail_in == 0 { return }
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
        }
        return output
    }

    /// gzip's trailer stores the uncompressed size modulo 2³²; use it to size the output
    /// once, but never trust it beyond a plausible compression ratio.
    private static func sizeHint(_ compressed: [UInt8]) -> Int {
        guard compressed.count >= 18 else { return 0 }
        let n = compressed.count
        let stored = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
        return min(stored, compressed.count * 20, maximumSize)
    }
}
