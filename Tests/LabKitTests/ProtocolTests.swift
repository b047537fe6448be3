import Testing
@testable import LabKit

/// The training budgets of the comparisons, as the reference code computes them.
struct ProtocolTests {
    @Test(arguments: [
        // (E, baseline MACs, pruned MACs, cap, expected epochs, uncapped)
        (160, 400, 100, nil, 640, 640),          // a quarter of the MACs: four times the epochs
        (4, 1_000, 130, nil, 30, 30),            // ⌊4 · 7.69⌋ = 30, the VGG quick run of the issue
        (10, 300, 200, nil, 15, 15),             // ⌊10 · 1.5⌋
        (10, 1_000, 999, nil, 10, 10),           // ⌊10.01⌋ = 10: never below E
        (4, 1_000, 130, 8, 8, 30),               // the cap bites and the uncapped value is kept
        (4, 1_000, 130, 2, 4, 30),               // a cap below E still trains E epochs
        (8, 100, 100, 20, 8, 8),                 // a cap that does not bite
    ] as [(Int, Int, Int, Int?, Int, Int)])
    func scratchBEpochsFollowMainB(epochs: Int, baselineMACs: Int, prunedMACs: Int, cap: Int?, expected: Int, uncapped: Int) {
        let budget = Protocols.scratchBEpochs(baselineEpochs: epochs, baselineMACs: baselineMACs, prunedMACs: prunedMACs, cap: cap)
        #expect(budget.epochs == expected && budget.uncapped == uncapped)
        #expect(Protocols.scratchEEpochs(baselineEpochs: epochs) == epochs)
    }

    @Test func l1FineTuningIsAQuarterOfTheEpochsAtAHundredthOfTheRate() {
        let training = TrainingConfig(epochs: 160, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4,
                                      schedule: .slimming, augment: true, seed: 3)
        let fineTune = Protocols.l1FineTuning(after: training)
        #expect(fineTune.epochs == 40 && abs(fineTune.learningRate - 0.001) < 1e-9 && fineTune.schedule == .constant)
        #expect(fineTune.batchSize == 64 && fineTune.weightDecay == 1e-4 && fineTune.augment && fineTune.seed == 3)
        var short = training
        short.epochs = 3
        #expect(Protocols.l1FineTuning(after: short).epochs == 1, "at least one epoch")
        #expect(Protocols.l1FineTuning(after: training, epochs: 7).epochs == 7, "an explicit count wins")
    }

    @Test func slimmingFineTuningKeepsTheTrainingSchedule() {
        let training = TrainingConfig(epochs: 160, batchSize: 64, learningRate: 0.1, schedule: .slimming, seed: 1)
        let fineTune = Protocols.slimmingFineTuning(after: training)
        #expect(fineTune.epochs == 160 && fineTune.learningRate == 0.1 && fineTune.schedule == .slimming)
        #expect(Protocols.slimmingFineTuning(after: training, epochs: 20).epochs == 20)
    }
}
