import Tensors

/// A tiny in-memory labelled data set for training tests: Gaussian clusters, one per class.
///
/// Sample i of class c is centre[c] + noise·N(0, 1). With well separated centres the problem is
/// linearly separable, so any working network learns it in a few epochs.
final class SyntheticBatches: BatchSource {
    let inputs: Tensor
    let labels: [Int]
    let sampleShape: [Int]
    let classCount: Int

    var sampleCount: Int { labels.count }

    /// With `block` > 1 each centre is constant over block×block squares of pixels (a coarse
    /// pattern a convolutional network can see), for sample shapes [C, H, W].
    init(count: Int, sampleShape: [Int], classCount: Int, separation: Float = 3, noise: Float = 1,
         block: Int = 1, centresSeed: UInt64 = 100, seed: UInt64) {
        var centreRNG = SeededGenerator(seed: centresSeed)
        let features = sampleShape.reduce(1, *)
        let centres = Tensor.normal([classCount, features], std: separation, using: &centreRNG)
        if block > 1 {
            let (h, w) = (sampleShape[sampleShape.count - 2], sampleShape[sampleShape.count - 1])
            for c in 0..<classCount {
                for f in 0..<features {
                    let (plane, y, x) = (f / (h * w), f % (h * w) / w, f % w)
                    let source = plane * h * w + (y / block * block) * w + x / block * block
                    centres.data[c * features + f] = centres.data[c * features + source]
                }
            }
        }
        var rng = SeededGenerator(seed: seed)
        inputs = Tensor(shape: [count] + sampleShape)
        var labels: [Int] = []
        labels.reserveCapacity(count)
        for i in 0..<count {
            let label = i % classCount
            labels.append(label)
            for f in 0..<features {
                inputs.data[i * features + f] = centres.data[label * features + f] + noise * rng.normal()
            }
        }
        self.labels = labels
        self.sampleShape = sampleShape
        self.classCount = classCount
    }

    func forEachBatch(size: Int, shuffleSeed: UInt64?, augment: Bool, _ body: (Batch) throws -> Void) rethrows {
        var order = Array(0..<sampleCount)
        if let shuffleSeed {
            var rng = SeededGenerator(seed: shuffleSeed)
            order = rng.permutation(sampleCount)
        }
        let features = sampleShape.reduce(1, *)
        var start = 0
        while start < sampleCount {
            let end = min(start + size, sampleCount)
            let batch = Tensor(shape: [end - start] + sampleShape)
            var batchLabels = [Int](repeating: 0, count: end - start)
            for (row, index) in order[start..<end].enumerated() {
                (batch.data + row * features).update(from: inputs.data + index * features, count: features)
                batchLabels[row] = labels[index]
            }
            try body(Batch(inputs: batch, labels: batchLabels))
            start = end
        }
    }
}
