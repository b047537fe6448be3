import Tensors

extension Network {
    /// Checks everything first and changes the network only when all of it fits, so a failed
    /// restore leaves the network as it was.
    func restore(selections: [[Int]], from file: SafeTensorsFile, path: String) throws {
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
            // The rebuilt layer keeps as many channels as the cfg says; the next layer expects that many.
            guard indices.count == layer.indices.count else {
                throw CheckpointError.badChannelSelection(
                    path: path, problem: "of layer \(number) keep \(indices.count) channels but the cfg keeps \(layer.indices.count)")
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
