import ArgumentParser
import Datasets
import Foundation

/// How long a lab runs: `smoke` for CI (seconds), `quick` for a class or a weekly report
/// (minutes, the default), `full` at the scale of the papers.
public enum Preset: String, ExpressibleByArgument, CaseIterable, Sendable {
    case smoke, quick, full
}

extension DatasetKind: ExpressibleByArgument {}

/// Options every lab accepts, with the same names and meaning in every lab.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(help: "How much to run: smoke (seconds, for CI), quick (minutes, the default) or full (the papers' scale).")
    public var preset: Preset = .quick

    @Option(help: "Data set: fashion-mnist (default, from Debian's dataset-fashion-mnist), mnist or cifar10 (files in --data-dir), or synthetic.")
    public var dataset: DatasetKind?

    @Option(help: "Folder with the data set's files (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    public var dataDir: String?

    @Option(help: "Training epochs of each training stage (default: the preset's).")
    public var epochs: Int?

    @Option(help: "Mini-batch size (default: the preset's).")
    public var batchSize: Int?

    @Option(help: "Base learning rate of SGD (default: the preset's).")
    public var lr: Double?

    @Option(help: "Random seed for weights, shuffling and augmentation; the same seed gives the same run.")
    public var seed: UInt64 = 1

    @Option(help: "Folder that receives reports/ and figures/ (default: the package root, or the current folder).")
    public var outputDir: String?

    @Flag(help: "Retrain every stage instead of reusing the stage cache (.prunelab-cache/ in the output folder).")
    public var fresh = false

    @Flag(help: "Print one line per epoch only, no progress bar.")
    public var quiet = false

    public init() {}

    public mutating func validate() throws {
        if let epochs, epochs <= 0 {
            throw ValidationError("--epochs must be a positive whole number, got \(epochs).")
        }
        if let batchSize, batchSize <= 0 {
            throw ValidationError("--batch-size must be a positive whole number, got \(batchSize).")
        }
        if let lr, !(lr.isFinite && lr > 0) {
            throw ValidationError("--lr must be a positive finite number, got \(lr).")
        }
    }
}

/// Checks a fraction option such as `--percent`: it must lie in [0, 1).
public func validateFraction(_ value: Double, name: String) throws {
    guard value.isFinite, value >= 0, value < 1 else {
        throw ValidationError("\(name) must be a fraction in [0, 1), e.g. 0.5 for half, got \(value).")
    }
}

/// Checks a non-negative finite option such as a sparsity strength.
public func validateNonNegative(_ value: Double, name: String) throws {
    guard value.isFinite, value >= 0 else {
        throw ValidationError("\(name) must be a non-negative finite number, got \(value).")
    }
}
