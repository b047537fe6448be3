/// Everything that can be wrong with a checkpoint file: missing, damaged, not ours, or
/// describing a model that cannot be rebuilt.
///
/// Each description is one sentence naming the file, the problem and the fix, so a lab can
/// print it as is and exit without a stack trace.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// There is no file at the path.
    case missingFile(path: String)
    /// The file exists but could not be read (a folder, permissions, I/O error).
    case unreadableFile(path: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case tooShort(path: String, size: Int)
    /// The header length points past the end of the file.
    case headerBeyondFile(path: String, headerLength: UInt64, fileSize: Int)
    /// The header length is larger than any real header (the reference limit is 100 MB).
    case headerTooLarge(path: String, headerLength: UInt64)
    /// The header is not UTF-8 JSON, or not a JSON object.
    case headerNotJSON(path: String, reason: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or one of them has the wrong type.
    case badTensorEntry(path: String, tensor: String, problem: String)
    /// A tensor is stored in a type other than 32-bit floats.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's byte range is outside the data, overlaps another or does not fit its shape.
    case badOffsets(path: String, tensor: String, problem: String)
    /// The data section is shorter than the header describes.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The data section is longer than the header describes.
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    /// `__metadata__` is not a map of strings to strings.
    case badMetadataSection(path: String, problem: String)
    /// The file is valid safetensors but lacks what PruneLab needs to rebuild the model.
    case notAPruneLabCheckpoint(path: String, missingKey: String)
    /// Written by a newer (or unknown) version of the checkpoint format.
    case unsupportedVersion(path: String, version: String)
    /// A metadata entry PruneLab wrote cannot be decoded.
    case badMetadata(path: String, key: String, problem: String)
    /// The stored model spec is not one the model zoo can build.
    case specDoesNotFit(path: String, family: String, cfg: [Int], reason: String)
    /// A stored tensor's shape differs from the one the stored cfg implies.
    case shapeMismatch(path: String, tensor: String, fileShape: [Int], modelShape: [Int], cfg: [Int])
    /// The model has a tensor the file does not hold.
    case missingTensor(path: String, tensor: String)
    /// The file holds a tensor the model does not have.
    case unexpectedTensor(path: String, tensor: String)
    /// The stored channel-selection indices do not fit the model.
    case badChannelSelection(path: String, problem: String)
    /// A stored mask has the wrong shape or values other than 0 and 1.
    case badMask(path: String, tensor: String, problem: String)
    /// The tensors handed to the writer cannot form a file (duplicate names, mask shapes).
    case invalidContents(path: String, problem: String)
    /// Writing or renaming the file failed; any earlier file at the path is unchanged.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "there is no checkpoint at \(path): check the path, or run the stage that writes it first"
        case let .unreadableFile(path, reason):
            return "cannot read the checkpoint \(path) (\(reason)): check that it is a file readable by this user"
        case let .tooShort(path, size):
            return "the checkpoint \(path) has only \(size) bytes, fewer than the 8 of a safetensors header length: \(Self.rewrite)"
        case let .headerBeyondFile(path, length, size):
            return "the checkpoint \(path) declares a \(length)-byte header but the file has only \(size) bytes, so it is truncated or not safetensors: \(Self.rewrite)"
        case let .headerTooLarge(path, length):
            return "the checkpoint \(path) declares a \(length)-byte header, beyond the 100 MB safetensors limit, so it is damaged or not safetensors: \(Self.rewrite)"
        case let .headerNotJSON(path, reason):
            return "the header of the checkpoint \(path) is not a JSON object (\(reason)), so the file is damaged or not safetensors: \(Self.rewrite)"
        case let .badTensorEntry(path, tensor, problem):
            return "the entry of tensor '\(tensor)' in the checkpoint \(path) \(problem): \(Self.rewrite)"
        case let .unsupportedDType(path, tensor, dtype):
            return "tensor '\(tensor)' in the checkpoint \(path) is stored as \(dtype), but PruneLab reads only F32: convert the tensors to float32 before saving (e.g. model.float() in PyTorch)"
        case let .badOffsets(path, tensor, problem):
            return "the data offsets of tensor '\(tensor)' in the checkpoint \(path) \(problem), so the file is damaged: \(Self.rewrite)"
        case let .truncated(path, expected, actual):
            return "the checkpoint \(path) is truncated (\(actual) bytes of tensor data where its header needs \(expected)): \(Self.rewrite)"
        case let .trailingBytes(path, expected, actual):
            return "the checkpoint \(path) has \(actual - expected) bytes of data more than its header describes (\(actual) instead of \(expected)): \(Self.rewrite)"
        case let .badMetadataSection(path, problem):
            return "the __metadata__ of the checkpoint \(path) \(problem), but safetensors allows only strings: \(Self.rewrite)"
        case let .notAPruneLabCheckpoint(path, key):
            return "\(path) is a safetensors file without the '\(key)' metadata PruneLab writes, so the model cannot be rebuilt from it: load a checkpoint written by Network.save(to:)"
        case let .unsupportedVersion(path, version):
            return "the checkpoint \(path) has format version \(version), which this PruneLab does not read: update PruneLab or write the checkpoint again with this version"
        case let .badMetadata(path, key, problem):
            return "the '\(key)' metadata of the checkpoint \(path) \(problem): \(Self.rewrite)"
        case let .specDoesNotFit(path, family, cfg, reason):
            return "the checkpoint \(path) describes a \(family) model with cfg \(cfg) that cannot be built (\(reason)): \(Self.rewrite)"
        case let .shapeMismatch(path, tensor, fileShape, modelShape, cfg):
            return "tensor '\(tensor)' in the checkpoint \(path) has shape \(fileShape) but cfg \(cfg) implies \(modelShape): the file mixes two models, so write it again with Network.save(to:)"
        case let .missingTensor(path, tensor):
            return "the checkpoint \(path) lacks tensor '\(tensor)' that its model needs: \(Self.rewrite)"
        case let .unexpectedTensor(path, tensor):
            return "the checkpoint \(path) holds tensor '\(tensor)' that its model does not have: \(Self.rewrite)"
        case let .badChannelSelection(path, problem):
            return "the channel-selection indices in the checkpoint \(path) \(problem): \(Self.rewrite)"
        case let .badMask(path, tensor, problem):
            return "the mask of '\(tensor)' for the checkpoint \(path) \(problem): \(Self.rewrite)"
        case let .invalidContents(path, problem):
            return "cannot write the checkpoint \(path) because \(problem): give every tensor a distinct name and masks the shape of their values"
        case let .writeFailed(path, reason):
            return "cannot write the checkpoint \(path) (\(reason)); any earlier file there is unchanged: choose a folder you can write to with free space"
        }
    }

    private static let rewrite = "write the checkpoint again (rerun the stage that saved it, with --fresh if it is cached)"
}
