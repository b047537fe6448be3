import Foundation
import Testing
import TestSupport
@testable import LabKit
@testable import Networks

@Suite("Scratch baselines: overfitting and comparisons")
struct ScratchBaselineTests {
    /// `epochs` records ending at the given training accuracy and test loss.
    func run(epochs: Int, train: Float, testLoss: Float, test: Float) -> [EpochRecord] {
        (1...epochs).map {
            EpochRecord(epoch: $0, learningRate: 0.05, trainLoss: 1 - train, trainAccuracy: train, testLoss: testLoss,
                        testAccuracy: test, seconds: 1, imagesPerSecond: 1)
        }
    }

    @Test func aLongerRunThatFitsTrainingBetterButEndsNoHigherOverfits() throws {
        // The filter-pruning standard study's seed 1: scratch-E 8 epochs, scratch-B 86.
        let scratchE = run(epochs: 8, train: 0.9311, testLoss: 0.268, test: 0.9034)
        let scratchB = run(epochs: 86, train: 0.9811, testLoss: 0.473, test: 0.8947)
        let found = try #require(ScratchOverfitting.find(scratchE: scratchE, scratchB: scratchB, accuracyE: 0.9034, accuracyB: 0.8947))
        #expect(found == ScratchOverfitting(trainAccuracyE: 0.9311, trainAccuracyB: 0.9811, testLossE: 0.268, testLossB: 0.473))

        var results = ScratchResults(scratchE: 0.9034, scratchB: 0.8947, scratchEEpochs: 8, scratchBEpochs: 86,
                                     scratchBCapped: false, language: .en)
        #expect(!results.sentence.contains("overfits"))
        results.overfitting = found
        #expect(results.sentence.contains("(training accuracy 98.11% against 93.11%)"))
        #expect(results.sentence.contains("(0.473 against 0.268)"))
        #expect(results.sentence.contains("scratch-E is the higher bar"))
        let chinese = ScratchResults(scratchE: 0.9034, scratchB: 0.8947, scratchEEpochs: 8, scratchBEpochs: 86,
                                     scratchBCapped: false, language: .zh, overfitting: found)
        #expect(chinese.sentence.contains("过拟合") && chinese.sentence.contains("98.11%"))
    }

