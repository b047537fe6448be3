import Dispatch

/// How many cores the element-wise kernels spread over (OpenBLAS threads GEMM itself).
public nonisolated(unsafe) var parallelWorkers = 2

/// Runs `body(i)` for every i in 0..<count, split into contiguous chunks over the cores.
///
/// Small jobs (fewer than `minimumPerWorker` items per core) run on the calling thread,
/// since waking a thread costs more than a few thousand additions.
@inline(__always)
public func parallelFor(_ count: Int, minimumPerWorker: Int = 1, _ body: (Range<Int>) -> Void) {
    let workers = min(parallelWorkers, count / max(minimumPerWorker, 1))
    if workers <= 1 {
        body(0..<count)
        return
    }
    let chunk = (count + workers - 1) / workers
    withoutActuallyEscaping(body) { body in
        // The chunks touch disjoint ranges, so sharing the closure across threads is safe.
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let start = w * chunk
            let end = min(count, start + chunk)
            if start < end { shared.value(start..<end) }
        }
    }
}

/// Carries a value across threads when the caller guarantees the accesses do not race.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
