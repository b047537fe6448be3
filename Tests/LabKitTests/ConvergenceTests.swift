import Foundation
import Testing
import TestSupport
@testable import LabKit

/// The convergence check: its verdict, when it runs, and that it does not split a study's recipe.
struct ConvergenceTests {
    @Test func convergedOnlyWhenTwiceTheTrainingGainsLessThanThreeTenthsOfAPoint() {
        #expect(ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9129).converged)
        #expect(ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9050).converged, "a loss is no gain")
        #expect(!ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9130).converged)
        #expect(!ConvergenceCheck(epochs: 4, accuracy: 0.8305, doubledAccuracy: 0.8800).converged)
        #expect(abs(ConvergenceCheck(epochs: 4, accuracy: 0.8305, doubledAccuracy: 0.8800).gain - 0.0495) < 1e-6)
    }

    @Test func standardAndFullCheckByDefaultAndTheOptionDecides() throws {
        #expect(try CommonOptions.parse(["--preset", "standard"]).checksConvergence)
        #expect(try CommonOptions.parse(["--preset", "full"]).checksConvergence)
        #expect(try !CommonOptions.parse(["--preset", "quick"]).checksConvergence)
        #expect(try CommonOptions.parse(["--preset", "quick", "--convergence-check", "on"]).checksConvergence)
        #expect(try !CommonOptions.parse(["--preset", "standard", "--convergence-check", "off"]).checksConvergence)
        #expect(throws: (any Error).self) { try CommonOptions.parse(["--convergence-check", "maybe"]) }
    }

    @Test func theCheckIsNotPartOfTheRecipe() {
        // A study's first job checks and the others pass `off`: they are still one recipe.
        #expect(Study.recipeIdentity(of: ["--preset", "standard", "--seed", "1"])
                == Study.recipeIdentity(of: ["--preset", "standard", "--seed", "2", "--convergence-check", "off"]))
    }

    /// The epochs the doubled run shares with the baseline: until the stretched schedule gives another rate.
    @Test func theDoubledRunSharesTheEpochsBeforeItsScheduleDeparts() {
        let step = TrainingConfig(epochs: 24, batchSize: 8, learningRate: 0.1, schedule: .slimming)
        #expect(step.epochsShared(with: step.doubledForConvergenceCheck) == 12)
        let odd = TrainingConfig(epochs: 5, batchSize: 8, learningRate: 0.1, schedule: .slimming)
        #expect(odd.epochsShared(with: odd.doubledForConvergenceCheck) == 2, "the 5-epoch run steps down at epoch 2")
        let constant = TrainingConfig(epochs: 6, batchSize: 8, learningRate: 0.1, schedule: .constant)
        #expect(constant.epochsShared(with: constant.doubledForConvergenceCheck) == 6)
        let cosine = TrainingConfig(epochs: 6, batchSize: 8, learningRate: 0.1, schedule: .cosine)
        #expect(cosine.epochsShared(with: cosine.doubledForConvergenceCheck) == 1)
        // Scratch-E (24 epochs) and scratch-B (35) share their first 12; other settings share nothing.
        #expect(step.epochsShared(with: step.fineTuning(epochs: 35)) == 12)
        #expect(step.fineTuning(epochs: 35).epochsShared(with: step) == 12)
        var warm = step.fineTuning(epochs: 48)
        warm.warmupEpochs = 1
        #expect(step.epochsShared(with: warm) == 0)
        #expect(step.epochsShared(with: step.fineTuning(epochs: 48, learningRate: 0.01)) == 0)
    }

    /// The baseline hands its state after the shared epochs to the check, which resumes there and
    /// ends bit for bit where a check trained whole from the same start ends.
    @Test func theCheckResumesFromTheBaselineAndEndsAsIfTrainedWhole() throws {
        let folder = try temporaryFolder(prefix: "prunelab-convergence-handover")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(
            ["--output-dir", folder.path, "--quiet", "--convergence-check", "on"]))
        let raw = SyntheticImages.make(count: 16, shape: [1, 8, 8], classCount: 2, seed: 5)
        let images = LabeledImages(name: "tiny", raw: raw, statistics: ChannelStatistics(measuring: raw))
        let data = LabData(train: images, test: images, kind: .synthetic)
        let config = TrainingConfig(epochs: 4, batchSize: 4, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4,
                                    schedule: .slimming, seed: 3)
        let make = { Network.make(.mlp, cfg: [6, 4], inputShape: [1, 8, 8], classCount: 2, seed: 7) }
        let baseline = make()
        let stage = Stage(id: "baseline", label: "baseline")
        _ = try notebook.trainBaseline(stage, baseline, key: "baseline", label: "baseline", make: make, on: data, config: config)

        let doubled = config.doubledForConvergenceCheck
        let checkKey = notebook.stageKey(notebook.text.convergenceStage("baseline", name: "baseline"), make(), on: data,
                                         config: doubled)
        let checked = make()
        let checkHistory = try #require(notebook.cache.restoreFinished(checkKey, into: checked))
        let baselineHistory = try #require(notebook.trainingHistory(stage))
        #expect(checkHistory.count == 8)
        // Handed over, not trained again: the first two epochs are the baseline's own records, times included.
        #expect(Array(checkHistory.prefix(2)) == Array(baselineHistory.prefix(2)))

        let whole = make()
        let wholeHistory = try Trainer(progress: ProgressPrinter(silent: true)).fit(whole, train: data.train, test: data.test,
                                                                                   config: doubled)
        #expect(checkHistory.map(\.testAccuracy) == wholeHistory.map(\.testAccuracy))
        #expect(checkHistory.map(\.trainLoss) == wholeHistory.map(\.trainLoss))
        for (a, b) in zip(checked.state, whole.state) { #expect(a.value.values == b.value.values, "\(a.name)") }
    }

    @Test func theDoubledRunIsLabelledAsTheReportNamesItsBaselineAndCachedUnderItsKey() {
        let english = NotebookText(language: .en).convergenceStage("preresnet_baseline", name: "PreResNet baseline")
        #expect(english.label == "PreResNet baseline (2× epochs)")
        // The id names the stage in the stage cache and the JSON: caches made before the label keep matching.
        #expect(english.id == "preresnet_baseline (2× epochs)")
        let chinese = NotebookText(language: .zh).convergenceStage("preresnet_baseline", name: "PreResNet 基线")
        #expect(chinese.id == english.id && chinese.label == "PreResNet 基线收敛检查（2 倍 epoch）")
    }
}
