import Foundation
import Networks
import Tensors

/// Saves every training stage on disk, finished or in progress, so that running a lab again
/// reuses what did not change and an interrupted run resumes.
///
/// A stage's key hashes everything that determines its result: the lab, the stage name, the
/// training settings, the data, the model spec, and the *starting weights* (with masks and
/// channel selections). Hashing the starting weights carries every upstream choice along:
/// change `--percent`, and the pruned model's weights change, so fine-tuning runs again, while
/// the baseline, whose starting weights did not change, is reused.
final class StageCache {
    /// Bump when the training code changes what a stage computes, to invalidate old entries.
    static let codeVersion = "1"

    let folder: URL
    /// Name prefix of the optimiser's momentum buffers in a partial stage's file.
    static let momentumPrefix = "optimizer.momentum."
    /// With `--fresh` nothing is read from the cache (it is still written).
    let readsCache: Bool

    init(folder: URL, readsCache: Bool) {
        self.folder = folder
        self.readsCache = readsCache
    }

    /// The key of a stage that starts from `network` as it is now.
    func key(lab: String, stage: String, network: Network, config: TrainingConfig, data: LabData, regularizer: String) -> String {
        var hash = FNV1a()
        hash.add("\(StageCache.codeVersion)|\(lab)|\(stage)|\(regularizer)")
        hash.add("\(config.epochs)|\(config.batchSize)|\(config.learningRate)|\(config.momentum)|\(config.weightDecay)|")
        hash.add("\(config.nesterov)|\(config.schedule)|\(config.augment)|\(config.seed)")
        hash.add("\(data.kind.rawValue)|\(data.train.sampleCount)|\(data.test.sampleCount)|\(data.train.sampleShape)")
        hash.add(data.train.labels.prefix(64).map(String.init).joined(separator: ","))
        hash.add("\(network.spec)|\(network.channelSelections.map(\.indices))")
        for parameter in network.state {
            hash.add(parameter.value)
            if let mask = parameter.mask { hash.add(mask) }
        }
        let safeStage = stage.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(safeStage) + "-" + String(hash.value, radix: 16)
    }

    private func url(_ key: String, partial: Bool) -> URL {
        folder.appendingPathComponent(key + (partial ? ".partial" : "") + ".safetensors")
    }

    /// The finished stage for `key`, if cached: restores its weights into `network`.
    func restoreFinished(_ key: String, into network: Network) -> [EpochRecord]? {
        guard readsCache, let file = try? SafeTensorsFile.read(from: url(key, partial: false)),
              let history = Self.history(in: file), (try? network.restore(from: file, path: key)) != nil else { return nil }
        return history
    }

    /// A stage interrupted after some epochs: restores weights and momentum, returns the history so far.
    func restorePartial(_ key: String, into network: Network, optimizer: SGD) -> [EpochRecord]? {
        guard readsCache, let file = try? SafeTensorsFile.read(from: url(key, partial: true)),
              let history = Self.history(in: file) else { return nil }
        var weights = file
        weights.entries.removeAll { $0.name.hasPrefix(Self.momentumPrefix) }
        guard (try? network.restore(from: weights, path: key)) != nil else { return nil }
        for (index, parameter) in optimizer.parameters.enumerated() {
            if let buffer = file[Self.momentumPrefix + "\(index)"], buffer.shape == parameter.shape { optimizer.velocity[index] = buffer }
        }
        return history
    }

    /// Saves a stage after an epoch (`partial`) or at its end; the file is replaced atomically.
    func save(_ key: String, network: Network, optimizer: SGD?, history: [EpochRecord], partial: Bool) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var file = try network.checkpointFile(path: key)
        if let optimizer {
            for (index, buffer) in optimizer.velocity.enumerated() {
                if let buffer { file.entries.append(.init(name: Self.momentumPrefix + "\(index)", tensor: buffer)) }
            }
        }
        file.metadata["history"] = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        try file.write(to: url(key, partial: partial))
        if !partial { try? FileManager.default.removeItem(at: url(key, partial: true)) }
    }

    private static func history(in file: SafeTensorsFile) -> [EpochRecord]? {
        guard let text = file.metadata["history"] else { return nil }
        return try? JSONDecoder().decode([EpochRecord].self, from: Data(text.utf8))
    }
}

/// The 64-bit FNV-1a hash: simple, stable across runs and machines.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    mutating func add(_ tensor: Tensor) {
        add("\(tensor.shape)")
        let bytes = UnsafeRawBufferPointer(start: tensor.data, count: tensor.count * MemoryLayout<Float>.size)
        for byte in bytes { mix(byte) }
    }

    @inline(__always) private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
