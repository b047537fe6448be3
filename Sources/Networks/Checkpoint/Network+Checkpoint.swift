import Foundation
import Tensors

/// What a PruneLab checkpoint keeps in the safetensors `__metadata__`, besides the tensors.
///
/// - `format`: `prunelab-checkpoint`, and `format_version`: `1`;
/// - `spec`: the `ModelSpec` as JSON (family, the possibly pruned cfg, input shape, classes, depth);
/// - `channel_selections`: the kept indices of every `ChannelSelection` layer, in order, as JSON.
///
/// Tensors: every entry of `Network.state` (parameters, then buffers such as BatchNorm running
/// statistics) under its `CheckpointKeys` name, and each mask under `<name>.mask`.
public enum CheckpointFormat {
    public static let formatKey = "format"
    public static let formatName = "prunelab-checkpoint"
    public static let versionKey = "format_version"
    public static let version = "1"
    public static let specKey = "spec"
    public static let channelSelectionsKey = "channel_selections"
}

extension Network {
    /// Saves weights, buffers, masks, channel selections and the model spec, so the model
    /// (pruned or not) can be rebuilt from this file alone. The write is atomic.
    public func save(to url: URL) throws {
        try checkpointFile(path: url.path).write(to: url)
    }

    /// The checkpoint's contents, before they are written (`path` names the file in errors).
    public func checkpointFile(path: String = "<memory>") throws -> SafeTensorsFile {
        let state = self.state
        let keys = CheckpointKeys.keys(for: state)
        var entries: [SafeTensorsFile.Entry] = []
        for (key, parameter) in zip(keys, state) {
            entries.append(.init(name: key, tensor: parameter.value))
            if let mask = parameter.mask {
                guard mask.shape == parameter.shape else {
                    throw CheckpointError.invalidContents(
                        path: path, problem: "the mask of '\(key)' has shape \(mask.shape) but its value \(parameter.shape)")
                }
                entries.append(.init(name: key + CheckpointKeys.maskSuffix, tensor: mask))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let spec = String(decoding: try encoder.encode(self.spec), as: UTF8.self)
        let selections = String(decoding: try encoder.encode(channelSelections.map(\.indices)), as: UTF8.self)
        return SafeTensorsFile(entries: entries, metadata: [
            CheckpointFormat.formatKey: CheckpointFormat.formatName,
            CheckpointFormat.versionKey: CheckpointFormat.version,
            CheckpointFormat.specKey: spec,
            CheckpointFormat.channelSelectionsKey: selections,
        ])
    }

    /// Rebuilds a network from a checkpoint written by `save(to:)`: the model from the stored
    /// spec, then every tensor, mask and channel selection, each checked against the model.
    public static func load(from url: URL) throws -> Network {
        try load(from: SafeTensorsFile.read(from: url), path: url.path)
    }

    /// Rebuilds a network from a checkpoint already in memory (`path` names it in errors).
    public static func load(from file: SafeTensorsFile, path: String) throws -> Network {
        let (spec, selections) = try checkpointDescription(file, path: path)
        try CheckpointSize.check(spec, storedValues: file.entries.reduce(0) { $0 + $1.tensor.count }, path: path)
        let network: Network
        do {
            network = try Network.build(spec, seed: 0)
        } catch let error as ModelSpecError {
            throw CheckpointError.specDoesNotFit(path: path, family: spec.family.rawValue, cfg: spec.cfg, reason: error.description)
        }
        try network.restore(selections: selections, from: file, path: path)
        return network
    }

    /// Copies a checkpoint's tensors, masks and channel selections into this network, which
    /// must have the architecture the checkpoint was saved from (e.g. to resume training).
    public func restore(from file: SafeTensorsFile, path: String) throws {
        let (_, selections) = try Network.checkpointDescription(file, path: path)
        try restore(selections: selections, from: file, path: path)
    }
}
