// libFuzzer entry point for the IDX reader (MNIST, Fashion-MNIST), gzip included.
// Built by fuzz/run.sh together with the sources of Sources/Datasets; not a SwiftPM target.

/// Feeds the bytes through gzip detection and inflation (as `FileBytes.read` does for a file)
/// and then to both IDX parsers: any input must end in a value or a thrown `DatasetError`,
/// never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let bytes = try? FileBytes.decode(Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz") else {
        return 0
    }
    if let images = try? IDXReader.parseImages(bytes, path: "fuzz") {
        precondition(images.pixels.count == images.count * images.height * images.width)
    }
    // The first byte of the input picks the class count, as a data set's class count would.
    let classCount = size > 0 ? Int(data[0] % 12) : 10
    if let labels = try? IDXReader.parseLabels(bytes, path: "fuzz", classCount: classCount) {
        precondition(labels.allSatisfy { (0..<classCount).contains($0) })
    }
    return 0
}
