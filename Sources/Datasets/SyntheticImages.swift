import Tensors

/// A small made-up data set for tests and smoke runs: no files, any image shape, learnt in
/// seconds.
///
/// Each class has a pattern: the image is cut into a 4×4 grid of cells and each cell of each
/// channel is bright or dark. A sample is its class's pattern plus strong Gaussian noise, so
/// a network must average over pixels to tell classes apart, but both an MLP and a CNN reach
/// high accuracy within an epoch or two. The patterns depend only on `patternSeed`, so a
/// training and a test set made with different `seed`s share them.
public enum SyntheticImages {
    /// Side of the grid of cells that make a pattern.
    public static let gridSide = 4

    /// `count` samples of shape `[C, H, W]`, each class `count / classCount` times (± 1).
    public static func make(count: Int, shape: [Int] = [1, 28, 28], classCount: Int = 10,
                            seed: UInt64, patternSeed: UInt64 = 0x5EED) -> RawImages {
        precondition(shape.count == 3 && shape.allSatisfy { $0 > 0 }, "a synthetic image shape is [C, H, W], got \(shape)")
        precondition(classCount >= 2 && count >= 0, "need at least two classes and a non-negative count")
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let patterns = makePatterns(classCount: classCount, cells: channels * gridSide * gridSide, seed: patternSeed)
        let cellsPerChannel = gridSide * gridSide

        var rng = SeededGenerator(seed: seed)
        let imageSize = channels * height * width
        var pixels = [UInt8](repeating: 0, count: count * imageSize)
        // Classes as balanced as the count allows, in a seeded random order.
        let labels = rng.permutation(count).map { $0 % classCount }
        pixels.withUnsafeMutableBufferPointer { out in
            for index in 0..<count {
                let label = labels[index]
                var p = index * imageSize
                for c in 0..<channels {
                    for y in 0..<height {
                        let cellRow = y * gridSide / height
                        for x in 0..<width {
                            let cell = c * cellsPerChannel + cellRow * gridSide + x * gridSide / width
                            let base: Float = patterns[label][cell] ? 170 : 70
                            let value = base + 60 * rng.normal()
                            out[p] = UInt8(min(max(value, 0), 255).rounded())
                            p += 1
                        }
                    }
                }
            }
        }
        return RawImages(pixels: pixels, labels: labels, channels: channels, height: height, width: width,
                         classCount: classCount)
    }

    /// One bright/dark choice per cell for each class, all classes different.
    private static func makePatterns(classCount: Int, cells: Int, seed: UInt64) -> [[Bool]] {
        var rng = SeededGenerator(seed: seed)
        var patterns: [[Bool]] = []
        while patterns.count < classCount {
            let pattern = (0..<cells).map { _ in rng.next() & 1 == 1 }
            // With 16 or more cells a repeat is rare, but a repeated pattern would make two
            // classes indistinguishable; with very few cells, accept repeats rather than loop forever.
            if !patterns.contains(pattern) || cells < 8 { patterns.append(pattern) }
        }
        return patterns
    }
}
