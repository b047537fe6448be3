import AtomicFiles
import Foundation
import Tensors

extension SafeTensorsFile {
    /// The file's bytes: header length, padded JSON header, then every tensor's data.
    ///
    /// `path` only names the destination in errors.
    public func encoded(path: String = "<memory>") throws -> Data {
        var seen = Set<String>()
        for entry in entries {
            guard entry.name != Self.metadataKey else {
                throw CheckpointError.invalidContents(path: path, problem: "a tensor is named \(Self.metadataKey), which safetensors reserves")
            }
            guard seen.insert(entry.name).inserted else {
                throw CheckpointError.invalidContents(path: path, problem: "two tensors are named '\(entry.name)'")
            }
        }
        var header: [String: Any] = [:]
        var offset = 0
        for entry in entries {
            let size = entry.tensor.count * 4
            header[entry.name] = ["dtype": "F32", "shape": entry.tensor.shape,
                                  "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header[Self.metadataKey] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // As the reference writer: pad with spaces so the data starts 8-byte aligned.
        let padding = (8 - json.count % 8) % 8
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: padding))

        var bytes = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        for entry in entries {
            appendLittleEndian(entry.tensor, to: &bytes)
        }
        return bytes
    }

    /// Writes the file atomically: a temporary file in the same folder, then a rename, so an
    /// interrupted or failed write never leaves a half-written file or loses an earlier one.
    public func write(to url: URL) throws {
        do {
            try AtomicFile.write(encoded(path: url.path), to: url)
        } catch let error as AtomicWriteError {
            throw CheckpointError.writeFailed(path: error.path, reason: error.reason)
        }
    }

    private func appendLittleEndian(_ tensor: Tensor, to bytes: inout Data) {
        let count = tensor.count
        guard count > 0 else { return }
        #if _endian(little)
        bytes.append(UnsafeBufferPointer(start: tensor.data, count: count))
        #else
        var swapped = [UInt32](repeating: 0, count: count)
        for i in 0..<count { swapped[i] = tensor.data[i].bitPattern.littleEndian }
        swapped.withUnsafeBufferPointer { bytes.append($0) }
        #endif
    }
}
