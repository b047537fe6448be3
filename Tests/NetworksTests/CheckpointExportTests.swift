import Foundation
import Testing
import Tensors
@testable import Networks

/// Writes checkpoints with an input and the Swift model's output next to them, for
/// `tools/check_safetensors.py` to compare against PyTorch:
///
///     PRUNELAB_EXPORT_DIR=/tmp/export swift test --filter CheckpointExportTests
///     python3 tools/check_safetensors.py /tmp/export
///
/// Without the variable it writes to a temporary folder and checks the files read back.
@Suite("Checkpoint export for PyTorch")
struct CheckpointExportTests {
    @Test func exportCheckpointsWithInputsAndOutputs() throws {
        let environment = ProcessInfo.processInfo.environment["PRUNELAB_EXPORT_DIR"]
        let folder = try environment.map { URL(fileURLWithPath: $0) } ?? CheckpointFixtures.folder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if environment == nil { try? FileManager.default.removeItem(at: folder) } }

        let models: [(String, Network, [Int])] = [
            ("mlp", Network.mlp(cfg: [32, 16, 10], inputShape: [1, 28, 28], seed: 21), [4, 1, 28, 28]),
            ("small-cnn", Network.smallCNN(cfg: [32, 64, 64], seed: 22), [4, 1, 28, 28]),
            ("pruned-small-cnn", CheckpointFixtures.maskedSmallCNN(), [4, 1, 28, 28]),
            ("small-cnn-32", Network.smallCNN(cfg: [5, 7, 3], inputShape: [3, 32, 32], classCount: 4, seed: 23), [2, 3, 32, 32]),
        ]
        for (seed, (name, network, inputShape)) in models.enumerated() {
            let input = CheckpointFixtures.randomInput(inputShape, seed: UInt64(100 + seed))
            let output = network.forward(input, training: false)
            try network.save(to: folder.appendingPathComponent("\(name).safetensors"))
            let pair = SafeTensorsFile(entries: [.init(name: "input", tensor: input), .init(name: "output", tensor: output)],
                                       metadata: ["model": "\(name).safetensors"])
            let pairURL = folder.appendingPathComponent("\(name).io.safetensors")
            try pair.write(to: pairURL)

            let reread = try SafeTensorsFile.read(from: pairURL)
            #expect(reread["output"]?.values == output.values)
            let loaded = try Network.load(from: folder.appendingPathComponent("\(name).safetensors"))
            #expect(loaded.forward(try #require(reread["input"]), training: false).values == output.values)
        }
    }
}
