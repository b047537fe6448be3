/// Per-channel mean and standard deviation of pixel values scaled to [0, 1], as given to
/// torchvision's `Normalize(mean, std)`.
///
/// They are measured on the training split and applied to both splits, so the test set is
/// transformed exactly as the network saw its training data.
public struct ChannelStatistics: Sendable, Equatable, Codable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count, "one mean and one std per channel")
        self.mean = mean
        self.std = std
    }

    /// Mean and (population) standard deviation of each channel of `images`.
    ///
    /// Works from a histogram of byte values, so the sums are exact and one pass is enough.
    public init(measuring images: RawImages) {
        let plane = images.height * images.width
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: images.channels)
        images.pixels.withUnsafeBufferPointer { pixels in
            for c in 0..<images.channels {
                histograms[c].withUnsafeMutableBufferPointer { histogram in
                    for image in 0..<images.count {
                        let start = pixels.baseAddress! + (image * images.channels + c) * plane
                        for i in 0..<plane { histogram[Int(start[i])] += 1 }
                    }
                }
            }
        }
        var mean: [Float] = [], std: [Float] = []
        for histogram in histograms {
            var n = 0.0, sum = 0.0, sumOfSquares = 0.0
            for (value, frequency) in histogram.enumerated() where frequency > 0 {
                let x = Double(value) / 255
                n += Double(frequency)
                sum += Double(frequency) * x
                sumOfSquares += Double(frequency) * x * x
            }
            let m = n > 0 ? sum / n : 0
            let variance = n > 0 ? max(sumOfSquares / n - m * m, 0) : 0
            mean.append(Float(m))
            // A constant channel would divide by zero; leave its values unscaled instead.
            std.append(variance > 0 ? Float(variance.squareRoot()) : 1)
        }
        self.init(mean: mean, std: std)
    }

    /// The normalised value of each byte value for `channel`: (v / 255 − mean) / std.
    public func lookupTable(channel: Int) -> [Float] {
        (0..<256).map { (Float($0) / 255 - mean[channel]) / std[channel] }
    }

    /// What a black (zero) pixel becomes after normalisation: the value that padding uses,
    /// as torchvision pads before it normalises.
    public var normalisedZero: [Float] {
        zip(mean, std).map { -$0 / $1 }
    }
}
