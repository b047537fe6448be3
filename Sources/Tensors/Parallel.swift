import Foundation

/// How many cores the element-wise kernels and the AVX-512 products spread over.
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
    runWorkers(workers) { w in
        let start = w * chunk
        let end = min(count, start + chunk)
        if start < end { body(start..<end) }
    }
}

/// Runs `body(w)` for w in 0..<workers, one per core, on `WorkerPool.shared`; when the pool is
/// already running a section (this one is nested in it), on the calling thread one after another.
/// The workers touch disjoint data, so sharing `body` across threads is safe.
@inline(__always)
func runWorkers(_ workers: Int, _ body: (Int) -> Void) {
    if !WorkerPool.shared.run(workers: workers, body) {
        for w in 0..<workers { body(w) }
    }
}

/// Runs `body(worker, range)` over 0..<count cut into chunks of `chunkSize`; worker w takes
/// chunks w, w + workers, w + 2·workers, … in that order.
///
/// `worker` is in 0..<workers (the returned count), so a caller can give each worker its own
/// scratch memory or partial sum; chunks of one worker never run at the same time. The
/// assignment is fixed, not first-come: a per-worker partial sum then always adds the same
/// numbers in the same order, so the same seed gives bit-identical training on every run.
@discardableResult
public func parallelChunks(_ count: Int, chunkSize: Int,
                           _ body: (_ worker: Int, _ range: Range<Int>) -> Void) -> Int {
    let chunkSize = max(chunkSize, 1)
    let chunks = (count + chunkSize - 1) / chunkSize
    let workers = chunkWorkers(count, chunkSize: chunkSize)
    if workers <= 1 {
        if count > 0 { body(0, 0..<count) }
        return 1
    }
    runWorkers(workers) { worker in
        for chunk in stride(from: worker, to: chunks, by: workers) {
            let start = chunk * chunkSize
            body(worker, start..<min(count, start + chunkSize))
        }
    }
    return workers
}

/// How many workers `parallelChunks` uses for these arguments (to size per-worker scratch).
public func chunkWorkers(_ count: Int, chunkSize: Int) -> Int {
    let chunkSize = max(chunkSize, 1)
    return max(1, min(parallelWorkers, (count + chunkSize - 1) / chunkSize))
}

