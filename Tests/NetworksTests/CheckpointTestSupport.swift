import Foundation
import Testing
import Tensors
import TestSupport
@testable import Networks

/// Helpers shared by the checkpoint tests: temporary folders, raw files, random inputs.
enum CheckpointFixtures {
    /// A fresh empty folder under the system's temporary directory.
    static func folder() throws -> URL { try temporaryFolder(prefix: "prunelab-checkpoint-tests") }

    /// A safetensors file from a header written by hand and raw data bytes.
    static func rawFile(header: String, data: [UInt8] = []) -> Data {
        var bytes = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: data)
        return bytes
    }

    /// `count` little-endian Float32 values 0, 1, 2, … as bytes.
    static func floatBytes(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { i -> [UInt8] in
            let bits = Float(i).bitPattern.littleEndian
            return withUnsafeBytes(of: bits) { Array($0) }
        }
    }

    static func randomInput(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return .normal(shape, using: &rng)
    }

    /// A SmallCNN with narrow ("pruned") widths, a mask on conv2's weight applied to its values,
    /// and every parameter perturbed so the test cannot pass with a fresh model.
    static func maskedSmallCNN() -> Network {
        let network = Network.smallCNN(cfg: [8, 16, 32], seed: 7)
        let weight = network.parameters.first { $0.name == "conv2.weight" }!
        let mask = Tensor(shape: weight.shape)
        for i in 0..<mask.count { mask.data[i] = i % 3 == 0 ? 0 : 1 }
        weight.mask = mask
        weight.applyMask()
        return network
    }

    /// Saves `network` into a fresh folder, loads it back, and expects the same spec, every
    /// stored value and the same outputs on `input`, with nothing but the checkpoint left in the
    /// folder (no temporary files). Returns the loaded network.
    static func roundTrip(_ network: Network, input: Tensor,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Network {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try network.save(to: url)
        let loaded = try Network.load(from: url)
        #expect(loaded.spec == network.spec, sourceLocation: sourceLocation)
        #expect(stateValues(loaded) == stateValues(network), sourceLocation: sourceLocation)
        #expect(loaded.forward(input, training: false).values == network.forward(input, training: false).values,
                sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"],
                sourceLocation: sourceLocation)
        return loaded
    }

    /// The state's values, flattened, for exact comparisons.
    static func stateValues(_ network: Network) -> [[Float]] { network.state.map(\.value.values) }
}

/// Expects `body` to throw a `CheckpointError` matching `check`, and returns it.
@discardableResult
func expectCheckpointError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation,
                           _ check: (CheckpointError) -> Bool) -> CheckpointError? {
    do {
        try body()
        Issue.record("expected a CheckpointError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as CheckpointError {
        #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a CheckpointError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
