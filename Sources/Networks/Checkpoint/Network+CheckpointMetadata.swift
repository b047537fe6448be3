import Foundation

extension Network {
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
        } catch let unknown as UnknownModelFamily {
            throw CheckpointError.specDoesNotFit(path: path, family: unknown.name, cfg: unknown.cfg, reason: unknown.description)
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
}
