import Foundation

/// Runs a lab's body and turns any error into one clear sentence and exit code 1.
///
/// Errors users cause (bad data files, unwritable folders, diverging training) all have a
/// readable `description`; nothing is printed as a stack trace.
public func runLab(_ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(0)
    } catch {
        let message = "\(error)"
        fflush(nil)  // what the lab printed so far comes before the error
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
