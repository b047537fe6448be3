import Foundation

/// Finds DejaVu Sans on this machine: `PRUNELAB_FONT` if set, then the usual install
/// paths of Debian, Fedora, Arch and Homebrew, then fontconfig's `fc-match`; and a CJK face
/// (Noto Sans CJK, Debian's fonts-noto-cjk) for Chinese chart text the same way.
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

    /// Noto Sans CJK (a TrueType collection; `FreeTypeFace` picks its Simplified Chinese face).
    static let cjkRegularPaths = [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
        "/opt/homebrew/share/fonts/NotoSansCJK-Regular.ttc",
    ]

    /// The CJK font's path, or nil when none is installed. `PRUNELAB_CJK_FONT` overrides the search.
    static func cjkRegular() -> String? {
        locate(override: "PRUNELAB_CJK_FONT", paths: cjkRegularPaths, fontconfig: "Noto Sans CJK SC")
    }

    /// The bold CJK face next to `regular` (NotoSansCJK-Bold.ttc), or nil.
    static func cjkBold(near regular: String) -> String? {
        let sibling = regular.replacingOccurrences(of: "-Regular.", with: "-Bold.")
        return sibling != regular && FileManager.default.isReadableFile(atPath: sibling) ? sibling : nil
    }

    /// The regular font's path, or nil when no font file can be found.
    /// `PRUNELAB_FONT=builtin` forces the built-in bitmap font.
    static func regular() -> String? {
        locate(override: "PRUNELAB_FONT", paths: regularPaths, fontconfig: "DejaVu Sans")
    }

    /// The file the environment variable `override` names (nil if it names no readable file), else
    /// the first of `paths` that exists, else fontconfig's match for the `fontconfig` pattern.
    static func locate(override: String, paths: [String], fontconfig pattern: String) -> String? {
        if let path = ProcessInfo.processInfo.environment[override], !path.isEmpty {
            return FileManager.default.isReadableFile(atPath: path) ? path : nil
        }
        if let path = paths.first(where: FileManager.default.isReadableFile(atPath:)) { return path }
        return fontconfigMatch(pattern)
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
              path.hasSuffix(".ttf") || path.hasSuffix(".otf") || path.hasSuffix(".ttc"),
              FileManager.default.isReadableFile(atPath: path) else { return nil }
        return path
    }
}
