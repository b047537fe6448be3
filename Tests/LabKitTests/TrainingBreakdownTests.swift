import Testing
@testable import LabKit
@testable import Networks

@Suite("Training breakdowns")
struct TrainingBreakdownTests {
    func records(_ trainAccuracies: [Float], rates: [Float]? = nil) -> [EpochRecord] {
        trainAccuracies.enumerated().map { index, accuracy in
            EpochRecord(epoch: index + 1, learningRate: rates?[index] ?? 0.1, trainLoss: 1 - accuracy, trainAccuracy: accuracy,
                        testLoss: 1, testAccuracy: accuracy, seconds: 1, imagesPerSecond: 1)
        }
    }

    @Test func aFallOfTenPointsBelowTheBestEarlierEpochIsABreakdown() {
        // Seed 2's slimmed PreResNet-20 trained from scratch at lr 0.1.
        let found = TrainingBreakdown.find(records([0.5403, 0.2671, 0.2887, 0.2915, 0.3520]))
        #expect(found?.kind == .fell(epoch: 2, bestEpoch: 1, from: 0.5403, to: 0.2671, final: 0.3520, reference: nil))
        // The best is the best so far, not the previous epoch.
        #expect(TrainingBreakdown.find(records([0.60, 0.80, 0.75, 0.69]))?.kind
                == .fell(epoch: 4, bestEpoch: 2, from: 0.80, to: 0.69, final: 0.69, reference: nil))
        // A fall counts even when the run later climbs back, and the breakdown says how far it came.
        #expect(TrainingBreakdown.find(records([0.3833, 0.2724, 0.4883, 0.7964, 0.88]), reference: 0.95)?.kind
                == .fell(epoch: 2, bestEpoch: 1, from: 0.3833, to: 0.2724, final: 0.88, reference: 0.95))
    }

    @Test func healthyRunsAndSmallDipsAreNot() {
        #expect(TrainingBreakdown.find(records([0.66, 0.83, 0.85, 0.86, 0.90, 0.91])) == nil)
        #expect(TrainingBreakdown.find(records([0.80, 0.72, 0.85])) == nil, "a dip of 8 points")
        #expect(TrainingBreakdown.find([]) == nil)
    }

    @Test func endingTenPointsUnderTheReferenceIsABreakdown() {
        // The committed 2-seed study's scratch-E: 37.2 → 33.9 → 58.9 → 63.2 %, when its baseline ended at 90 %.
        let scratch = records([0.372, 0.339, 0.589, 0.632])
        #expect(TrainingBreakdown.find(scratch) == nil, "no epoch fell 10 points")
        #expect(TrainingBreakdown.find(scratch, reference: 0.90)?.kind == .lagged(final: 0.632, reference: 0.90))
        #expect(TrainingBreakdown.find(records([0.70, 0.85, 0.88]), reference: 0.92) == nil, "4 points under")
    }

    @Test func theReportWarnsInBothLanguages() {
        let fell = TrainingBreakdown(kind: .fell(epoch: 2, bestEpoch: 1, from: 0.5403, to: 0.2671, final: 0.3520, reference: nil))
        let english = NotebookText(language: .en).breakdown("scratch-E", fell)
        #expect(english.contains("*scratch-E* broke down in training") && english.contains("54.03%") && english.contains("26.71%"))
        #expect(english.contains("It never came back: its last epoch reached 35.20%"))
        // Seed 1's scratch-E of the 24-epoch ResNet study fell in epoch 2 and climbed back most of the way.
        let climbed = TrainingBreakdown(kind: .fell(epoch: 2, bestEpoch: 1, from: 0.3833, to: 0.2724, final: 0.88, reference: 0.95))
        let recovered = NotebookText(language: .en).breakdown("scratch-E", climbed)
        #expect(recovered.contains("It climbed back to 88.00% by its last epoch, against 95.00% for the baseline trained the same way."))
        #expect(!recovered.contains("never"))
        let recoveredZh = NotebookText(language: .zh).breakdown("scratch-E", climbed)
        #expect(recoveredZh.contains("之后回升") && recoveredZh.contains("88.00%") && recoveredZh.contains("95.00%"))
        let chinese = NotebookText(language: .zh).breakdown("scratch-E", TrainingBreakdown(kind: .lagged(final: 0.632, reference: 0.9)))
        #expect(chinese.contains("63.20%") && chinese.contains("90.00%"))
    }
}
