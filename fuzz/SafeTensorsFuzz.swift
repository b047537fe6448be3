// libFuzzer entry point for the safetensors reader and the checkpoint loader.
// Built by fuzz/run.sh together with the sources of Sources/Networks; not a SwiftPM target.

/// Decodes the bytes as a safetensors file; when that succeeds, rebuilds a network from it as
/// `Network.load` does. Any input must end in a value or a thrown `CheckpointError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    guard let file = try? SafeTensorsFile.decode(raw, path: "fuzz.safetensors") else { return 0 }
    // What was decoded must encode and decode again to the same names and metadata.
    guard let encoded = try? file.encoded(), let again = try? SafeTensorsFile.decode(encoded, path: "again") else {
        preconditionFailure("a decoded file does not survive a second round")
    }
    precondition(Set(again.names) == Set(file.names) && again.metadata == file.metadata)
    if let network = try? Network.load(from: file, path: "fuzz.safetensors") {
        precondition(network.state.count <= file.entries.count)
    }
    return 0
}
