import Foundation

/// Prints training progress: one updating line on a terminal, one plain line per epoch otherwise.
public struct ProgressPrinter: Sendable {
    public var quiet: Bool
    private let isTerminal: Bool

    public init(quiet: Bool = false) {
        self.quiet = quiet
        isTerminal = isatty(STDOUT_FILENO) != 0
    }

    func update(label: String, epoch: Int, epochs: Int, step: Int, steps: Int,
                loss: Double, accuracy: Double, imagesPerSecond: Double, elapsed: Double) {
        guard !quiet, isTerminal, step % 5 == 0 || step == steps else { return }
        let width = 24
        let filled = steps > 0 ? width * step / steps : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let remaining = elapsed / Double(max(step, 1)) * Double(steps - step)
        let line = String(format: "\r%@ epoch %d/%d %@ %d/%d loss %.4f acc %.2f%% %.0f img/s ETA %.0fs ",
                          label, epoch + 1, epochs, bar, step, steps, loss, accuracy * 100, imagesPerSecond,
                          remaining)
        FileHandle.standardOutput.write(line.data(using: .utf8)!)
    }

    func finishEpoch(label: String, record: EpochRecord, epochs: Int) {
        guard !quiet else { return }
        let line = String(format: "%@%@ epoch %d/%d  lr %.4g  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1fs (%.0f img/s)\n",
                          isTerminal ? "\r\u{1B}[K" : "", label, record.epoch, epochs, record.learningRate,
                          record.trainLoss, record.trainAccuracy * 100, record.testLoss, record.testAccuracy * 100,
                          record.seconds, record.imagesPerSecond)
        FileHandle.standardOutput.write(line.data(using: .utf8)!)
    }
}