    @Test func extraEpochsThatHelpOrDoNotFitBetterAreNotOverfitting() {
        let scratchE = run(epochs: 16, train: 0.9374, testLoss: 0.243, test: 0.9114)
        // The ResNet study's scratch-B: higher on the test set as well.
        #expect(ScratchOverfitting.find(scratchE: scratchE, scratchB: run(epochs: 24, train: 0.9505, testLoss: 0.229, test: 0.9177),
                                        accuracyE: 0.9114, accuracyB: 0.9177) == nil)
        // Lower on the test set, but not fitting the training images a point better: noise, not overfitting.
        #expect(ScratchOverfitting.find(scratchE: scratchE, scratchB: run(epochs: 24, train: 0.9420, testLoss: 0.250, test: 0.9100),
                                        accuracyE: 0.9114, accuracyB: 0.9100) == nil)
        // Fitting better and lower on the test set, but at a lower test loss.
        #expect(ScratchOverfitting.find(scratchE: scratchE, scratchB: run(epochs: 24, train: 0.9600, testLoss: 0.240, test: 0.9100),
                                        accuracyE: 0.9114, accuracyB: 0.9100) == nil)
        // A scratch-B capped to scratch-E's epochs did not train longer.
        #expect(ScratchOverfitting.find(scratchE: scratchE, scratchB: run(epochs: 16, train: 0.9600, testLoss: 0.300, test: 0.9100),
                                        accuracyE: 0.9114, accuracyB: 0.9100) == nil)
        #expect(ScratchOverfitting.find(scratchE: [], scratchB: [], accuracyE: 0.9, accuracyB: 0.9) == nil)
    }

    /// A fine-tuned network is compared with both scratch runs, each with both sides' epochs, so a
    /// reader sees it against scratch-E too when scratch-B's longer training overfitted.
    @Test func aFineTunedNetworkIsComparedWithScratchEAndScratchB() throws {
        let folder = try temporaryFolder(prefix: "prunelab-scratch-comparisons")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"]))
        let scratch = ScratchResults(scratchE: 0.9034, scratchB: 0.8947, scratchEEpochs: 8, scratchBEpochs: 86,
                                     scratchBCapped: false, language: .en)
        notebook.compareWithScratch("Pruned, fine-tuned", key: "finetuned", trainedEpochs: "8 + 2", scratch: scratch)
        #expect(notebook.comparisons.map { $0.name } == ["Pruned, fine-tuned − scratch-E", "Pruned, fine-tuned − scratch-B"])
        #expect(notebook.comparisons.map { $0.first } == ["accuracy.finetuned", "accuracy.finetuned"])
        #expect(notebook.comparisons.map { $0.second } == ["accuracy.scratch_e", "accuracy.scratch_b"])
        #expect(notebook.comparisons.map { $0.budgets } == ["8 + 2 epochs against 8 of the small network",
                                                        "8 + 2 epochs against 86 of the small network"])
    }

    /// Scratch-E and scratch-B start from the same weights on the same batches: scratch-E hands its
    /// state after the epochs their schedules share to scratch-B, which resumes there and ends bit
    /// for bit where a scratch-B trained whole ends.
    @Test func scratchBResumesFromScratchEAndEndsAsIfTrainedWhole() throws {
        let folder = try temporaryFolder(prefix: "prunelab-scratch-handover")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"]))
        let (data, config, architecture) = tinyScratchSetup(epochs: 4)
        // Half the baseline's MACs: scratch-B trains 8 epochs, sharing 2 with scratch-E's 4.
        let results = try #require(try notebook.scratchBaselines(
            architecture, baselineMACs: 2 * ModelCost(architecture).multiplyAccumulates, on: data, config: config, seed: 11,
            run: true, cap: nil))
        #expect(results.scratchBEpochs == 8)
        let historyE = try #require(notebook.trainingHistory(Stage(id: "scratch-E", label: "scratch-E")))
        let historyB = try #require(notebook.trainingHistory(Stage(id: "scratch-B", label: "scratch-B")))
        #expect(historyB.count == 8)
        // Handed over, not trained again: scratch-B's first two epochs are scratch-E's own records, times included.
        #expect(Array(historyB.prefix(2)) == Array(historyE.prefix(2)))

        let whole = architecture.reinitialized(seed: 11)
        let wholeHistory = try Trainer(progress: ProgressPrinter(silent: true)).fit(whole, train: data.train, test: data.test,
                                                                                   config: config.fineTuning(epochs: 8))
        #expect(historyB.map(\.trainLoss) == wholeHistory.map(\.trainLoss))
        #expect(results.scratchB == wholeHistory.last?.testAccuracy)
    }
}

/// `--scratch on|off` overrides the preset's choice of training the scratch baselines.
struct ScratchSwitchTests {
    func scratchRuns(_ arguments: [String], presetRuns: Bool) throws -> (ran: Bool, prose: String) {
        let folder = try temporaryFolder(prefix: "prunelab-scratch-switch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"] + arguments))
        let (data, config, architecture) = tinyScratchSetup(epochs: 1)
        let results = try notebook.scratchBaselines(architecture, baselineMACs: ModelCost(architecture).multiplyAccumulates,
                                                    on: data, config: config, seed: 11, run: presetRuns, cap: nil)
        return (results != nil, notebook.document.render())
    }

    @Test func theSwitchOverridesThePresetEitherWay() throws {
        #expect(try scratchRuns([], presetRuns: true).ran)
        #expect(try !scratchRuns([], presetRuns: false).ran)
        #expect(try scratchRuns(["--scratch", "on"], presetRuns: false).ran)
        let off = try scratchRuns(["--scratch", "off"], presetRuns: true)
        #expect(!off.ran)
        #expect(off.prose.contains("`--scratch off`"), "the report says why the scratch baselines are missing")
        #expect(try scratchRuns([], presetRuns: false).prose.contains("`--scratch on`"))
        #expect(refusal(of: ["--scratch", "maybe"], by: CommonOptions.self) != nil)
    }
}

/// Sixteen 8×8 synthetic images of two classes (trained and tested on alike), a training config of
/// `epochs` epochs and a small MLP to train from scratch.
private func tinyScratchSetup(epochs: Int) -> (LabData, TrainingConfig, Network) {
    let raw = SyntheticImages.make(count: 16, shape: [1, 8, 8], classCount: 2, seed: 5)
    let images = LabeledImages(name: "tiny", raw: raw, statistics: ChannelStatistics(measuring: raw))
    let config = TrainingConfig(epochs: epochs, batchSize: 4, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4,
                                schedule: .slimming, seed: 3)
    let architecture = Network.make(.mlp, cfg: [6, 4], inputShape: [1, 8, 8], classCount: 2, seed: 7)
    return (LabData(train: images, test: images, kind: .synthetic), config, architecture)
}
