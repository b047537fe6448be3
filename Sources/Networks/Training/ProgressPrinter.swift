import Foundation

/// Prints training progress: one updating line on a terminal, and one plain line per epoch.
public struct ProgressPrinter: Sendable {
    /// Prints nothing at all (tests).
    public var silent: Bool
    /// Draws the updating progress bar (only on a terminal).
    private let showsBar: Bool

    /// - Parameters:
    ///   - bar: draw the updating bar when output is a terminal (`--quiet` turns it off).
    ///   - silent: print nothing.
    public init(bar: Bool = true, silent: Bool = false) {
        self.silent = silent
        showsBar = bar && isatty(STDOUT_FILENO) != 0
    }

    func update(label: String, epoch: Int, epochs: Int, step: Int, steps: Int,
                loss: Double, accuracy: Double, imagesPerSecond: Double, elapsed: Double) {
        guard !silent, showsBar, step % 5 == 0 || step == steps else { return }
        let width = 24
        let filled = steps > 0 ? width * step / steps : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let remaining = elapsed / Double(max(step, 1)) * Double(steps - step)
        let line = String(format: "\r%@ epoch %d/%d %@ %d/%d loss %.4f acc %.2f%% %.0f img/s ETA %.0fs ",
                          label, epoch + 1, epochs, bar, step, steps, loss, accuracy * 100, imagesPerSecond,
                          remaining)
        print(line, terminator: "")
        fflush(nil)  // all output streams: the bar must appear now, not at exit
    }

    func finishEpoch(label: String, record: EpochRecord, epochs: Int) {
        guard !silent else { return }
        let line = String(format: "%@%@ epoch %d/%d  lr %.4g  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1fs (%.0f img/s)\n",
                          showsBar ? "\r\u{1B}[K" : "", label, record.epoch, epochs, record.learningRate,
                          record.trainLoss, record.trainAccuracy * 100, record.testLoss, record.testAccuracy * 100,
                          record.seconds, record.imagesPerSecond)
        print(line, terminator: "")
        fflush(nil)  // all output streams: the bar must appear now, not at exit
    }
}
