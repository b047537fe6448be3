import CPUCheck
import Foundation
import Synchronization

/// Helper threads that stay awake between parallel sections, so a short section (an MLP
/// layer's product takes 0.1 ms) does not pay for waking a thread.
///
/// The caller runs worker 0 itself; helper i runs worker i. After a section a helper polls for
/// the next one for `spinNanoseconds` (0.2 ms), then sleeps on a condition
/// until one comes. One section at a time: a section started while another runs (from another
/// thread, or from inside a section's body) is refused and the caller runs it alone.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a helper polls for the next section before it sleeps: longer than the serial
    /// work between two products of a forward pass, short beside anything a person would notice.
    private static let spinNanoseconds: UInt64 = 200_000

    /// The section's number × 256 + its worker count, changed once per section: a helper runs
    /// worker `index` of a section when it sees a new value and the count is above its index (one
    /// load gives both, so a helper never pairs one section's number with another's count).
    private let generation = Atomic<Int>(0)
    /// Helpers still running the current section.
    private let pending = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// Helpers asleep (or about to be) on `condition`.
    private let sleepers = Atomic<Int>(0)
    private let condition = NSCondition()
    /// The section: set before `generation` is bumped, cleared after every helper has finished.
    private var section: ((Int) -> Void)?
    /// Helper threads started so far (only grown, by the thread that holds `busy`).
    private var helpers = 0

    /// Runs `body(w)` for every w in 0..<workers, w = 0 on the calling thread, and returns when all
    /// have finished; returns false without running anything when a section is already running.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        precondition((1..<256).contains(workers), "WorkerPool runs 1 to 255 workers, got \(workers)")
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        while helpers < workers - 1 {
            helpers += 1
            let (index, current) = (helpers, generation.load(ordering: .relaxed))
            // The helper holds the pool for good (it never exits): programs use `shared`.
            let thread = Thread { self.helperLoop(index: index, seen: current) }
            thread.name = "prunelab-worker-\(index)"
            thread.stackSize = 8 << 20  // a main thread's, whatever Foundation's default for a new thread is
            thread.start()
        }
        withoutActuallyEscaping(body) { body in
            section = body
            pending.store(workers - 1, ordering: .relaxed)
            // Sequentially consistent with the helpers' `sleepers` increment and re-check below:
            // either this sees a sleeper and wakes it, or the sleeper sees the new generation.
            let next = (generation.load(ordering: .relaxed) >> 8 &+ 1) << 8 | workers
            generation.store(next, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            body(0)
            var polls = 0
            while pending.load(ordering: .acquiring) > 0 {
                polls += 1
                if polls < 1 << 16 { prunelab_spin_pause() } else { sched_yield() }
            }
            section = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func helperLoop(index: Int, seen start: Int) {
        var seen = start
        while true {
            seen = waitForSection(after: seen)
            if index < seen & 255 {
                runShare(index)
                pending.subtract(1, ordering: .releasing)
            }
        }
    }

    /// The next generation after `seen`: polled for a while, then slept for.
    private func waitForSection(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + WorkerPool.spinNanoseconds
        repeat {
            for _ in 0..<16 {
                let now = generation.load(ordering: .acquiring)
                if now != seen { return now }
                prunelab_spin_pause()
            }
        } while DispatchTime.now().uptimeNanoseconds < deadline
        condition.lock()
        defer { condition.unlock() }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var now = generation.load(ordering: .sequentiallyConsistent)
        while now == seen {
            condition.wait()
            now = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .relaxed)
        return now
    }

    /// A separate function so that the helper's reference to the section is released before it
    /// reports the share done (the caller then ends `withoutActuallyEscaping`, which checks that
    /// nobody kept the closure).
    @inline(never)
    private func runShare(_ index: Int) {
        section?(index)
    }
}
