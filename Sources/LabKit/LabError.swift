import Foundation

/// An error a user can cause or fix, printed as one sentence without a stack trace.
public struct LabError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
