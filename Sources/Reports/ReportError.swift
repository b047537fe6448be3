import Foundation

/// Problems a user can cause while producing a report or a chart.
///
/// Each description is one sentence that names the problem and the fix, so a lab can
/// print it as is and stop without a stack trace.
public enum ReportError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The output folder could not be created or written (read-only, or a path component is a file).
    case cannotWrite(path: String, reason: String)
    /// A chart was asked to draw but was given nothing to draw.
    case noData(chart: String)
    /// Two lists that must have the same length do not (e.g. categories and bar values).
    case mismatchedLengths(what: String, expected: Int, actual: Int)
    /// The requested image size or scale cannot be drawn.
    case invalidSize(width: Int, height: Int, scale: Int)
    /// A chart option has a value that cannot work (e.g. zero bins, a log axis with no positive values).
    case invalidOption(name: String, reason: String)
    /// libpng refused to encode the image.
    case pngEncodingFailed(reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "Cannot write \(path) (\(reason)); choose an output folder you can write to or fix its permissions."
        case let .noData(chart):
            return "The \(chart) has no finite values to draw; add at least one series with data before rendering it."
        case let .mismatchedLengths(what, expected, actual):
            return "The \(what) has \(actual) values but \(expected) were expected; give one value per category or point."
        case let .invalidSize(width, height, scale):
            return "Cannot draw an image of \(width)×\(height) points at scale \(scale); use a width and height of at least 64 and a scale from 1 to 8."
        case let .invalidOption(name, reason):
            return "The chart option \(name) is invalid (\(reason)); change it and render again."
        case let .pngEncodingFailed(reason):
            return "libpng could not encode the image (\(reason)); check the image size and that libpng is installed correctly."
        }
    }

    public var errorDescription: String? { description }
}
