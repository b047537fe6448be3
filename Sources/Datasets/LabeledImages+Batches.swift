import Tensors

extension LabeledImages {
    /// Calls `body` with each mini-batch of one epoch; the last batch may be smaller.
    ///
    /// With `shuffleSeed` the samples come in a seeded random order (the same seed gives the
    /// same order); with `augment` each image is randomly cropped from its copy padded by
    /// `cropPadding` black pixels and flipped left-right with probability ½, also seeded.
    /// Each batch is one new tensor that the images are copied into: no per-image allocation.
    public func forEachBatch(size: Int, shuffleSeed: UInt64?, augment: Bool, _ body: (Batch) throws -> Void) rethrows {
        precondition(size > 0, "the batch size must be positive")
        let order: [Int]
        if let shuffleSeed {
            var shuffler = SeededGenerator(seed: shuffleSeed)
            order = shuffler.permutation(sampleCount)
        } else {
            order = Array(0..<sampleCount)
        }
        // A stream of its own, so augmenting does not change the order.
        var augmenter = SeededGenerator(seed: (shuffleSeed ?? augmentationSeed) ^ 0xA06D_E17A_7E5E_ED00)
        let border = statistics.normalisedZero
        let imageSize = sampleShape.reduce(1, *)

        var start = 0
        while start < sampleCount {
            let count = min(size, sampleCount - start)
            let inputs = Tensor(shape: [count] + sampleShape)
            let batchLabels = [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
                for row in 0..<count { buffer[row] = labels[order[start + row]] }
                initialized = count
            }
            for row in 0..<count {
                let source = images.data + order[start + row] * imageSize
                let destination = inputs.data + row * imageSize
                if augment {
                    copyAugmented(from: source, to: destination, border: border, using: &augmenter)
                } else {
                    destination.update(from: source, count: imageSize)
                }
            }
            try body(Batch(inputs: inputs, labels: batchLabels))
            start += count
        }
    }

    /// Writes one randomly cropped and possibly flipped image: torchvision's
    /// `RandomCrop(size, padding: p)` then `RandomHorizontalFlip()`, with the padding's black
    /// being the normalised value of zero (`border`, per channel).
    ///
    /// The crop shifts the image by (dy, dx) in −p…p: output(y, x) = input(y + dy, x + dx),
    /// or `border` where that falls outside. Flipping reads column W−1−x instead of x.
    func copyAugmented(from source: UnsafeMutablePointer<Float>, to destination: UnsafeMutablePointer<Float>,
                       border: [Float], using rng: inout SeededGenerator) {
        let (channels, height, width) = (images.shape[1], images.shape[2], images.shape[3])
        let p = cropPadding
        let dy = rng.index(below: 2 * p + 1) - p
        let dx = rng.index(below: 2 * p + 1) - p
        let flip = rng.next() & 1 == 1
        // Output columns whose source column lies inside the image.
        let firstInside = flip ? max(0, dx) : max(0, -dx)
        let endInside = flip ? min(width, width + dx) : min(width, width - dx)

        for c in 0..<channels {
            let fill = border[c]
            for y in 0..<height {
                let target = destination + (c * height + y) * width
                let sourceY = y + dy
                guard sourceY >= 0, sourceY < height, firstInside < endInside else {
                    target.update(repeating: fill, count: width)
                    continue
                }
                let row = source + (c * height + sourceY) * width
                for x in 0..<firstInside { target[x] = fill }
                if flip {
                    for x in firstInside..<endInside { target[x] = row[width - 1 - x + dx] }
                } else {
                    for x in firstInside..<endInside { target[x] = row[x + dx] }
                }
                for x in endInside..<width { target[x] = fill }
            }
        }
    }
}
