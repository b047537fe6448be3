import Datasets
import Foundation
import Networks
import Pruning
import Tensors

/// Saves every training stage on disk, finished or in progress, so that running a lab again
/// reuses what did not change and an interrupted run resumes.
///
/// A stage's key hashes everything that determines its result: the lab, the stage name, the
/// training settings, the data, the model spec, and the *starting weights* (with masks and
/// channel selections). Hashing the starting weights carries every upstream choice along:
/// change `--percent`, and the pruned model's weights change, so fine-tuning runs again, while
/// the baseline, whose starting weights did not change, is reused.
///
/// The key also carries the code that computes a stage: `numerics`, a fingerprint of what this
/// build's kernels, layers, optimiser and data pipeline compute (`NumericsFingerprint`), so a
/// change that alters any result misses the cache by itself; and `codeVersion` for what the
/// fingerprint cannot see. Report text and comments are in neither, so editing a report reuses
/// every trained stage.
final class StageCache {
    /// Bump when a change alters what a stage computes but not the fingerprint's tiny runs:
    /// what a stage is (its protocol in `Notebook.train`), the data files' readers, the checkpoint layout.
    static let codeVersion = "1"
    /// The numerics of this build, measured once per process (about 0.1 s).
    static let currentNumerics = NumericsFingerprint.compute()

    let folder: URL
    /// Name prefix of the optimiser's momentum buffers in a partial stage's file.
    static let momentumPrefix = "optimizer.momentum."
    /// With `--fresh` nothing is read from the cache (it is still written).
    let readsCache: Bool
    /// The numerics fingerprint in every key (another value only in tests).
    let numerics: String
    /// Test sets' hashes by identity: a lab evaluates on one test set many times.
    private var testSetHashes: [ObjectIdentifier: String] = [:]

    /// Set when the cache was written with other numerics and `--reuse-cache-from-other-machine`
    /// keys every stage by the cache's numerics: (the cache's, this build's).
    let adoptedNumerics: (cached: String, here: String)?

