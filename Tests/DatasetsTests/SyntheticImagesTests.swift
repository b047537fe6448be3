import Testing
@testable import Datasets

@Suite struct SyntheticImagesTests {
    @Test func sameSeedSameImages() {
        let a = SyntheticImages.make(count: 30, shape: [3, 32, 32], seed: 9)
        let b = SyntheticImages.make(count: 30, shape: [3, 32, 32], seed: 9)
        let c = SyntheticImages.make(count: 30, shape: [3, 32, 32], seed: 10)
        #expect(a.pixels == b.pixels && a.labels == b.labels)
        #expect(a.pixels != c.pixels)
        #expect(a.sampleShape == [3, 32, 32])
    }

    /// A nearest-class-mean classifier fitted on one seed's images must recognise another
    /// seed's: the classes share patterns that are learnable, though each image is noisy.
    @Test func classesAreLearnableAcrossSeeds() {
        let shape = [1, 28, 28], size = 784
        let train = SyntheticImages.make(count: 500, shape: shape, seed: 1)
        let test = SyntheticImages.make(count: 200, shape: shape, seed: 2)
        var means = [[Double]](repeating: [Double](repeating: 0, count: size), count: 10)
        for n in 0..<train.count {
            for i in 0..<size { means[train.labels[n]][i] += Double(train.pixels[n * size + i]) / 50 }
        }
        var correct = 0, singlePixelCorrect = 0
        for n in 0..<test.count {
            let distances = means.map { mean in
                (0..<size).reduce(0.0) { $0 + pow2(Double(test.pixels[n * size + $1]) - mean[$1]) }
            }
            if distances.firstIndex(of: distances.min()!) == test.labels[n] { correct += 1 }
            // One pixel alone should not be enough: the task needs averaging.
            let pixel = Double(test.pixels[n * size])
            let nearest = (0..<10).min { abs(means[$0][0] - pixel) < abs(means[$1][0] - pixel) }!
            if nearest == test.labels[n] { singlePixelCorrect += 1 }
        }
        #expect(correct >= 190)
        #expect(singlePixelCorrect < 100)
    }

    func pow2(_ x: Double) -> Double { x * x }
}
