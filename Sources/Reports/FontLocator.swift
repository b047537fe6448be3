import Foundation

/// Finds DejaVu Sans on this machine: `PRUNELAB_FONT` if set, then the usual install
/// paths of Debian, Fedora, Arch and Homebrew, then fontconfig's `fc-match`.
enum FontLocator {
    static let regularPaths = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/local/share/fonts/DejaVuSans.ttf",
        "/opt/homebrew/share/fonts/DejaVuSans.ttf",
        "/Library/Fonts/DejaVuSans.ttf",
    ]

    /// The regular font's path, or nil when no font file can be found.
    /// `PRUNELAB_FONT=builtin` forces the built-in bitmap font.
    static func regular() -> String? {
        if let override = ProcessInfo.processInfo.environment["PRUNELAB_FONT"], !override.isEmpty {
            return FileManager.default.isReadableFile(atPath: override) ? override : nil
        }
        if let path = regularPaths.first(where: FileManager.default.isReadableFile(atPath:)) { return path }
        return fontconfigMatch("DejaVu Sans")
    }

    /// The bold face next to `regular` (DejaVuSans-Bold.ttf), or from fontconfig.
    static func bold(near regular: String) -> String? {
        let sibling = regular.replacingOccurrences(of: "DejaVuSans.ttf", with: "DejaVuSans-Bold.ttf")
        if sibling != regular, FileManager.default.isReadableFile(atPath: sibling) { return sibling }
        return fontconfigMatch("DejaVu Sans:bold")
    }

    /// Asks fontconfig for the file of the best match to `pattern`.
    static func fontconfigMatch(_ pattern: String) -> String? {
        let candidates = ["/usr/bin/fc-match", "/usr/local/bin/fc-match", "/opt/homebrew/bin/fc-match"]
        guard let tool = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-f", "%{file}", pattern]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let path = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              path.hasSuffix(".ttf") || path.hasSuffix(".otf"),
              FileManager.default.isReadableFile(atPath: path) else { return nil }
        return path
    }
}
