import AtomicFiles
import Foundation
import Testing
import Tensors
@testable import Networks

/// A save that fails must leave the earlier checkpoint as it was, and no temporary file behind.
@Suite("Checkpoint atomic writes")
struct CheckpointAtomicWriteTests {
    @Test func failedWriteKeepsTheEarlierFile() throws {
        let folder = try CheckpointFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        let first = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        try first.save(to: url)
        let earlier = try Data(contentsOf: url)

        // The temporary file cannot be created (a folder is in the way): the save fails.
        let blocker = folder.appendingPathComponent("blocker.partial")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        let second = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 2)
        let data = try second.checkpointFile().encoded()
        #expect { try AtomicFile.write(data, to: url, through: blocker) } throws: { error in
            (error as? AtomicWriteError)?.path == url.path
        }
        #expect(try Data(contentsOf: url) == earlier)
        let loaded = try Network.load(from: url)
        #expect(CheckpointFixtures.stateValues(loaded) == CheckpointFixtures.stateValues(first))

        // A successful save replaces it completely.
        try second.save(to: url)
        #expect(CheckpointFixtures.stateValues(try Network.load(from: url)) == CheckpointFixtures.stateValues(second))
        // The failed attempt's temporary path was cleaned up; nothing else is left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
    }

    @Test func renameOntoAFolderFailsAndRemovesTheTemporaryFile() throws {
        let folder = try CheckpointFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: target.appendingPathComponent("inside"), withIntermediateDirectories: false)
        let network = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        let error = expectCheckpointError({ try network.save(to: target) }) {
            if case .writeFailed = $0 { return true } else { return false }
        }
        #expect(error?.description.contains("unchanged") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["inside"])
    }

    @Test func saveIntoAMissingFolderFails() throws {
        let folder = try CheckpointFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("no/such/folder/model.safetensors")
        expectCheckpointError({ try Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1).save(to: url) }) {
            if case .writeFailed(let path, _) = $0 { return path == url.path } else { return false }
        }
    }

    @Test func writerRefusesDuplicateNamesAndBadMasks() throws {
        let file = SafeTensorsFile(entries: [.init(name: "a", tensor: Tensor(shape: [1])), .init(name: "a", tensor: Tensor(shape: [2]))])
        expectCheckpointError({ _ = try file.encoded(path: "x") }) { $0 == .invalidContents(path: "x", problem: "two tensors are named 'a'") }
        let network = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        network.parameters[0].mask = Tensor(shape: [3])
        expectCheckpointError({ _ = try network.checkpointFile(path: "x") }) {
            if case .invalidContents(_, let problem) = $0 { return problem.contains("fc1.weight") } else { return false }
        }
    }
}
