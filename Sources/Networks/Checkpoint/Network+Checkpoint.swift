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
            throw CheckpointError.specDoesNotFit(path: path, family: spec.family, cfg: spec.cfg, reason: error.description)
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

    /// The spec and channel selections stored in the metadata, after checking format and version.
    static func checkpointDescription(_ file: SafeTensorsFile, path: String) throws -> (ModelSpec, [[Int]]) {
        let metadata = file.metadata
        for key in [CheckpointFormat.formatKey, CheckpointFormat.versionKey, CheckpointFormat.specKey] where metadata[key] == nil {
            throw CheckpointError.notAPruneLabCheckpoint(path: path, missingKey: key)
        }
        guard metadata[CheckpointFormat.formatKey] == CheckpointFormat.formatName else {
            throw CheckpointError.badMetadata(path: path, key: CheckpointFormat.formatKey,
                                              problem: "is '\(metadata[CheckpointFormat.formatKey]!)' instead of '\(CheckpointFormat.formatName)'")
        }
        guard metadata[CheckpointFormat.versionKey] == CheckpointFormat.version else {
            throw CheckpointError.unsupportedVersion(path: path, version: metadata[CheckpointFormat.versionKey]!)
        }
        let spec: ModelSpec
        do {
            spec = try JSONDecoder().decode(ModelSpec.self, from: Data(metadata[CheckpointFormat.specKey]!.utf8))
        } catch {
            throw CheckpointError.badMetadata(path: path, key: CheckpointFormat.specKey,
                                              problem: "is not a model spec (family, cfg, inputShape, classCount) in JSON")
        }
        var selections: [[Int]] = []
        if let text = metadata[CheckpointFormat.channelSelectionsKey] {
            do {
                selections = try JSONDecoder().decode([[Int]].self, from: Data(text.utf8))
            } catch {
                throw CheckpointError.badMetadata(path: path, key: CheckpointFormat.channelSelectionsKey,
                                                  problem: "is not a JSON list of index lists")
            }
        }
        return (spec, selections)
    }

    /// Checks everything first and changes the network only when all of it fits, so a failed
    /// restore leaves the network as it was.
    private func restore(selections: [[Int]], from file: SafeTensorsFile, path: String) throws {
        let layers = channelSelections
        try Network.checkSelections(selections, for: layers, path: path)
        let matches = try Network.matchState(of: self, with: file, path: path)
        for (layer, indices) in zip(layers, selections) { layer.indices = indices }
        for match in matches {
            match.parameter.value.assign(match.value)
            match.parameter.mask = match.mask?.copy()
        }
    }

    private static func checkSelections(_ selections: [[Int]], for layers: [ChannelSelection], path: String) throws {
        guard selections.count == layers.count else {
            throw CheckpointError.badChannelSelection(
                path: path, problem: "list \(selections.count) layers but the model has \(layers.count)")
        }
        for (number, (layer, indices)) in zip(layers, selections).enumerated() {
            let increasing = zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }
            guard !indices.isEmpty, increasing, indices.first! >= 0, indices.last! < layer.inputChannels else {
                throw CheckpointError.badChannelSelection(
                    path: path, problem: "of layer \(number) are not increasing, non-empty and within 0..<\(layer.inputChannels)")
            }
        }
    }

    /// Each parameter of the network with its stored value and mask, all shapes checked.
    private static func matchState(of network: Network, with file: SafeTensorsFile, path: String) throws
        -> [(parameter: Parameter, value: Tensor, mask: Tensor?)]
    {
        let state = network.state
        let keys = CheckpointKeys.keys(for: state)
        var stored: [String: Tensor] = [:]
        for entry in file.entries { stored[entry.name] = entry.tensor }
        var used = Set<String>()
        var matches: [(parameter: Parameter, value: Tensor, mask: Tensor?)] = []
        for (key, parameter) in zip(keys, state) {
            guard let value = stored[key] else { throw CheckpointError.missingTensor(path: path, tensor: key) }
            guard value.shape == parameter.shape else {
                throw CheckpointError.shapeMismatch(path: path, tensor: key, fileShape: value.shape,
                                                    modelShape: parameter.shape, cfg: network.cfg)
            }
            used.insert(key)
            let maskKey = key + CheckpointKeys.maskSuffix
            let mask = stored[maskKey]
            if let mask {
                guard mask.shape == parameter.shape else {
                    throw CheckpointError.badMask(path: path, tensor: key,
                                                  problem: "has shape \(mask.shape) but the value has \(parameter.shape)")
                }
                guard mask.buffer.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                    throw CheckpointError.badMask(path: path, tensor: key, problem: "holds values other than 0 and 1")
                }
                used.insert(maskKey)
            }
            matches.append((parameter, value, mask))
        }
        if let extra = file.names.first(where: { !used.contains($0) }) {
            throw CheckpointError.unexpectedTensor(path: path, tensor: extra)
        }
        return matches
    }
}
