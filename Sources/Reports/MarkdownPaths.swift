import Foundation

/// Relative links between a report and its figures.
enum MarkdownPaths {
    /// The path of `target` as seen from the folder `base` (both made absolute first),
    /// e.g. from `/p/reports` to `/p/figures/a.png` gives `../figures/a.png`.
    static func relativePath(from base: URL, to target: URL) -> String {
        let from = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let targetFolder = target.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath()
        let to = targetFolder.pathComponents + [target.lastPathComponent]
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...]).joined(separator: "/")
    }

    /// Percent-encodes the characters that would end or break a Markdown link target.
    static func escapeLink(_ link: String) -> String {
        var out = ""
        for ch in link {
            switch ch {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            default: out.append(ch)
            }
        }
        return out
    }
}
