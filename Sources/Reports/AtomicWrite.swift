import AtomicFiles
import Foundation

/// Report files are written through the project's one atomic writer (`AtomicFile`), with its
/// error told as a `ReportError`.
enum AtomicWrite {
    static func write(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url.standardizedFileURL, createFolders: true)
        } catch let error as AtomicWriteError {
            throw ReportError.cannotWrite(path: error.path, reason: error.reason)
        }
    }
}
