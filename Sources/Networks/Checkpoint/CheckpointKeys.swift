/// The names under which a network's state is stored, one per entry of `Network.state`.
///
/// A parameter's own name (`conv1.weight`) is used when it is unique; a hand-built model may
/// leave names empty or repeat `weight`, so those get their position as a prefix
/// (`3.weight`, or `3` for an empty name). The rule depends only on the names, so the model
/// rebuilt from a checkpoint computes the same keys. A mask is stored as `<key>.mask`.
enum CheckpointKeys {
    static let maskSuffix = ".mask"

    static func keys(for state: [Parameter]) -> [String] {
        var occurrences: [String: Int] = [:]
        for parameter in state { occurrences[parameter.name, default: 0] += 1 }
        var taken = Set<String>()
        var keys: [String] = []
        for (index, parameter) in state.enumerated() {
            let name = parameter.name
            var key = name
            if name.isEmpty || occurrences[name]! > 1 || name.hasSuffix(maskSuffix) {
                key = name.isEmpty ? "\(index)" : "\(index).\(name)"
            }
            // A positional key could still equal another parameter's own name: prefix until free.
            while taken.contains(key) || taken.contains(key + maskSuffix) { key = "_" + key }
            taken.insert(key)
            taken.insert(key + maskSuffix)
            keys.append(key)
        }
        return keys
    }
}
