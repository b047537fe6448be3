import Foundation

/// Writes generated files so that readers never see a half-written file.
///
/// The bytes go to a temporary file in the destination folder, which is then renamed into
/// place; a rename within one folder is atomic, so an interrupted run leaves either the
/// old file or the new one. Missing parent folders are created.
enum AtomicWrite {
    static func write(_ data: Data, to url: URL) throws {
        let destination = url.standardizedFileURL
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: destination.path, reason: "the folder \(folder.path) cannot be created")
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.cannotWrite(path: destination.path, reason: "the folder \(folder.path) is not writable")
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.cannotWrite(path: destination.path, reason: reason.lowercased())
        }
    }
}
