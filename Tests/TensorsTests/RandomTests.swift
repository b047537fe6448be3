import Testing
@testable import Tensors

/// The seeded generator must give the same stream for a seed, different streams for
/// different seeds, and the distributions it promises.
@Suite struct RandomTests {
    @Test func sameSeedSameNumbers() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
        var c = SeededGenerator(seed: 42), d = SeededGenerator(seed: 42)
        #expect(Tensor.normal([257], using: &c).values == Tensor.normal([257], using: &d).values)
        #expect(c.permutation(100) == d.permutation(100))
    }

    @Test func differentSeedsDiffer() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 2)
        let x = (0..<64).map { _ in a.next() }, y = (0..<64).map { _ in b.next() }
        #expect(x != y)
        #expect(Set(x).intersection(y).isEmpty)
    }

    @Test func knownFirstValueIsStableAcrossRuns() {
        // xoshiro256** seeded by SplitMix64 from 0: the first SplitMix64 outputs are published
        // (0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, ...), so the first xoshiro output is fixed.
        var g = SeededGenerator(seed: 0)
        let s1: UInt64 = 0x6E78_9E6A_A1B9_65F4
        let x = s1 &* 5
        let expected = ((x << 7) | (x >> 57)) &* 9
        #expect(g.next() == expected)
    }

    @Test func uniformStaysInRangeWithRightMean() {
        var rng = SeededGenerator(seed: 3)
        let t = Tensor.uniform([20_000], low: -2, high: 3, using: &rng)
        #expect(t.values.allSatisfy { $0 >= -2 && $0 < 3 })
        let mean = Double(t.sum()) / Double(t.count)
        #expect(abs(mean - 0.5) < 0.05)
    }

    @Test func normalHasRequestedMeanAndStd() {
        var rng = SeededGenerator(seed: 9)
        let t = Tensor.normal([50_000], mean: 1.5, std: 2, using: &rng)
        let mean = Double(t.sum()) / Double(t.count)
        let variance = t.values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(t.count)
        #expect(abs(mean - 1.5) < 0.05, "mean \(mean)")
        #expect(abs(variance.squareRoot() - 2) < 0.05, "std \(variance.squareRoot())")
        // About 68.3 % of a normal lies within one standard deviation.
        let inside = t.values.filter { abs($0 - 1.5) < 2 }.count
        #expect(abs(Double(inside) / Double(t.count) - 0.6827) < 0.01)
    }

    @Test func permutationIsAPermutation() {
        var rng = SeededGenerator(seed: 17)
        for count in [0, 1, 2, 10, 1000] {
            let p = rng.permutation(count)
            #expect(p.count == count)
            #expect(p.sorted() == Array(0..<count))
        }
        let p = rng.permutation(1000)
        #expect(p != Array(0..<1000), "a shuffle of 1000 items left them in order")
    }

    @Test func indexBelowCoversRange() {
        var rng = SeededGenerator(seed: 23)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { counts[rng.index(below: 7)] += 1 }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 }, "\(counts)")
    }
}
