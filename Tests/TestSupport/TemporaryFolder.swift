import Foundation

/// A fresh empty folder under the system's temporary directory, named `prefix-<UUID>`; the
/// caller removes it.
public func temporaryFolder(prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
