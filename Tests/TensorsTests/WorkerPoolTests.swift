import Foundation
import Synchronization
import Testing
@testable import Tensors

/// The helper threads behind `parallelFor` and `parallelChunks`: every worker of every section
/// runs exactly once, on a pool that has slept, on one that has more helpers than a section
/// needs, inside another section, and with two threads starting sections at once.
@Suite struct WorkerPoolTests {
    /// Runs `sections` sections of `workers` workers on `pool` and counts each worker's runs.
    private func runCounts(_ pool: WorkerPool, workers: Int, sections: Int, pauseMicroseconds: UInt32 = 0) -> [Int] {
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: workers)
        counts.initialize(repeating: 0, count: workers)
        defer { counts.deallocate() }
        for _ in 0..<sections {
            #expect(pool.run(workers: workers) { w in counts[w] += 1 })
            if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
        }
        return Array(UnsafeBufferPointer(start: counts, count: workers))
    }

    @Test func everyWorkerRunsOncePerSection() {
        let pool = WorkerPool()
        #expect(runCounts(pool, workers: 2, sections: 20_000) == [20_000, 20_000])
    }

    @Test func helpersThatFellAsleepWakeForTheNextSection() {
        let pool = WorkerPool()
        // 2 ms between sections: far past the helpers' polling time, so each section wakes them.
        #expect(runCounts(pool, workers: 3, sections: 50, pauseMicroseconds: 2_000) == [50, 50, 50])
    }

    @Test func aSectionWithFewerWorkersLeavesTheOtherHelpersOut() {
        let pool = WorkerPool()
        #expect(runCounts(pool, workers: 4, sections: 10) == [10, 10, 10, 10])
        for round in 0..<2_000 {
            let workers = round % 2 == 0 ? 2 : 3
            let counts = runCounts(pool, workers: workers, sections: 1)
            #expect(counts == Array(repeating: 1, count: workers), "round \(round)")
        }
    }

    @Test func aNestedSectionIsRefusedAndParallelForRunsItOnTheCaller() {
        let pool = WorkerPool()
        let nestedRefused = Atomic<Int>(0)
        #expect(pool.run(workers: 2) { _ in
            if !pool.run(workers: 2, { _ in }) { nestedRefused.add(1, ordering: .relaxed) }
        })
        #expect(nestedRefused.load(ordering: .relaxed) == 2)
        // Through the shared pool: an inner parallelFor inside an outer one still covers every index.
        let saved = parallelWorkers
        parallelWorkers = 2
        defer { parallelWorkers = saved }
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: 4 * 1000)
        hits.initialize(repeating: 0, count: 4 * 1000)
        defer { hits.deallocate() }
        parallelFor(4) { outer in
            for o in outer { parallelFor(1000) { inner in for i in inner { hits[o * 1000 + i] += 1 } } }
        }
        #expect(UnsafeBufferPointer(start: hits, count: 4000).allSatisfy { $0 == 1 })
    }

    @Test func twoThreadsStartingSectionsAtOnceBothFinishEveryWorker() {
        let pool = WorkerPool()
        let complete = Atomic<Int>(0)
        // Two threads start sections at once: one may be refused, and then runs its workers itself.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<2_000 {
                let ran = Atomic<Int>(0)
                if !pool.run(workers: 2, { _ in ran.add(1, ordering: .relaxed) }) {
                    for _ in 0..<2 { ran.add(1, ordering: .relaxed) }
                }
                if ran.load(ordering: .relaxed) == 2 { complete.add(1, ordering: .relaxed) }
            }
        }
        #expect(complete.load(ordering: .relaxed) == 4_000)
    }
}
