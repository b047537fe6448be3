import ArgumentParser
import Datasets
import Foundation
import Networks

/// How long a lab runs: `smoke` for CI (seconds), `quick` for a class (minutes, one seed, the
/// default), `standard` for a weekly report (converged baselines and every comparison, up to
/// 45 minutes on 2 cores), `full` at the scale of the papers (CIFAR-10, 160 epochs).
public enum Preset: String, ExpressibleByArgument, CaseIterable, Sendable {
    case smoke, quick, standard, full
}

extension DatasetKind: ExpressibleByArgument {}
extension ModelFamily: ExpressibleByArgument {
    public static var allValueStrings: [String] { zoo.map(\.rawValue) }
}

/// Options every lab accepts, with the same names and meaning in every lab.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(help: """
        How much to run: smoke (seconds, for CI), quick (minutes, the default), standard (converged, every comparison, \
        up to 45 minutes) or full (the papers' CIFAR-10 scale).
        """)
    public var preset: Preset = .quick

    @Option(help: "Data set: fashion-mnist (default, from Debian's dataset-fashion-mnist), mnist or cifar10 (files in --data-dir), or synthetic.")
    public var dataset: DatasetKind?

    @Option(help: "Folder with the data set's files (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    public var dataDir: String?

    @Option(help: "Epochs of every training from scratch: the baseline, sparsity training, scratch-E (default: the preset's).")
    public var epochs: Int?

    @Option(help: "Epochs of every fine-tuning of a pruned network (default: each method's protocol, as the report states).")
    public var fineTuneEpochs: Int?

    @Option(help: """
        At most this many epochs for scratch-B, for people in a hurry (default: the preset's; none in standard and \
        full, where scratch-B trains ⌊E · MACs ratio⌋ epochs as rethinking-network-pruning). The report says when it bites.
        """)
    public var scratchBCap: Int?

    @Option(help: """
        Train each pruned architecture from scratch, scratch-E and scratch-B, beside its fine-tuning: on or off \
        (default: on in the standard and full presets; off saves their epochs, about a fifth of a standard \
        resnet-slimming seed, but drops the comparison that asks whether pruning found more than an architecture).
        """)
    public var scratch: Switch?

    @Option(help: """
        Warm scratch-E and scratch-B up over this many epochs: the learning rate rises linearly, step by step \
        (default: the preset's; 0, as the paper, except resnet-slimming's standard preset, where its narrow network \
        broke down at the full rate). The report says so whenever it is not 0.
        """)
    public var scratchWarmupEpochs: Int?

    @Option(help: "Train on this many images, a stratified subset of the training set (default: the preset's); the test set is always whole.")
    public var trainLimit: Int?

    @Option(help: "Mini-batch size (default: the preset's).")
    public var batchSize: Int?

    @Option(help: "Base learning rate of SGD (default: the preset's).")
    public var lr: Double?

    @Option(help: "Random seed for weights, shuffling and augmentation; the same seed gives the same run.")
    public var seed: UInt64 = 1

    @Option(help: "Folder that receives reports/ and figures/ (default: the package root, or the current folder).")
    public var outputDir: String?

    @Option(help: "Run the study this many times, with seeds --seed, --seed + 1, …, as independent jobs, and merge them into one report with mean ± std.")
    public var seeds: Int = 1

    @Option(help: "With --seeds or --percents: how many jobs run at once (each gets cores / jobs threads).")
    public var jobs: Int = 1

    @Option(help: "Threads of the numeric kernels (default: every core).")
    public var threads: Int?

    @Option(parsing: .upToNextOption, help: "Merge finished jobs (their --output-dir folders) into one report in --output-dir; trains nothing.")
    public var merge: [String] = []

    @Option(help: "Write the study's job list (one command line per seed and fraction) to this folder, for GNU parallel or a Slurm array, and run nothing.")
    public var plan: String?

    @Option(help: """
        Train each baseline again for twice the epochs and report the gap (converged if under 0.3 points): on or off \
        (default: on in the standard and full presets, where a study checks with its first seed only).
        """)
    public var convergenceCheck: Switch?

    @Option(help: "Language of the report: en (default) or zh (Chinese, to reports/<lab>.zh.md with figures in figures/<lab>/zh/).")
    public var lang: Language = .en

    @Flag(help: "Retrain every stage instead of reusing the stage cache (.prunelab-cache/ in the output folder).")
    public var fresh = false

    @Flag(help: """
        Reuse the stages a build on another machine cached in the output folder, though its kernels round \
        differently (another numerics fingerprint): a study that spans sittings on different machines goes on \
        instead of training again. Only for the same code.
        """)
    public var reuseCacheFromOtherMachine = false

    @Flag(help: "Print one line per epoch only, no progress bar.")
    public var quiet = false

    public init() {}

    public mutating func validate() throws {
        if let epochs, epochs <= 0 {
            throw ValidationError("--epochs must be a positive whole number, got \(epochs).")
        }
        guard (1...100).contains(seeds) else { throw ValidationError("--seeds must be between 1 and 100, got \(seeds).") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64, got \(jobs).") }
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads).")
        }
        if let scratchBCap, scratchBCap <= 0 {
            throw ValidationError("--scratch-b-cap must be a positive whole number of epochs, got \(scratchBCap).")
        }
        if let scratchWarmupEpochs, scratchWarmupEpochs < 0 {
            throw ValidationError("--scratch-warmup-epochs must be 0 or a positive whole number of epochs, got \(scratchWarmupEpochs).")
        }
        if let fineTuneEpochs, fineTuneEpochs <= 0 {
            throw ValidationError("--fine-tune-epochs must be a positive whole number, got \(fineTuneEpochs).")
        }
        if let trainLimit, trainLimit <= 0 {
            throw ValidationError("--train-limit must be a positive number of images, e.g. 20000, got \(trainLimit).")
        }
        if let batchSize, batchSize <= 0 {
            throw ValidationError("--batch-size must be a positive whole number, got \(batchSize).")
        }
        if let lr, !(lr.isFinite && lr > 0) {
            throw ValidationError("--lr must be a positive finite number, got \(lr).")
        }
    }
}

/// An option that is on or off, e.g. `--convergence-check off`.
public enum Switch: String, ExpressibleByArgument, Sendable {
    case on, off
}

/// A list option written with commas, e.g. `--pruned-cfg 8,16,32`, parsed once into its
/// values; a malformed list is refused by the parser with the option's name.
public struct CommaSeparated<Element: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    public var values: [Element]

    public init(_ values: [Element]) { self.values = values }

    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { Element(String($0.trimmingCharacters(in: .whitespaces))) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.map { $0! }
    }

    public var defaultValueDescription: String { values.map(String.init(describing:)).joined(separator: ",") }
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

/// What differs between the network-slimming labs' options: the paper's fraction pruned.
public protocol SlimmingDefaults: Sendable {
    /// network-slimming's `--percent` for this model (0.7 for VGG, 0.4 for PreResNet): the
    /// presets' fraction unless one of them says why it differs.
    static var percent: Double { get }
}

/// Options both network-slimming labs accept, with the same names and checks; `Defaults`
/// gives network-slimming's `--percent`, which `--help` shows.
public struct SlimmingOptions<Defaults: SlimmingDefaults>: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Fraction of all BatchNorm channels the global threshold on |γ| removes, in [0, 1) "
            + "(default: the preset's; network-slimming's is \(Defaults.percent)).",
        valueName: "percent"))
    public var percent: Double?

    @Option(help: """
        A sweep: run the study at each of these fractions, e.g. 0.1,0.3,0.5,0.7,0.9, as independent jobs (one per \
        fraction and seed, each with its own --percent), merged into accuracy against fraction.
        """)
    public var percents: CommaSeparated<Double>?

    @Option(help: """
        Sparsity strength s of the L1 penalty s·Σ|γ| (default: the preset's; the papers use 1e-4 for VGG and 1e-5 for \
        ResNet over 160 epochs).
        """)
    public var sparsity: Double?

    @Option(help: "Width multiplier of every layer, e.g. 0.25 for a CPU-sized network (default: the preset's).")
    public var width: Double?

    public init() {}

    public func validate() throws {
        if let percent { try validateFraction(percent, name: "--percent") }
        if let percents {
            for value in percents.values { try validateFraction(value, name: "each value of --percents") }
            guard Set(percents.values).count == percents.values.count else {
                throw ValidationError("--percents lists a fraction twice: \(percents.defaultValueDescription).")
            }
        }
        if let sparsity { try validateNonNegative(sparsity, name: "--sparsity") }
        if let width, !(width.isFinite && width > 0 && width <= 4) {
            throw ValidationError("--width must be a positive multiplier up to 4, e.g. 0.25, got \(width).")
        }
    }
}

/// Options of the pruning-ratio sweep in the labs that prune channels: within one run, the
/// trained network is pruned at each fraction, evaluated, fine-tuned briefly and evaluated again.
public struct SweepOptions: ParsableArguments, Sendable {
    /// 10 %, 20 %, …, 90 %: the classic pruning-ratio curve.
    public static let defaultFractions = (1...9).map { Double($0) / 10 }

    @Option(name: .customLong("sweep"), help: """
        Prune the trained network at every fraction of --sweep-fractions by each method, with a short fine-tune, and \
        chart accuracy, parameters and MACs against the fraction: on or off (default: on in the standard and full presets).
        """)
    public var mode: Switch?

    @Option(name: .customLong("sweep-fractions"),
            help: "The fractions of channels the sweep removes, each in (0, 1) (default: the preset's; mostly 0.1,0.2,…,0.9).")
    public var fractions: CommaSeparated<Double>?

    public init() {}

    public func validate() throws {
        guard let fractions else { return }
        for value in fractions.values where !(value.isFinite && value > 0 && value < 1) {
            throw ValidationError("each value of --sweep-fractions must be a fraction in (0, 1), e.g. 0.5 for half, got \(value).")
        }
        guard Set(fractions.values).count == fractions.values.count else {
            throw ValidationError("--sweep-fractions lists a fraction twice: \(fractions.defaultValueDescription).")
        }
    }

    /// Whether this run sweeps: as `--sweep` says, else in the standard and full presets.
    public func runs(in preset: Preset) -> Bool {
        mode.map { $0 == .on } ?? (preset == .standard || preset == .full)
    }

    /// The fractions in increasing order, the order of the curves and the table.
    public var sortedFractions: [Double] { (fractions?.values ?? SweepOptions.defaultFractions).sorted() }

    /// These options with `presetFractions` where `--sweep-fractions` was not given (a preset
    /// whose fine-tunes are long sweeps fewer fractions).
    public func withFractions(unlessGiven presetFractions: [Double]?) -> SweepOptions {
        var options = self
        if options.fractions == nil, let presetFractions { options.fractions = CommaSeparated(presetFractions) }
        return options
    }
}
