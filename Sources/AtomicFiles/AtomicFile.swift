import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written; `reason` says why (from the operating system).
public struct AtomicWriteError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes a file so that readers see either the old file or the complete new one: the one
/// mechanism behind reports, figures, JSON results and checkpoints.
///
/// The bytes go to a temporary file in the destination's folder (the same file system, so the
/// rename is atomic), which `rename(2)` then moves over the destination. A failure removes the
/// temporary file and leaves any earlier file untouched.
public enum AtomicFile {
    /// Writes `data` to `url` atomically; with `createFolders` missing parent folders are made first.
    public static func write(_ data: Data, to url: URL, createFolders: Bool = false) throws {
        if createFolders {
            let folder = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw AtomicWriteError(path: url.path, reason: "the folder \(folder.path) cannot be created")
            }
        }
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).partial")
        try write(data, to: url, through: temporary)
    }

    /// The two steps, with the temporary path given (tests use it to make the first step fail).
    public static func write(_ data: Data, to url: URL, through temporary: URL) throws {
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicWriteError(path: url.path, reason: Self.reason(error))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicWriteError(path: url.path, reason: reason)
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
