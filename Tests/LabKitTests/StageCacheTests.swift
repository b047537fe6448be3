import Foundation
import Testing
import TestSupport
@testable import LabKit

/// The stage cache is keyed by the numerics of the code that trains the stages.
struct StageCacheTests {
    /// 8 tiny images, the training and the test set at once.
    func tinyData() -> LabData {
        let raw = SyntheticImages.make(count: 8, shape: [1, 4, 4], classCount: 2, seed: 1)
        let images = LabeledImages(name: "tiny", raw: raw, statistics: ChannelStatistics(measuring: raw))
        return LabData(train: images, test: images, kind: .synthetic)
    }

    /// A stage saved by a build with other numerics is not reused; one with the same numerics is.
    @Test func aStageFromOtherNumericsMissesTheCache() throws {
        let folder = try temporaryFolder(prefix: "prunelab-stagecache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = tinyData()
        let images = data.test
        let config = TrainingConfig(epochs: 1, batchSize: 4, learningRate: 0.1)
        let network = Network.make(.mlp, cfg: [3, 2], inputShape: [1, 4, 4], classCount: 2, seed: 1)
        let history = try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: images, test: images, config: config)

        let old = StageCache(folder: folder, readsCache: true, numerics: "old-kernels")
        let oldKey = old.key(lab: "lab", stage: "baseline", network: network, config: config, data: data, regularizer: "none")
        try old.save(oldKey, network: network, optimizer: nil, history: history, partial: false)
        #expect(old.restoreFinished(oldKey, into: network.clone()) == history, "same numerics: the stage is reused")

        let new = StageCache(folder: folder, readsCache: true, numerics: "new-kernels")
        let newKey = new.key(lab: "lab", stage: "baseline", network: network, config: config, data: data, regularizer: "none")
        #expect(newKey != oldKey)
        #expect(new.restoreFinished(newKey, into: network.clone()) == nil, "other numerics: the stage trains again")
    }

    /// A study resumed on a machine whose kernels round differently: with
    /// `--reuse-cache-from-other-machine` the stages are keyed by the numerics the folder names
    /// (`numerics.txt`, written with its first stage) and reused; without it they train again.
    @Test func anotherMachinesCacheIsReusedOnlyWhenAsked() throws {
        let folder = try temporaryFolder(prefix: "prunelab-stagecache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = tinyData()
        let config = TrainingConfig(epochs: 1, batchSize: 4, learningRate: 0.1)
        let network = Network.make(.mlp, cfg: [3, 2], inputShape: [1, 4, 4], classCount: 2, seed: 1)
        let history = try Trainer(progress: ProgressPrinter(silent: true)).fit(network, train: data.train, test: data.test, config: config)
        let first = StageCache(folder: folder, readsCache: true, numerics: "machine-a")
        let key = first.key(lab: "lab", stage: "baseline", network: network, config: config, data: data, regularizer: "none")
        try first.save(key, network: network, optimizer: nil, history: history, partial: false)
        let named = try String(contentsOf: folder.appendingPathComponent(StageCache.numericsFileName), encoding: .utf8)
        #expect(named == "machine-a\n")

        let asked = StageCache(folder: folder, readsCache: true, numerics: "machine-b", adoptsCachedNumerics: true)
        #expect(asked.adoptedNumerics?.cached == "machine-a" && asked.adoptedNumerics?.here == "machine-b")
        let askedKey = asked.key(lab: "lab", stage: "baseline", network: network, config: config, data: data, regularizer: "none")
        #expect(askedKey == key)
        #expect(asked.restoreFinished(askedKey, into: network.clone()) == history)

        let notAsked = StageCache(folder: folder, readsCache: true, numerics: "machine-b")
        #expect(notAsked.adoptedNumerics == nil)
        #expect(notAsked.key(lab: "lab", stage: "baseline", network: network, config: config, data: data, regularizer: "none") != key)

        // The same machine adopts nothing, and the flag is no part of a study's recipe.
        #expect(StageCache(folder: folder, readsCache: true, numerics: "machine-a", adoptsCachedNumerics: true).adoptedNumerics == nil)
        #expect(Study.recipeIdentity(of: ["--preset", "standard", "--reuse-cache-from-other-machine"])
                == Study.recipeIdentity(of: ["--preset", "standard"]))
    }

