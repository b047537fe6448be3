import Foundation
import Testing
import Tensors
@testable import Networks

/// Damaged, foreign or mismatched checkpoints: each is refused with a typed error whose
/// sentence names the file and the problem, never a crash.
@Suite("Checkpoint hostile input")
struct CheckpointHostileInputTests {
    private let path = "/data/model.safetensors"

    private func decode(_ data: Data) throws { _ = try SafeTensorsFile.decode(data, path: path) }

    /// A valid small-cnn checkpoint's bytes.
    private func validCheckpoint() throws -> Data {
        try CheckpointFixtures.maskedSmallCNN().checkpointFile().encoded()
    }

    /// A valid checkpoint of `network` whose spec metadata is replaced by `spec`.
    private func checkpoint(of network: Network, claiming spec: ModelSpec) throws -> SafeTensorsFile {
        var file = try network.checkpointFile()
        file.metadata["spec"] = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        return try SafeTensorsFile.decode(file.encoded(), path: path)
    }

    @Test func truncatedFile() throws {
        let data = try validCheckpoint()
        let error = expectCheckpointError({ try decode(data.dropLast(10)) }) {
            if case .truncated(_, let expected, let actual) = $0 { return expected - actual == 10 } else { return false }
        }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func fileShorterThanTheHeaderLength() {
        expectCheckpointError({ try decode(Data([1, 2, 3])) }) { $0 == .tooShort(path: path, size: 3) }
        expectCheckpointError({ try decode(Data()) }) { $0 == .tooShort(path: path, size: 0) }
    }

    @Test func headerLengthBeyondTheFile() throws {
        var data = try validCheckpoint()
        let size = data.count
        var length = UInt64(size).littleEndian // 8 bytes more than there are after the length
        withUnsafeBytes(of: &length) { data.replaceSubrange(0..<8, with: $0) }
        let error = expectCheckpointError({ try decode(data) }) {
            $0 == .headerBeyondFile(path: path, headerLength: UInt64(size), fileSize: size)
        }
        #expect(error?.description.contains("declares a \(size)-byte header") == true)
    }

    @Test func absurdHeaderLength() throws {
        var data = try validCheckpoint()
        withUnsafeBytes(of: UInt64.max.littleEndian) { data.replaceSubrange(0..<8, with: $0) }
        expectCheckpointError({ try decode(data) }) { $0 == .headerTooLarge(path: path, headerLength: .max) }
    }

    @Test func headerThatIsNotJSON() throws {
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: "this is not json at all!")) }) {
            if case .headerNotJSON = $0 { return true } else { return false }
        }
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: "[1, 2, 3]")) }) {
            if case .headerNotJSON(_, let reason) = $0 { return reason.contains("not an object") } else { return false }
        }
        var invalidUTF8 = CheckpointFixtures.rawFile(header: "{\"a\": 1}")
        invalidUTF8[10] = 0xFF
        expectCheckpointError({ try decode(invalidUTF8) }) {
            if case .headerNotJSON(_, let reason) = $0 { return reason.contains("UTF-8") } else { return false }
        }
    }

    @Test func dtypeOtherThanF32IsNamed() {
        let header = #"{"w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}"#
        let error = expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header, data: [0, 0, 0, 0])) }) {
            $0 == .unsupportedDType(path: path, tensor: "w", dtype: "F16")
        }
        #expect(error?.description.contains("stored as F16") == true)
    }

    @Test func missingOrMistypedEntryFields() {
        let cases = [
            (#"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#, "has no dtype"),
            (#"{"w": {"dtype": "F32", "data_offsets": [0, 4]}}"#, "has no shape"),
            (#"{"w": {"dtype": "F32", "shape": [1]}}"#, "has no data_offsets"),
            (#"{"w": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}}"#, "dtype that is not a string"),
            (#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, "shape that is not"),
            (#"{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#, "shape that is not"),
            (#"{"w": {"dtype": "F32", "shape": "1", "data_offsets": [0, 4]}}"#, "shape that is not"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}"#, "data_offsets that are not"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 1e300]}}"#, "data_offsets that are not"),
            (#"{"w": [1, 2]}"#, "is not a JSON object"),
            (#"{"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 4294967296], "data_offsets": [0, 4]}}"#, "too large"),
        ]
        for (header, problem) in cases {
            expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header, data: [0, 0, 0, 0])) }) {
                if case .badTensorEntry(_, "w", let found) = $0 { return found.contains(problem) } else { return false }
            }
        }
    }

    @Test func offsetsOutOfRangeOverlappingOrNotMatchingTheShape() {
        let data = CheckpointFixtures.floatBytes(4)
        func header(_ a: String, _ b: String) -> String {
            #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": \#(a)}, "b": {"dtype": "F32", "shape": [2], "data_offsets": \#(b)}}"#
        }
        // Overlap: b starts inside a.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[0, 8]", "[4, 12]"), data: data)) }) {
            if case .badOffsets(_, "b", let problem) = $0 { return problem.contains("inside") } else { return false }
        }
        // Gap: nothing stored at 0..<4.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[4, 12]", "[12, 20]"), data: data)) }) {
            if case .badOffsets(_, "a", let problem) = $0 { return problem.contains("unused") } else { return false }
        }
        // Beyond the data: the file is too short for what the header describes.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[0, 8]", "[8, 16]"), data: Array(data.prefix(12)))) }) {
            $0 == .truncated(path: path, expectedBytes: 16, actualBytes: 12)
        }
        // Span does not fit the shape.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[0, 4]", "[4, 16]"), data: data)) }) {
            if case .badOffsets(_, let name, let problem) = $0 { return name == "a" && problem.contains("needs 8") } else { return false }
        }
        // End before begin.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[8, 0]", "[8, 16]"), data: data)) }) {
            if case .badOffsets(_, "a", let problem) = $0 { return problem.contains("before") } else { return false }
        }
        // More data than described.
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header("[0, 8]", "[8, 16]"), data: data + [1, 2, 3, 4])) }) {
            $0 == .trailingBytes(path: path, expectedBytes: 16, actualBytes: 20)
        }
        // The same description with exactly the right data decodes.
        #expect(throws: Never.self) { try decode(CheckpointFixtures.rawFile(header: header("[0, 8]", "[8, 16]"), data: data)) }
    }

    @Test func metadataMustBeStrings() {
        let header = #"{"__metadata__": {"spec": 3}}"#
        expectCheckpointError({ try decode(CheckpointFixtures.rawFile(header: header)) }) {
            if case .badMetadataSection(_, let problem) = $0 { return problem.contains("'spec'") } else { return false }
        }
    }

    @Test func shapesThatDoNotMatchTheCfg() throws {
        // The tensors of a [24, 12, 10] MLP under a spec claiming [20, 12, 10].
        let network = Network.mlp(cfg: [24, 12, 10], inputShape: [1, 6, 6], seed: 1)
        let file = try checkpoint(of: network, claiming: ModelSpec(family: .mlp, cfg: [20, 12, 10], inputShape: [1, 6, 6], classCount: 10))
        let error = expectCheckpointError({ _ = try Network.load(from: file, path: path) }) {
            $0 == .shapeMismatch(path: path, tensor: "fc1.weight", fileShape: [24, 36], modelShape: [20, 36], cfg: [20, 12, 10])
        }
        #expect(error?.description.contains("'fc1.weight'") == true)
        #expect(error?.description.contains("[24, 36]") == true && error?.description.contains("[20, 36]") == true)
    }

    @Test func cfgThatDoesNotFitTheFamily() throws {
        let network = Network.smallCNN(cfg: [4, 6, 5], seed: 1)
        let file = try checkpoint(of: network, claiming: ModelSpec(family: .smallCNN, cfg: [4, 6], inputShape: [1, 28, 28], classCount: 10))
        let error = expectCheckpointError({ _ = try Network.load(from: file, path: path) }) {
            if case .specDoesNotFit(_, "small-cnn", [4, 6], let reason) = $0 { return reason.contains("three widths") } else { return false }
        }
        #expect(error?.description.contains("cannot be built") == true)
        var claimingTransformer = try network.checkpointFile()
        claimingTransformer.metadata["spec"] = #"{"family": "transformer", "cfg": [4], "inputShape": [1, 28, 28], "classCount": 10}"#
        let unknown = try SafeTensorsFile.decode(claimingTransformer.encoded(), path: path)
        expectCheckpointError({ _ = try Network.load(from: unknown, path: path) }) {
            if case .specDoesNotFit(_, "transformer", _, let reason) = $0 { return reason.contains("unknown model family") } else { return false }
        }
    }

    @Test func hugeCfgIsRefusedBeforeAllocating() throws {
        let network = Network.mlp(cfg: [24, 12, 10], inputShape: [1, 6, 6], seed: 1)
        for spec in [ModelSpec(family: .mlp, cfg: [2_000_000_000, 10], inputShape: [1, 6, 6], classCount: 10),
                     ModelSpec(family: .mlp, cfg: [24, 12, 10], inputShape: [1, 60_000, 60_000], classCount: 10),
                     ModelSpec(family: .smallCNN, cfg: [4, 6, 1 << 40], inputShape: [1, 28, 28], classCount: 10),
                     ModelSpec(family: .resnet, cfg: [4, 4, 4], inputShape: [3, 32, 32], classCount: 10, depth: 8, widthMultiplier: 1e9),
                     ModelSpec(family: .preresnet, cfg: Array(repeating: 1, count: 10), inputShape: [3, 32, 32], classCount: 10,
                               depth: 11, widthMultiplier: 1e300),
                     ModelSpec(family: .densenet, cfg: Array(repeating: 1, count: 9), inputShape: [3, 32, 32], classCount: 10,
                               depth: 10, widthMultiplier: 1e300),
                     ModelSpec(family: .densenet, cfg: Array(repeating: 1, count: 39), inputShape: [3, 32, 32], classCount: 10,
                               depth: 40, widthMultiplier: 10),
                     ModelSpec(family: .resnet, cfg: [4, 4, 4], inputShape: [3, 32, 32], classCount: 10, depth: 8, widthMultiplier: -1)] {
            let file = try checkpoint(of: network, claiming: spec)
            expectCheckpointError({ _ = try Network.load(from: file, path: path) }) {
                if case .specDoesNotFit(_, _, _, let reason) = $0 {
                    return reason.contains("stored in the file") || reason.contains("not a positive number")
                } else { return false }
            }
        }
    }

    @Test func foreignOrDamagedMetadata() throws {
        let network = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        func load(_ change: (inout [String: String]) -> Void) throws -> CheckpointError? {
            var file = try network.checkpointFile()
            change(&file.metadata)
            let decoded = try SafeTensorsFile.decode(file.encoded(), path: path)
            return expectCheckpointError({ _ = try Network.load(from: decoded, path: path) }) { _ in true }
        }
        #expect(try load { $0 = [:] } == .notAPruneLabCheckpoint(path: path, missingKey: "format"))
        #expect(try load { $0["spec"] = nil } == .notAPruneLabCheckpoint(path: path, missingKey: "spec"))
        #expect(try load { $0["format_version"] = "2" } == .unsupportedVersion(path: path, version: "2"))
        if case .badMetadata(_, "spec", _)? = try load({ $0["spec"] = "{\"family\": 1}" }) {} else { Issue.record("bad spec accepted") }
        if case .badMetadata(_, "channel_selections", _)? = try load({ $0["channel_selections"] = "[1" }) {} else { Issue.record("bad selections accepted") }
        if case .badChannelSelection? = try load({ $0["channel_selections"] = "[[0]]" }) {} else { Issue.record("extra selection accepted") }
    }

    @Test func missingExtraAndBadMaskTensors() throws {
        let network = CheckpointFixtures.maskedSmallCNN()
        func load(_ change: (inout SafeTensorsFile) -> Void) throws -> CheckpointError? {
            var file = try network.checkpointFile()
            change(&file)
            let decoded = try SafeTensorsFile.decode(file.encoded(), path: path)
            return expectCheckpointError({ _ = try Network.load(from: decoded, path: path) }) { _ in true }
        }
        #expect(try load { $0.entries.removeAll { $0.name == "fc.bias" } } == .missingTensor(path: path, tensor: "fc.bias"))
        #expect(try load { $0.entries.append(.init(name: "extra", tensor: Tensor(shape: [1]))) } == .unexpectedTensor(path: path, tensor: "extra"))
        let badMask = try load {
            let index = $0.entries.firstIndex { $0.name == "conv2.weight.mask" }!
            $0.entries[index].tensor = Tensor(shape: $0.entries[index].tensor.shape, repeating: 0.5)
        }
        #expect(badMask == .badMask(path: path, tensor: "conv2.weight", problem: "holds values other than 0 and 1"))
    }

    @Test func failedRestoreLeavesTheNetworkUnchanged() throws {
        let network = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 1)
        let target = Network.mlp(cfg: [4, 10], inputShape: [1, 2, 2], seed: 2)
        let before = CheckpointFixtures.stateValues(target)
        var file = try network.checkpointFile()
        file.entries.removeAll { $0.name == "fc2.bias" } // the last one: every earlier tensor matched
        expectCheckpointError({ try target.restore(from: file, path: path) }) { $0 == .missingTensor(path: path, tensor: "fc2.bias") }
        #expect(CheckpointFixtures.stateValues(target) == before)
    }

    @Test func readingMissingOrFolderPaths() throws {
        let folder = try CheckpointFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("none.safetensors")
        expectCheckpointError({ _ = try Network.load(from: missing) }) { $0 == .missingFile(path: missing.path) }
        expectCheckpointError({ _ = try Network.load(from: folder) }) { $0 == .unreadableFile(path: folder.path, reason: "it is a folder") }
    }

    @Test func everyDescriptionIsOneSentenceNamingTheFile() throws {
        let errors: [CheckpointError] = [
            .tooShort(path: path, size: 3), .headerBeyondFile(path: path, headerLength: 9, fileSize: 8),
            .headerNotJSON(path: path, reason: "x"), .unsupportedDType(path: path, tensor: "w", dtype: "BF16"),
            .truncated(path: path, expectedBytes: 8, actualBytes: 4),
            .shapeMismatch(path: path, tensor: "w", fileShape: [1], modelShape: [2], cfg: [2]),
            .specDoesNotFit(path: path, family: "mlp", cfg: [], reason: "r"), .writeFailed(path: path, reason: "r"),
        ]
        for error in errors {
            let text = error.description
            #expect(text.contains(path))
            #expect(!text.contains("\n") && !text.hasSuffix("."))
            #expect(text.contains(":"), "a fix follows the problem: \(text)")
        }
    }
}

