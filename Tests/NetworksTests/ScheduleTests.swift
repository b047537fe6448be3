import Testing
@testable import Networks
@testable import Tensors

/// Learning-rate schedules against torch's MultiStepLR (milestones at 50 % and 75 %, γ = 0.1)
/// and CosineAnnealingLR (T_max = epochs), epoch by epoch.
@Suite struct ScheduleTests {
    @Test(arguments: [4, 7, 10, 160])
    func matchesPyTorch(epochs: Int) throws {
        let fixture = try Fixture.load("schedules")
        for (kind, schedule) in [("step", LearningRateSchedule.slimming), ("cosine", .cosine)] {
            let expected = try fixture.tensor("\(kind)_\(epochs)")
            #expect(expected.count == epochs)
            for epoch in 0..<epochs {
                let rate = schedule.rate(base: 0.1, epoch: epoch, totalEpochs: epochs)
                #expect(abs(Double(rate) - Double(expected.data[epoch])) < 1e-7,
                        "\(kind) schedule, epoch \(epoch) of \(epochs): \(rate), PyTorch \(expected.data[epoch])")
            }
        }
    }

    @Test func slimmingScheduleDropsAtHalfAndThreeQuarters() {
        let rates = (0..<8).map { LearningRateSchedule.slimming.rate(base: 1, epoch: $0, totalEpochs: 8) }
        #expect(rates.map { Double($0) }.map { ($0 * 1000).rounded() / 1000 } == [1, 1, 1, 1, 0.1, 0.1, 0.01, 0.01])
        #expect(LearningRateSchedule.constant.rate(base: 0.3, epoch: 5, totalEpochs: 8) == 0.3)
    }
}