    /// A warm-up changes the stage's key (a run without one hashes exactly what it did before
    /// warm-ups existed, so the stages cached then stay valid).
    @Test func aWarmUpIsPartOfTheKey() {
        let data = tinyData()
        let cache = StageCache(folder: URL(fileURLWithPath: "/nonexistent"), readsCache: true, numerics: "n")
        let network = Network.make(.mlp, cfg: [3, 2], inputShape: [1, 4, 4], classCount: 2, seed: 1)
        var config = TrainingConfig(epochs: 1, batchSize: 4, learningRate: 0.1)
        let plain = cache.key(lab: "lab", stage: "scratch-E", network: network, config: config, data: data, regularizer: "none")
        config.warmupEpochs = 1
        let warm = cache.key(lab: "lab", stage: "scratch-E", network: network, config: config, data: data, regularizer: "none")
        #expect(plain != warm)
    }

    /// The fingerprint is a pure function of the build: the same in every run (and so in every
    /// process, which is what lets a report edit reuse the trained stages).
    @Test func theFingerprintIsReproducible() {
        #expect(NumericsFingerprint.compute() == NumericsFingerprint.compute())
        #expect(NumericsFingerprint.compute() == StageCache.currentNumerics)
    }

    /// The fingerprint sees which kernel computed a result: the masked MLP probe evaluated on
    /// the dense path instead of the sparse one (equal up to rounding) gives another hash.
    @Test func theFingerprintSeesAKernelChange() throws {
        let sparse = try #require(NumericsProbe.all().first { $0.name == "mlp" })
        let dense = try #require(NumericsProbe.all().first { $0.name == "mlp" })
        for case let linear as Linear in dense.network.body.allLayers { linear.sparseInferenceMaxDensity = 0 }
        #expect(sparse.fingerprint() != dense.fingerprint())
    }

    /// On a CPU with AVX-512 the VGG probe's layers with 32 channels on 4×4 planes choose Winograd
    /// (16 → 32 for its weight gradient, 32 → 32 for every pass), so the fingerprint covers it: the
    /// same probe with every layer forced onto the direct kernels gives another hash.
    @Test(.enabled(if: KernelVariant.preferred == .avx512 && Conv3x3Algorithm.forced == nil,
                   "Winograd runs on the AVX-512 variant only, and PRUNELAB_CONV3X3 must not force an algorithm"))
    func theFingerprintSeesWinograd() throws {
        let winograd = try #require(NumericsProbe.all().first { $0.name == "vgg" })
        let direct = try #require(NumericsProbe.all().first { $0.name == "vgg" })
        _ = winograd.network.forward(winograd.train.images, training: false)
        var passes = Set<Conv3x3Algorithm.Pass>()
        for case let conv as Conv2d in winograd.network.body.allLayers {
            guard let shape = conv.lastInputShape, conv.kernel == 3 && conv.stride == 1 && conv.padding == 1 else { continue }
            for pass in [Conv3x3Algorithm.Pass.forward, .inputGradient, .weightGradient]
            where Conv3x3Algorithm.choose(pass, channels: conv.inChannels, filters: conv.outChannels, height: shape[2],
                                          width: shape[3], variant: conv.kernelVariant) == .winograd {
                passes.insert(pass)
            }
        }
        #expect(passes == [.forward, .inputGradient, .weightGradient])
        for case let conv as Conv2d in direct.network.body.allLayers { conv.conv3x3Algorithm = .direct }
        #expect(winograd.fingerprint() != direct.fingerprint())
    }

    /// A network's test accuracy is evaluated once and then read from the cache, under its
    /// weights: the cached value comes back (here a planted one, to see that it was read), a
    /// changed weight or `--fresh` evaluates again.
    @Test func anEvaluationIsCachedUnderTheNetworksWeights() throws {
        let folder = try temporaryFolder(prefix: "prunelab-evalcache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = tinyData()
        let images = data.test
        let network = Network.make(.mlp, cfg: [3, 2], inputShape: [1, 4, 4], classCount: 2, seed: 1)
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"]))

        let measured = Trainer.evaluate(network, on: images).accuracy
        #expect(notebook.testAccuracy(network, on: data) == measured)
        let key = notebook.cache.evaluationKey(network: network, test: images)
        let planted: Float = 0.123
        try notebook.cache.save(key, evaluation: Evaluation(loss: 1, accuracy: planted))
        #expect(notebook.testAccuracy(network, on: data) == planted, "the same weights: read from the cache")
        #expect(notebook.testAccuracy(network.clone(), on: data) == planted, "a copy has the same weights")

        let changed = network.clone()
        changed.state[0].value.data[0] += 1
        #expect(notebook.cache.evaluationKey(network: changed, test: images) != key)
        #expect(notebook.testAccuracy(changed, on: data) == Trainer.evaluate(changed, on: images).accuracy)

        let fresh = try Notebook(lab: "unit", title: "Unit",
                                 options: CommonOptions.parse(["--output-dir", folder.path, "--quiet", "--fresh"]))
        #expect(fresh.testAccuracy(network, on: data) == measured, "--fresh evaluates again")
    }
}
