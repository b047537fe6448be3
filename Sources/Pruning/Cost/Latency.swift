import Foundation
import Networks
import Tensors

/// Measured inference time of one batch.
public struct LatencyMeasurement: Sendable, Codable, Equatable {
    public var batchSize: Int
    /// Milliseconds of one forward pass in each timed run, in order.
    public var runMilliseconds: [Double]
    /// Forward passes each timed run repeated (its time divided by them gives `runMilliseconds`).
    public var passesPerRun: Int

    public init(batchSize: Int, runMilliseconds: [Double], passesPerRun: Int = 1) {
        self.batchSize = batchSize
        self.runMilliseconds = runMilliseconds
        self.passesPerRun = passesPerRun
    }

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

/// How long one timed latency run lasts at least, in milliseconds: a faster model repeats its forward pass.
public let minimumLatencyRunMilliseconds = 20.0

/// Times eval-mode forward passes of a batch of `batchSize` random inputs: `warmup` untimed
/// runs (caches, allocator, BLAS threads), then `runs` timed ones. Fewer MACs do not always
/// mean less time, which is why pruning reports measure it; use a release build.
public func measureLatency(of network: Network, batchSize: Int = 64, runs: Int = 10, warmup: Int = 2,
                           minimumRunMilliseconds: Double = minimumLatencyRunMilliseconds, seed: UInt64 = 0) -> LatencyMeasurement {
    measureLatencies(of: [network], batchSize: batchSize, runs: runs, warmup: warmup,
                     minimumRunMilliseconds: minimumRunMilliseconds, seed: seed)[0]
}

/// `measureLatency` of several networks (a baseline and its pruned versions) in alternation: each
/// round times every network once, so a change in the machine's load hits them alike. A timed run
/// repeats the forward pass until it lasts about `minimumRunMilliseconds` (the count fixed once,
/// from the warm-up) and records the time of one pass, so a model that takes a tenth of a
/// millisecond is timed well above the clock's and the scheduler's noise.
public func measureLatencies(of networks: [Network], batchSize: Int = 64, runs: Int = 10, warmup: Int = 2,
                             minimumRunMilliseconds: Double = minimumLatencyRunMilliseconds, seed: UInt64 = 0) -> [LatencyMeasurement] {
    precondition(batchSize >= 1 && runs >= 1 && warmup >= 0, "need batchSize ≥ 1, runs ≥ 1, warmup ≥ 0")
    let inputs = networks.map { network in
        var rng = SeededGenerator(seed: seed)
        return Tensor.uniform([batchSize] + network.inputShape, low: -1, high: 1, using: &rng)
    }
    func milliseconds(_ network: Network, _ input: Tensor, passes: Int) -> Double {
        var output: Tensor?
        let elapsed = ContinuousClock().measure {
            for _ in 0..<passes { output = network.forward(input, training: false) }
        }
        withExtendedLifetime(output) {}  // the result is freed after timing, not inside it
        let parts = elapsed.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
    let passes = zip(networks, inputs).map { network, input in
        for _ in 0..<warmup { _ = network.forward(input, training: false) }
        let once = milliseconds(network, input, passes: 1)
        return max(1, Int((minimumRunMilliseconds / max(once, 1e-3)).rounded(.up)))
    }
    var times = Array(repeating: [Double](), count: networks.count)
    for _ in 0..<runs {
        for index in networks.indices {
            times[index].append(milliseconds(networks[index], inputs[index], passes: passes[index]) / Double(passes[index]))
        }
    }
    return zip(times, passes).map { LatencyMeasurement(batchSize: batchSize, runMilliseconds: $0, passesPerRun: $1) }
}