    /// `adoptsCachedNumerics`: key stages by the numerics the folder was written with (its
    /// `numerics.txt`), so a study resumed on a machine whose kernels round differently reuses what
    /// it trained. Right only for the same code: the fingerprint no longer sees a kernel change.
    init(folder: URL, readsCache: Bool, numerics: String = StageCache.currentNumerics, adoptsCachedNumerics: Bool = false) {
        self.folder = folder
        self.readsCache = readsCache
        let cached = (try? String(contentsOf: folder.appendingPathComponent(Self.numericsFileName), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if adoptsCachedNumerics, let cached, !cached.isEmpty, cached != numerics {
            self.numerics = cached
            adoptedNumerics = (cached, numerics)
        } else {
            self.numerics = numerics
            adoptedNumerics = nil
        }
    }

    /// The file naming the numerics fingerprint of the build that first wrote the folder.
    static let numericsFileName = "numerics.txt"

    /// Creates the folder, and names in it the numerics its stages are keyed by.
    private func prepareFolder() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(Self.numericsFileName)
        if !FileManager.default.fileExists(atPath: file.path) { try Data((numerics + "\n").utf8).write(to: file, options: .atomic) }
    }

    /// The key of a stage that starts from `network` as it is now.
    func key(lab: String, stage: String, network: Network, config: TrainingConfig, data: LabData, regularizer: String) -> String {
        var hash = FNV1a()
        hash.add("\(StageCache.codeVersion)|\(numerics)|\(lab)|\(stage)|\(regularizer)")
        hash.add("\(config.epochs)|\(config.batchSize)|\(config.learningRate)|\(config.momentum)|\(config.weightDecay)|")
        hash.add("\(config.nesterov)|\(config.schedule)|\(config.augment)|\(config.seed)")
        // Added with the warm-up: a run without one keeps the key it had before.
        if config.warmupEpochs > 0 { hash.add("warmup \(config.warmupEpochs)") }
        hash.add("\(data.kind.rawValue)|\(data.train.sampleCount)|\(data.test.sampleCount)|\(data.train.sampleShape)")
        hash.add(data.train.labels.prefix(64).map(String.init).joined(separator: ","))
        hash.add(network)
        let safeStage = stage.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(safeStage) + "-" + String(hash.value, radix: 16)
    }

    /// The key of evaluating `network` as it is now on `test`: the same code and network as a
    /// stage's key, and the test images bit for bit (their normalisation comes from the training split).
    func evaluationKey(network: Network, test: LabeledImages) -> String {
        var hash = FNV1a()
        hash.add("evaluation|\(StageCache.codeVersion)|\(numerics)|\(imagesHash(test))")
        hash.add(network)
        return "evaluation-" + String(hash.value, radix: 16)
    }

    /// The hash of a test set's images and labels, computed once per set.
    private func imagesHash(_ test: LabeledImages) -> String {
        let id = ObjectIdentifier(test)
        if let known = testSetHashes[id] { return known }
        var hash = FNV1a()
        hash.add(test.images)
        hash.add(test.labels.map(String.init).joined(separator: ","))
        let value = String(hash.value, radix: 16)
        testSetHashes[id] = value
        return value
    }

    /// A cached evaluation, unless `--fresh`.
    func evaluation(_ key: String) -> Evaluation? {
        guard readsCache, let data = try? Data(contentsOf: evaluationURL(key)) else { return nil }
        return try? JSONDecoder().decode(Evaluation.self, from: data)
    }

    /// Saves an evaluation; the file is replaced atomically.
    func save(_ key: String, evaluation: Evaluation) throws {
        try prepareFolder()
        try JSONEncoder().encode(evaluation).write(to: evaluationURL(key), options: .atomic)
    }

    private func evaluationURL(_ key: String) -> URL { folder.appendingPathComponent(key + ".json") }

    private func url(_ key: String, partial: Bool) -> URL {
        folder.appendingPathComponent(key + (partial ? ".partial" : "") + ".safetensors")
    }

    /// Whether the folder holds the stage `key`, finished or in progress.
    func holds(_ key: String) -> Bool {
        [false, true].contains { FileManager.default.fileExists(atPath: url(key, partial: $0).path) }
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
        try prepareFolder()
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

    /// A network as it is now: its spec, channel selections, weights, buffers and masks.
    mutating func add(_ network: Network) {
        add("\(network.spec)|\(network.channelSelections.map(\.indices))")
        for parameter in network.state {
            add(parameter.value)
            if let mask = parameter.mask { add(mask) }
        }
    }

    @inline(__always) private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}

/// What this build computes, as one hex string: a few tiny training runs, one per model family,
/// hashed bit for bit (every epoch's losses, every final weight and buffer, eval-mode logits).
///
/// Together the runs go through every layer kind, both shapes of the direct 3×3 kernels and
/// their GEMM fallbacks, strided and 1×1 convolutions, fused inference, masks and the sparse
/// inference path, normalisation, augmentation, the slimming penalty, SGD with momentum and
/// weight decay, and a step schedule. So a change that alters any of those numbers (a kernel
/// rewritten, FMA on or off, an OpenBLAS with other kernels) changes the fingerprint.
/// The element-wise kernels run on 2 workers here whatever `--threads` says: the thread count
/// is not part of a stage's key, as before.
enum NumericsFingerprint {
    static func compute() -> String {
        let saved = parallelWorkers
        parallelWorkers = 2
        defer { parallelWorkers = saved }
        var hash = FNV1a()
        for probe in NumericsProbe.all() { hash.add(String(probe.fingerprint(), radix: 16)) }
        return String(hash.value, radix: 16)
    }
}

/// One tiny training run of the numerics fingerprint.
struct NumericsProbe {
    let name: String
    let network: Network
    let train: LabeledImages
    let test: LabeledImages
    let config: TrainingConfig
    let penalty: BatchNormL1Penalty?

    /// Fresh probes (each trains its own network, so each call builds new ones).
    static func all() -> [NumericsProbe] {
        let image = [3, 32, 32]
        // A masked MLP: SGD keeps the masks, and eval runs the sparse path (10 % density).
        let mlp = Network.make(.mlp, cfg: [24, 12, 4], inputShape: [1, 12, 12], classCount: 4, seed: 1)
        MagnitudePruning.prune(mlp, sparsity: 0.9, scope: .layerwise)
        return [
            NumericsProbe("mlp", mlp, shape: [1, 12, 12], seed: 1),
            // Planes of 28, 14, 7: the direct kernels for widths that are not multiples of 8.
            NumericsProbe("small-cnn", .make(.smallCNN, cfg: [4, 8, 8], inputShape: [1, 28, 28], classCount: 4, seed: 2),
                          shape: [1, 28, 28], seed: 2),
            // Planes of 32 down to 2 (multiples of 8, then small); the last layers are wide
            // enough (136²) for their gradients to go through im2col + GEMM.
            NumericsProbe("vgg", .make(.vgg, cfg: [8, 16, 16, 16, 32, 32, 136, 136], inputShape: image, classCount: 4, seed: 3),
                          shape: image, seed: 3, augment: true, penalty: BatchNormL1Penalty(strength: 1e-3)),
            // Strided and 1×1 convolutions, residual sums.
            NumericsProbe("resnet", .make(.resnet, depth: 8, widthMultiplier: 0.25, inputShape: image, classCount: 4, seed: 4),
                          shape: image, seed: 4, augment: true),
            // Bottlenecks and channel selections.
            NumericsProbe("preresnet", .make(.preresnet, depth: 11, widthMultiplier: 0.25, inputShape: image, classCount: 4,
                                             seed: 5),
                          shape: image, seed: 5, penalty: BatchNormL1Penalty(strength: 1e-3)),
        ]
    }

    /// 8 training and 4 test images of `shape`, 2 epochs of batches of 4 under a step schedule.
    init(_ name: String, _ network: Network, shape: [Int], seed: UInt64, augment: Bool = false,
         penalty: BatchNormL1Penalty? = nil) {
        let raw = SyntheticImages.make(count: 8, shape: shape, classCount: 4, seed: seed)
        let statistics = ChannelStatistics(measuring: raw)
        self.name = name
        self.network = network
        train = LabeledImages(name: "probe", raw: raw, statistics: statistics)
        test = LabeledImages(name: "probe", raw: SyntheticImages.make(count: 4, shape: shape, classCount: 4, seed: seed + 100),
                             statistics: statistics)
        config = TrainingConfig(epochs: 2, batchSize: 4, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4,
                                schedule: .step(milestones: [0.5], factor: 0.1), augment: augment, seed: seed)
        self.penalty = penalty
    }

    /// Trains the network and hashes everything it computed.
    func fingerprint() -> UInt64 {
        var hash = FNV1a()
        hash.add(name)
        do {
            let trainer = Trainer(label: name, progress: ProgressPrinter(silent: true), afterBackward: penalty?.addGradient)
            for record in try trainer.fit(network, train: train, test: test, config: config) {
                hash.add("\(record.trainLoss.bitPattern)|\(record.trainAccuracy.bitPattern)|\(record.testLoss.bitPattern)")
            }
        } catch {
            hash.add("\(error)")  // a diverged run is a result too
        }
        for parameter in network.state { hash.add(parameter.value) }
        hash.add(network.forward(test.images, training: false))
        return hash.value
    }
}
