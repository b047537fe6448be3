import Foundation
import Testing
@testable import Datasets

/// Timings of loading and batching full Fashion-MNIST, to read rather than to assert (a
/// shared machine's timings vary). Run with the release build:
/// `PRUNELAB_BENCHMARK=1 swift test -c release --filter LoadingBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRUNELAB_BENCHMARK"] == "1"))
struct LoadingBenchmark {
    /// Seconds of wall-clock time and of CPU time (all threads) spent in `body`.
    func measure(_ label: String, _ body: () throws -> Void) rethrows {
        func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        let (wall, cpu) = (Date(), cpuSeconds())
        try body()
        print(String(format: "%@: wall %.3f s, cpu %.3f s", label, Date().timeIntervalSince(wall), cpuSeconds() - cpu))
    }

    @Test func fashionMNIST() throws {
        // The first load pays for fresh memory pages, as a lab's single load does.
        try measure("first load") { _ = try DatasetLoader.load(.fashionMNIST) }
        try measure("load") { _ = try DatasetLoader.load(.fashionMNIST) }
        var train: LabeledImages!
        try measure("load pad32") { train = try DatasetLoader.load(.fashionMNIST, pad32: true).train }
        let url = DatasetLoader.defaultFashionMNISTDirectory.appendingPathComponent("train-images-idx3-ubyte.gz")
        try measure("read and gunzip train-images") { _ = try FileBytes.read(url) }
        for augment in [false, true] {
            measure("one epoch of batches of 128, 32×32, augment \(augment)") {
                train.forEachBatch(size: 128, shuffleSeed: 1, augment: augment) { _ in }
            }
        }
    }
}
