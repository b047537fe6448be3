import Foundation
import Networks
import Tensors

/// Measured inference time of one batch.
public struct LatencyMeasurement: Sendable, Codable, Equatable {
    public var batchSize: Int
    /// Milliseconds of each timed run, in order.
    public var runMilliseconds: [Double]

    /// The median run: robust to the odd slow run on a shared machine.
    public var medianMilliseconds: Double {
        let sorted = runMilliseconds.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
    /// Median milliseconds per sample.
    public var medianMillisecondsPerSample: Double { medianMilliseconds / Double(max(batchSize, 1)) }
}

/// Times eval-mode forward passes of a batch of `batchSize` random inputs: `warmup` untimed
/// runs (caches, allocator, BLAS threads), then `runs` timed ones. Fewer MACs do not always
/// mean less time, which is why pruning reports measure it; use a release build.
public func measureLatency(of network: Network, batchSize: Int = 64, runs: Int = 10, warmup: Int = 2,
                           seed: UInt64 = 0) -> LatencyMeasurement {
    precondition(batchSize >= 1 && runs >= 1 && warmup >= 0, "need batchSize ≥ 1, runs ≥ 1, warmup ≥ 0")
    var rng = SeededGenerator(seed: seed)
    let input = Tensor.uniform([batchSize] + network.inputShape, low: -1, high: 1, using: &rng)
    for _ in 0..<warmup { _ = network.forward(input, training: false) }
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        var output: Tensor?
        let elapsed = clock.measure { output = network.forward(input, training: false) }
        withExtendedLifetime(output) {}  // the result is freed after timing, not inside it
        let parts = elapsed.components
        times.append(Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15)
    }
    return LatencyMeasurement(batchSize: batchSize, runMilliseconds: times)
}