@Suite("Checkpoint size check")
struct CheckpointSizeTests {
    @Test func countsMatchTheBuiltModels() throws {
        for spec in [ModelSpec(family: .mlp, cfg: [24, 12, 10], inputShape: [1, 6, 6], classCount: 10),
                     ModelSpec(family: .smallCNN, cfg: [8, 16, 32], inputShape: [1, 28, 28], classCount: 10),
                     ModelSpec(family: .smallCNN, cfg: [5, 7, 3], inputShape: [3, 32, 32], classCount: 4)] {
            let network = try Network.build(spec, seed: 0)
            #expect(CheckpointSize.modelValues(spec) == network.state.reduce(0) { $0 + $1.value.count })
        }
        #expect(CheckpointSize.modelValues(ModelSpec(family: .vgg, cfg: [64], inputShape: [3, 32, 32], classCount: 10)) == nil)
    }

    @Test func largeButPlausibleWidthsAreRefusedByTheCount() throws {
        // Each width is below the stored count, but the classifier alone would need 1000·7·7·1000 values.
        let spec = ModelSpec(family: .smallCNN, cfg: [8, 16, 1000], inputShape: [1, 28, 28], classCount: 1000)
        expectCheckpointError({ try CheckpointSize.check(spec, storedValues: 10_000, path: "p") }) {
            if case .specDoesNotFit(_, _, _, let reason) = $0 { return reason.contains("needs more values") } else { return false }
        }
        let overflow = ModelSpec(family: .smallCNN, cfg: [1 << 20, 1 << 20, 1 << 20], inputShape: [1 << 20, 1 << 20, 1 << 20], classCount: 1 << 20)
        #expect(CheckpointSize.modelValues(overflow) == .max)
    }
}
