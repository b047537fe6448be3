import Foundation
import Tensors

/// Named Float32 tensors and string metadata in the safetensors format, the format of
/// Hugging Face's `safetensors` package, so PyTorch can read what PruneLab writes.
///
/// Layout: 8 bytes little-endian header length N; N bytes of UTF-8 JSON
/// `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"key": "value"}}`, padded with spaces to a multiple of 8; then the raw
/// little-endian data, offsets counted from the end of the header.
public struct SafeTensorsFile {
    /// One stored tensor and its name (the key in the header).
    public struct Entry {
        public var name: String
        public var tensor: Tensor

        public init(name: String, tensor: Tensor) {
            self.name = name
            self.tensor = tensor
        }
    }

    /// The tensors, in the order their data is stored.
    public var entries: [Entry]
    /// Free-form string pairs kept in the header's `__metadata__`.
    public var metadata: [String: String]

    public init(entries: [Entry] = [], metadata: [String: String] = [:]) {
        self.entries = entries
        self.metadata = metadata
    }

    /// The tensor stored under `name`, if any.
    public subscript(name: String) -> Tensor? {
        entries.first { $0.name == name }?.tensor
    }

    /// Names of the stored tensors, in storage order.
    public var names: [String] { entries.map(\.name) }

    /// The header key reserved for metadata; no tensor may use it.
    public static let metadataKey = "__metadata__"
    /// The reference implementation refuses headers above 100 MB; so do we.
    public static let maximumHeaderLength: UInt64 = 100_000_000
}
