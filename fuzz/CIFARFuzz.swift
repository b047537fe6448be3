// libFuzzer entry point for the CIFAR-10 binary reader.
// Built by fuzz/run.sh together with the sources of Sources/Datasets; not a SwiftPM target.

/// Any input must parse into images or end in a thrown `DatasetError`; a parsed result must
/// be consistent (one label per image, every label a class).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let images = try? CIFAR10Reader.parse(bytes, path: "fuzz") else { return 0 }
    precondition(images.pixels.count == images.count * CIFAR10Reader.imageSize)
    precondition(images.count * CIFAR10Reader.recordSize == size)
    precondition(images.labels.allSatisfy { (0..<CIFAR10Reader.classCount).contains($0) })
    return 0
}
