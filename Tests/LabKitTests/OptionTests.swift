import ArgumentParser
import Foundation
import Testing
@testable import LabKit

/// Bad options are refused with one clear sentence before any work starts.
struct OptionTests {
    @Test(arguments: [
        (["--epochs", "0"], "--epochs"), (["--epochs", "-3"], "--epochs"),
        (["--batch-size", "0"], "--batch-size"), (["--lr", "-0.1"], "--lr"), (["--lr", "nan"], "--lr"),
        (["--lr", "inf"], "--lr"), (["--preset", "huge"], "preset"), (["--dataset", "imagenet"], "dataset"),
    ])
    func refusesBadCommonOptions(arguments: [String], mentions: String) throws {
        let message = try #require(refusal(of: arguments, by: CommonOptions.self), "\(arguments) must be refused")
        #expect(message.contains(mentions), "message '\(message)' names the option")
    }

    @Test func acceptsDefaults() throws {
        let options = try CommonOptions.parse([])
        #expect(options.preset == .quick)
        #expect(options.seed == 1)
        let chosen = try CommonOptions.parse(["--preset", "smoke", "--dataset", "synthetic", "--epochs", "2"])
        #expect(chosen.preset == .smoke && chosen.dataset == .synthetic && chosen.epochs == 2)
    }

    @Test(arguments: [-0.1, 1.0, 1.5, Double.nan, Double.infinity])
    func fractionsOutsideTheUnitIntervalAreRefused(value: Double) {
        #expect(throws: ValidationError.self) { try validateFraction(value, name: "--percent") }
    }

    @Test(arguments: [0.0, 0.4, 0.95])
    func fractionsInsideAreAccepted(value: Double) throws {
        try validateFraction(value, name: "--percent")
    }

    /// `--percent` is the preset's unless given (the VGG standard preset removes 60 %, not the paper's 70 %),
    /// and a fraction outside [0, 1) is refused; `--help` still names network-slimming's value.
    @Test func slimmingPercentIsThePresetsUnlessGiven() throws {
        enum Paper: SlimmingDefaults { static let percent = 0.7 }
        #expect(try SlimmingOptions<Paper>.parse([]).percent == nil)
        #expect(try SlimmingOptions<Paper>.parse(["--percent", "0.5"]).percent == 0.5)
        #expect(refusal(of: ["--percent", "1.2"], by: SlimmingOptions<Paper>.self)?.contains("--percent") == true)
        #expect(SlimmingOptions<Paper>.helpMessage().contains("network-slimming's is 0.7"))
    }

    @Test func negativeOrNonFiniteSparsityIsRefused() {
        for value in [-1e-4, Double.nan, -Double.infinity] {
            #expect(throws: ValidationError.self) { try validateNonNegative(value, name: "--sparsity") }
        }
    }

    @Test func unwritableOutputFolderIsAClearError() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-file-\(UUID().uuidString)")
        try Data("not a folder".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let options = try CommonOptions.parse(["--output-dir", blocker.path])
        #expect {
            _ = try Notebook(lab: "test", title: "Test", options: options)
        } throws: { error in
            "\(error)".contains("--output-dir") && "\(error)".contains(blocker.path)
        }
        // The file that stood in the way is untouched.
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "not a folder")
    }

    @Test func notebookWritesReportAndResultsAtomically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = try CommonOptions.parse(["--output-dir", folder.path])
        let notebook = try Notebook(lab: "unit", title: "Unit", options: options)
        notebook.prose("Hello.")
        notebook.step("stage") { }
        notebook.metric("accuracy.test", 0.5)
        try notebook.figure("bars", caption: "Bars.", LabCharts.accuracyBars([(stage: "a", network: "MLP", accuracy: 0.5)]))
        try notebook.finish()
        let report = try String(contentsOf: folder.appendingPathComponent("reports/unit.md"), encoding: .utf8)
        #expect(report.contains("![Bars.](../figures/unit/bars.png)"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figures/unit/bars.png").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("reports").path)
        #expect(leftovers.sorted() == ["unit.json", "unit.md"], "no temporary files remain")
    }
}

/// List options are parsed once, and the common overrides mean the same in every lab.
struct TypedOptionTests {
    @Test func commaSeparatedListsParseOnceOrAreRefused() {
        #expect(CommaSeparated<Int>(argument: "8,16,32")?.values == [8, 16, 32])
        #expect(CommaSeparated<Int>(argument: " 8, 16 ,32")?.values == [8, 16, 32])
        #expect(CommaSeparated<Double>(argument: "0.6,0.3,0.1")?.values == [0.6, 0.3, 0.1])
        for bad in ["8,,32", "8,x,32", "", "8;16"] { #expect(CommaSeparated<Int>(argument: bad) == nil, "'\(bad)'") }
        #expect(CommaSeparated<Int>([50, 100]).defaultValueDescription == "50,100")
    }

    struct ExampleRecipe: LabRecipe {
        var epochs = 4, batchSize = 64
        var fineTuneEpochs: Int? = 8
        var learningRate: Float = 0.05
        var scratchBCap: Int? = nil
        var trainLimit: Int? = nil
    }

    @Test func epochsAndFineTuneEpochsAreSeparateOverrides() throws {
        let recipe = ExampleRecipe()
        let onlyEpochs = recipe.overridden(by: try CommonOptions.parse(["--epochs", "10"]))
        #expect(onlyEpochs.epochs == 10 && onlyEpochs.fineTuneEpochs == 8)
        let both = recipe.overridden(by: try CommonOptions.parse(["--fine-tune-epochs", "3", "--lr", "0.1", "--batch-size", "32",
                                                                  "--scratch-b-cap", "12"]))
        #expect(both.epochs == 4 && both.fineTuneEpochs == 3 && both.learningRate == 0.1 && both.batchSize == 32)
        #expect(both.scratchBCap == 12)
        let untouched = recipe.overridden(by: try CommonOptions.parse([]))
        #expect(untouched.epochs == 4 && untouched.fineTuneEpochs == 8 && untouched.learningRate == 0.05)
        #expect(untouched.trainLimit == nil)
    }

    @Test func scratchWarmUpTakesWholeEpochsFromZero() throws {
        #expect(try CommonOptions.parse(["--scratch-warmup-epochs", "0"]).scratchWarmupEpochs == 0)
        #expect(try CommonOptions.parse(["--scratch-warmup-epochs", "2"]).scratchWarmupEpochs == 2)
        #expect(try CommonOptions.parse([]).scratchWarmupEpochs == nil, "nil: the preset's")
        #expect(refusal(of: ["--scratch-warmup-epochs=-1"], by: CommonOptions.self)?.contains("0 or a positive whole number") == true)
    }

    @Test func trainLimitOverridesThePresetsSubset() throws {
        let limited = ExampleRecipe().overridden(by: try CommonOptions.parse(["--train-limit", "20000"]))
        #expect(limited.trainLimit == 20000 && limited.epochs == 4)
        #expect(refusal(of: ["--train-limit", "0"], by: CommonOptions.self)?.contains("--train-limit") == true)
    }
}

/// The message with which `Options` refuses `arguments`, or nil when it accepts them.
func refusal<Options: ParsableArguments>(of arguments: [String], by _: Options.Type) -> String? {
    do {
        _ = try Options.parse(arguments)
        return nil
    } catch {
        return Options.message(for: error)
    }
}
