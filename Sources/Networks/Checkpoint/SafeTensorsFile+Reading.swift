import Foundation
import Tensors

extension SafeTensorsFile {
    /// Reads and checks a safetensors file of F32 tensors.
    public static func read(from url: URL) throws -> SafeTensorsFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CheckpointError.missingFile(path: url.path)
        }
        guard !isDirectory.boolValue else {
            throw CheckpointError.unreadableFile(path: url.path, reason: "it is a folder")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError.unreadableFile(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, path: url.path)
    }

    /// Decodes the bytes of a safetensors file; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws -> SafeTensorsFile {
        try data.withUnsafeBytes { try decode($0, path: path) }
    }

    /// Decodes the bytes of a safetensors file, checking every field before trusting it:
    /// lengths, JSON, entry fields, dtype, and that the tensors tile the data exactly
    /// (in range, no overlap, no gap, each as long as its shape needs).
    public static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> SafeTensorsFile {
        guard bytes.count >= 8 else { throw CheckpointError.tooShort(path: path, size: bytes.count) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard headerLength <= maximumHeaderLength else {
            throw CheckpointError.headerTooLarge(path: path, headerLength: headerLength)
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw CheckpointError.headerBeyondFile(path: path, headerLength: headerLength, fileSize: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let header = try parseHeader(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]), path: path)
        let dataLength = bytes.count - dataStart

        var metadata: [String: String] = [:]
        var described: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        // In name order, so a file with several problems always reports the same one first.
        for name in header.keys.sorted() {
            let value = header[name]!
            if name == metadataKey {
                metadata = try parseMetadata(value, path: path)
            } else {
                let (shape, begin, end) = try parseEntry(value, name: name, path: path)
                described.append((name, shape, begin, end))
            }
        }
        // The tensors must tile the data section: sorted by offset, each starts where the last ended.
        described.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        for tensor in described {
            if tensor.begin > position {
                throw CheckpointError.badOffsets(path: path, tensor: tensor.name,
                                                 problem: "start at byte \(tensor.begin), leaving bytes \(position)..<\(tensor.begin) unused")
            }
            if tensor.begin < position {
                throw CheckpointError.badOffsets(path: path, tensor: tensor.name,
                                                 problem: "start at byte \(tensor.begin), inside the previous tensor that ends at \(position)")
            }
            position = tensor.end
        }
        if position > dataLength {
            throw CheckpointError.truncated(path: path, expectedBytes: position, actualBytes: dataLength)
        }
        if position < dataLength {
            throw CheckpointError.trailingBytes(path: path, expectedBytes: position, actualBytes: dataLength)
        }

        var entries: [Entry] = []
        entries.reserveCapacity(described.count)
        for tensor in described {
            let values = Tensor(uninitializedShape: tensor.shape)
            let source = bytes.baseAddress! + dataStart + tensor.begin
            for i in 0..<values.count {
                let bits = source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                values.data[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
            entries.append(Entry(name: tensor.name, tensor: values))
        }
        return SafeTensorsFile(entries: entries, metadata: metadata)
    }

    private static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> [String: Any] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CheckpointError.headerNotJSON(path: path, reason: "it is not valid UTF-8")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw CheckpointError.headerNotJSON(path: path, reason: "it does not parse as JSON")
        }
        guard let header = object as? [String: Any] else {
            throw CheckpointError.headerNotJSON(path: path, reason: "it is JSON but not an object")
        }
        return header
    }

    private static func parseMetadata(_ value: Any, path: String) throws -> [String: String] {
        guard let pairs = value as? [String: Any] else {
            throw CheckpointError.badMetadataSection(path: path, problem: "is not a JSON object")
        }
        var metadata: [String: String] = [:]
        for (key, value) in pairs {
            guard let text = value as? String else {
                throw CheckpointError.badMetadataSection(path: path, problem: "has a non-string value under '\(key)'")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// Shape and byte range of one tensor entry, with every field checked.
    private static func parseEntry(_ value: Any, name: String, path: String) throws -> (shape: [Int], begin: Int, end: Int) {
        func bad(_ problem: String) -> CheckpointError {
            .badTensorEntry(path: path, tensor: name, problem: problem)
        }
        guard let fields = value as? [String: Any] else { throw bad("is not a JSON object") }
        guard let dtypeValue = fields["dtype"] else { throw bad("has no dtype") }
        guard let dtype = dtypeValue as? String else { throw bad("has a dtype that is not a string") }
        guard dtype == "F32" else {
            throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: dtype)
        }
        guard let shapeValue = fields["shape"] else { throw bad("has no shape") }
        guard let shape = naturalNumbers(shapeValue) else {
            throw bad("has a shape that is not a list of non-negative integers")
        }
        guard let offsetsValue = fields["data_offsets"] else { throw bad("has no data_offsets") }
        guard let offsets = naturalNumbers(offsetsValue), offsets.count == 2 else {
            throw bad("has data_offsets that are not two non-negative integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw CheckpointError.badOffsets(path: path, tensor: name, problem: "end (\(end)) before they begin (\(begin))")
        }
        // Element count × 4 bytes, refusing shapes whose size overflows.
        var bytes = 4
        for dimension in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw bad("has a shape \(shape) too large to exist") }
            bytes = product
        }
        guard end - begin == bytes else {
            throw CheckpointError.badOffsets(path: path, tensor: name,
                                             problem: "span \(end - begin) bytes but shape \(shape) needs \(bytes)")
        }
        return (shape, begin, end)
    }

    /// The value as `[Int]` if it is a JSON array of integers in 0..<2⁶².
    private static func naturalNumbers(_ value: Any) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var numbers: [Int] = []
        numbers.reserveCapacity(array.count)
        for element in array {
            // `as? Int` refuses fractions and numbers beyond Int; 2⁶² keeps byte sums from overflowing.
            guard let integer = element as? Int, integer >= 0, integer < 1 << 62 else { return nil }
            numbers.append(integer)
        }
        return numbers
    }
}
