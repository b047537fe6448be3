import Testing
@testable import Reports

@Suite struct TicksTests {
    @Test func zeroToPointEightySevenGivesStepsOfPointTwo() {
        #expect(Ticks.linear(from: 0, to: 0.87, maxCount: 6) == [0, 0.2, 0.4, 0.6, 0.8])
        #expect(Ticks.linearLabels([0, 0.2, 0.4, 0.6, 0.8]) == ["0.0", "0.2", "0.4", "0.6", "0.8"])
    }

    @Test func ticksStayInsideTheRangeAndRespectTheLimit() {
        for (lower, upper) in [(0.0, 10.0), (-1.3, 2.1), (0.001, 0.0047), (93.1, 98.7), (0, 13_000)] {
            for maxCount in 3...9 {
                let ticks = Ticks.linear(from: lower, to: upper, maxCount: maxCount)
                #expect(ticks.count <= maxCount)
                #expect(ticks.count >= 2, "range \(lower)…\(upper), at most \(maxCount)")
                #expect(ticks.allSatisfy { $0 >= lower - 1e-12 && $0 <= upper + 1e-12 })
            }
        }
    }

    @Test func stepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        #expect(Ticks.linear(from: 0, to: 10, maxCount: 6) == [0, 2, 4, 6, 8, 10])
        #expect(Ticks.linear(from: 0, to: 1, maxCount: 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Ticks.linearLabels([0, 0.25, 0.5, 0.75, 1]) == ["0.00", "0.25", "0.50", "0.75", "1.00"])
        #expect(Ticks.linear(from: -1.3, to: 2.1, maxCount: 6) == [-1, 0, 1, 2])
        #expect(Ticks.linear(from: 0, to: 1340, maxCount: 6) == [0, 250, 500, 750, 1000, 1250])
    }

    @Test func integerAxesGetWholeSteps() {
        #expect(Ticks.linear(from: 0, to: 3.2, maxCount: 10, integerOnly: true) == [0, 1, 2, 3])
        #expect(Ticks.linear(from: 0, to: 3.2, maxCount: 10) == [0, 0.5, 1, 1.5, 2, 2.5, 3])
    }

    @Test func labelsHaveNoNegativeZeroAndGroupThousands() {
        #expect(Ticks.linearLabels([-0.2, -0.0, 0.2]) == ["−0.2", "0.0", "0.2"])
        #expect(Ticks.linearLabels([0, 10_000, 20_000]) == ["0", "10,000", "20,000"])
    }

    @Test func tinyValuesAreLabelledWithAMultiplier() {
        let layout = PlotFrame.linearTicks(Axis(lower: 0, upper: 0.000105), maxCount: 6)
        #expect(layout.multiplier == "×10⁻⁴")
        #expect(layout.ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(PlotFrame.linearTicks(Axis(lower: 0, upper: 0.87), maxCount: 6).multiplier == nil)
    }

    @Test func logarithmicTicksArePowersOfTen() {
        #expect(Ticks.logarithmic(from: 0.5, to: 5000).map(\.value) == [1, 10, 100, 1000])
        #expect(Ticks.logarithmic(from: 0.5, to: 5000).map(\.label) == ["1", "10", "100", "1,000"])
        // Less than two decades: add 2× and 5×.
        #expect(Ticks.logarithmic(from: 0.5, to: 30).map(\.value) == [0.5, 1, 2, 5, 10, 20])
    }
}
