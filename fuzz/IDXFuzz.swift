// libFuzzer entry point for the IDX reader (MNIST, Fashion-MNIST), gzip included.
// Built by fuzz/run.sh together with the sources of Sources/Datasets; not a SwiftPM target.

/// Feeds the bytes to gzip (when they start like gzip) and to both IDX parsers: any input
/// must end in a value or a thrown `DatasetError`, never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if FileBytes.isGzip(bytes) {
        guard let inflated = try? FileBytes.gunzip(bytes, path: "fuzz.gz") else { return 0 }
        bytes = inflated
    }
    _ = try? IDXReader.parseImages(bytes, path: "fuzz")
    // The first byte of the (raw) input picks the class count, as a user's --classes would.
    _ = try? IDXReader.parseLabels(bytes, path: "fuzz", classCount: Int(size > 0 ? data[0] % 12 : 10))
    return 0
}
