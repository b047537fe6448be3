import Foundation
import Testing
import TestSupport
@testable import LabKit

/// The budgets of lab-rethinking's comparisons beyond the structured ones: weight-level
/// fine-tuning and scratch-B, the lottery's per-round fractions.
struct RethinkingProtocolTests {
    func tinyVGG(seed: UInt64 = 3) -> Network {
        Network.vgg(depth: 11, widthMultiplier: 0.0625, inputShape: [1, 32, 32], classCount: 2, seed: seed)
    }

    @Test func weightLevelFineTuningIsCifarFinetune() {
        let training = TrainingConfig(epochs: 160, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4,
                                      schedule: .slimming, augment: true, seed: 2)
        let fineTune = Protocols.weightLevelFineTuning(after: training)
        #expect(fineTune.epochs == 40 && abs(fineTune.learningRate - 0.001) < 1e-9 && fineTune.schedule == .constant)
        #expect(Protocols.weightLevelFineTuning(after: training, epochs: 3).epochs == 3)
    }

    /// MACs of the kept weights: each masked layer does (kept / entries) of its MACs, others all of theirs.
    @Test func nonzeroMACsCountTheKeptWeightsOfEachLayer() {
        let dense = tinyVGG()
        let pruned = dense.clone()
        MagnitudePruning.prune(pruned, sparsity: 0.5, scope: .global, layers: .convolutions)
        let cost = ModelCost(pruned)
        var expected = 0.0
        for layer in cost.layers {
            let weight = pruned.parameters.first { $0.name == layer.name + ".weight" }
            let kept = weight?.mask.map { Double($0.sum()) / Double($0.count) } ?? 1
            expected += Double(layer.multiplyAccumulates) * kept
        }
        let nonzero = Protocols.nonzeroMultiplyAccumulates(of: pruned)
        #expect(abs(Double(nonzero) - expected) <= Double(cost.layers.count))
        #expect(nonzero < ModelCost(dense).multiplyAccumulates)
        #expect(Protocols.nonzeroMultiplyAccumulates(of: dense) == ModelCost(dense).multiplyAccumulates, "no mask: every MAC")
    }

    /// Scratch-B after weight-level pruning: ⌊E · dense / non-zero MACs⌋, never below E, capped on request.
    @Test func weightLevelScratchBCountsOnlyTheKeptWeights() {
        let dense = tinyVGG()
        let pruned = dense.clone()
        MagnitudePruning.prune(pruned, sparsity: 0.5, scope: .global, layers: .convolutions)
        let ratio = Double(ModelCost(dense).multiplyAccumulates) / Double(Protocols.nonzeroMultiplyAccumulates(of: pruned))
        let budget = Protocols.weightLevelScratchBEpochs(baselineEpochs: 10, dense: dense, pruned: pruned)
        #expect(budget.uncapped == Int((10 * ratio).rounded(.down)) && budget.epochs == budget.uncapped)
        #expect(budget.uncapped > 10, "half the conv weights pruned: more epochs than E")
        #expect(Protocols.weightLevelScratchBEpochs(baselineEpochs: 10, dense: dense, pruned: pruned, cap: 12).epochs == 12)
        #expect(Protocols.weightLevelScratchBEpochs(baselineEpochs: 10, dense: dense, pruned: dense.clone()).epochs == 10,
                "unpruned: scratch-B is scratch-E (as cifar_B.py's ratio of two dense counts)")
    }

    @Test(arguments: [
        // (round, p, sparsity after the round)
        (0, 0.2, 0.0), (1, 0.2, 0.2), (2, 0.2, 0.36), (3, 0.5, 0.875), (5, 0.2, 0.67232),
    ] as [(Int, Double, Double)])
    func lotterySparsityIsOneMinusTheKeptFractionToTheRounds(round: Int, fraction: Double, sparsity: Double) {
        #expect(abs(Protocols.lotterySparsity(afterRound: round, fraction: fraction) - sparsity) < 1e-12)
    }

    @Test func lotteryRoundFractionReachesTheTarget() {
        #expect(abs(Protocols.lotteryRoundFraction(target: 0.875, rounds: 3) - 0.5) < 1e-12)
        let p = Protocols.lotteryRoundFraction(target: 0.9, rounds: 4)
        #expect(abs(Protocols.lotterySparsity(afterRound: 4, fraction: p) - 0.9) < 1e-12)
    }

    /// The ticket's measured sparsity round by round is the rule's, up to the floor of each round's count.
    @Test func lotteryTicketFollowsThePerRoundFractions() {
        let network = tinyVGG()
        var ticket = LotteryTicket(initial: network)
        for round in 1...3 {
            ticket.pruneRound(network: network, fraction: 0.5)
            let rule = Protocols.lotterySparsity(afterRound: round, fraction: 0.5)
            #expect(abs(ticket.sparsity - rule) <= Double(round) / Double(ticket.totalCount), "round \(round)")
        }
    }

    /// A method's scratch baselines are named after it; without a prefix the names are the labs' usual ones.
    @Test func scratchNamesCarryTheMethodsPrefix() {
        let plain = ScratchNames(prefix: nil)
        #expect(plain.key("scratch_b") == "scratch_b" && plain.stage("scratch-B").id == "scratch-B")
        let named = ScratchNames(prefix: Stage(id: "weight-level", label: "权重级剪枝"))
        #expect(named.key("scratch_e") == "weight_level_scratch_e")
        #expect(named.stage("scratch-B").id == "weight-level scratch-B" && named.stage("scratch-B").label == "权重级剪枝 scratch-B")
    }

    @Test(arguments: [
        // (claim, difference, noise, agrees)
        (PaperClaim.matchesOrBeats, 0.002, 0.004, true), (.matchesOrBeats, 0.01, 0.004, true), (.matchesOrBeats, -0.01, 0.004, false),
        (.beats, 0.002, 0.004, false), (.beats, 0.01, 0.004, true), (.noBetter, 0.002, 0.004, true), (.noBetter, 0.01, 0.004, false),
    ] as [(PaperClaim, Double, Double, Bool)])
    func verdictsJudgeTheDifferenceAgainstItsSpread(claim: PaperClaim, difference: Double, noise: Double, agrees: Bool) {
        #expect(claim.agrees(difference: difference, noise: noise) == agrees)
        let verdict = SeedTableText(language: .en).verdict(claim, difference: difference, spread: noise, noise: noise)
        #expect(verdict.hasPrefix(agrees ? "yes" : "no"))
        #expect(verdict.contains("within noise") == (abs(difference) <= noise), "\(verdict)")
    }

    @Test func samplingNoiseOfADifference() {
        #expect(abs(VerdictNoise.sampling(0.9, 0.9, testImages: 10_000) - (2 * 0.09 / 10_000).squareRoot()) < 1e-12)
    }

    @Test func overSeedsTheNoiseIsTheSpreadOfTheDifferencesButNeverBelowTheTestSetsError() {
        let floor = VerdictNoise.sampling(0.9165, 0.9168, testImages: 10_000)
        // Three seeds whose differences agree to 0.01 points: the test set's error (0.39 points) decides.
        let close = VerdictNoise.study(first: [0.9160, 0.9165, 0.9170], second: [0.9162, 0.9168, 0.9174], testImages: 10_000)
        #expect(abs(close - floor) < 1e-12)
        #expect(SeedTableText(language: .en).verdict(.matchesOrBeats, difference: -0.0003, spread: 0.0001, noise: close)
                    == "yes, within noise (-0.03 ± 0.01)")
        // Differences that scatter by more than that: their spread decides.
        let scattered = VerdictNoise.study(first: [0.90, 0.92, 0.91], second: [0.91, 0.90, 0.92], testImages: 10_000)
        #expect(abs(scattered - StudyMerge.stats([-0.01, 0.02, -0.01]).deviation) < 1e-12)
        // One seed: the sampling error alone.
        #expect(VerdictNoise.study(first: [0.9], second: [0.9], testImages: 10_000) == VerdictNoise.sampling(0.9, 0.9, testImages: 10_000))
    }
}

/// `notebook.train` with an end-of-epoch hook: its settings are part of the stage's key.
struct EndOfEpochHookCacheTests {
    func data() -> LabData {
        let raw = SyntheticImages.make(count: 16, shape: [1, 32, 32], classCount: 2, seed: 5)
        let images = LabeledImages(name: "tiny", raw: raw, statistics: ChannelStatistics(measuring: raw))
        return LabData(train: images, test: images, kind: .synthetic)
    }

    /// A soft-filter-pruning stage trained at another ratio is not taken from the cache; at the same
    /// ratio it is, bit for bit; a stage without a hook keeps the key it always had.
    @Test func anSFPStageWithAnotherRatioMissesTheStageCache() throws {
        let folder = try temporaryFolder(prefix: "prunelab-sfp-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"]))
        let data = data()
        let config = TrainingConfig(epochs: 2, batchSize: 8, learningRate: 0.05, momentum: 0.9, seed: 1)
        let start = Network.resnet(depth: 8, widthMultiplier: 0.5, inputShape: [1, 32, 32], classCount: 2, seed: 2)
        func trained(ratio: Double) throws -> Network {
            let network = start.clone()
            let sfp = SoftFilterPruning(ratio: ratio)
            try notebook.train("sfp", network, on: data, config: config, endOfEpoch: .softFilterPruning(sfp, epochs: config.epochs),
                               describe: false)
            return network
        }
        let first = try trained(ratio: 0.25)
        let other = try trained(ratio: 0.5)
        let again = try trained(ratio: 0.25)
        #expect(zip(first.state, again.state).allSatisfy { $0.value.values == $1.value.values }, "same ratio: reused")
        #expect(!zip(first.state, other.state).allSatisfy { $0.value.values == $1.value.values }, "another ratio: trained")
        // Half of each block's inner filters are zero after the 0.5 stage, a quarter after the 0.25 one.
        let zeroRows = { (network: Network) in
            SoftFilterPruning(ratio: 0.25).targetConvolutions(of: network).map { conv in
                FilterL2Norm.rowNorms(of: conv.weight.value).filter { $0 == 0 }.count
            }
        }
        #expect(zeroRows(other) == SoftFilterPruning(ratio: 0.5).targetConvolutions(of: other).map { $0.outChannels / 2 })
        #expect(zeroRows(first) == SoftFilterPruning(ratio: 0.25).targetConvolutions(of: first).map { $0.outChannels / 4 })
        #expect(EndOfEpochHook.regularizer(penalty: nil, endOfEpoch: nil) == "none", "no hook: the key of before")
        #expect(EndOfEpochHook.regularizer(penalty: nil, endOfEpoch: .softFilterPruning(SoftFilterPruning(ratio: 0.25), epochs: 2))
                != EndOfEpochHook.regularizer(penalty: nil, endOfEpoch: .softFilterPruning(SoftFilterPruning(ratio: 0.5), epochs: 2)))
    }

    /// Masked training: two networks with the same values but other masks never share a stage.
    @Test func aMaskedStageWithAnotherMaskMissesTheStageCache() throws {
        let folder = try temporaryFolder(prefix: "prunelab-mask-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = StageCache(folder: folder, readsCache: true, numerics: "n")
        let config = TrainingConfig(epochs: 1, batchSize: 8, learningRate: 0.05)
        let network = Network.vgg(depth: 11, widthMultiplier: 0.0625, inputShape: [1, 32, 32], classCount: 2, seed: 4)
        let a = network.clone(), b = network.clone()
        MagnitudePruning.prune(a, sparsity: 0.5, scope: .global, layers: .convolutions)
        MagnitudePruning.prune(b, sparsity: 0.5, scope: .layerwise, layers: .convolutions)
        // Make the values equal: only the masks differ now.
        for (target, source) in zip(b.state, a.state) { target.value.assign(source.value) }
        let key = { (net: Network) in
            cache.key(lab: "unit", stage: "masked", network: net, config: config, data: data(), regularizer: "none")
        }
        #expect(zip(a.parameters, b.parameters).contains { $0.mask?.values != $1.mask?.values }, "the masks differ")
        #expect(key(a) != key(b))
        #expect(key(a) == key(a.clone()), "the same mask and values: the same stage")
    }
}

/// A study's merge writes the tables and bars a lab recorded with `seedTable` and `seedBars` again
/// over the seeds: mean ± std per accuracy, verdicts judged against the spread over the seeds.
struct SeedTableMergeTests {
    @Test func mergeRewritesTheSeedTableWithMeanStdAndVerdicts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-seedtable-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.82), (3, 0.84)].map { seed, accuracy in
            let folder = try StudyTests().job(in: root, seed: seed, recipe: "r", accuracy: accuracy)
            let url = folder.appendingPathComponent("reports/lab.json")
            var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: url))
            // Fine-tuned is 1 point below the baseline in every seed: "no" for "matches or beats", outside the spread 0.
            metrics["seed_table.1-main"] = .record([
                "title": .text("The table"), "headers": .list([.text("Method"), .text("Fine-tuned"), .text("Agrees?")]),
                "rows": .list([.list([SeedTableCell.text("m").metricValue, SeedTableCell.accuracy("finetuned").metricValue,
                                      SeedTableCell.verdict("finetuned", minus: "baseline", .matchesOrBeats).metricValue])]),
            ])
            metrics["seed_bars.bars"] = .record([
                "title": .text("Bars"), "caption": .text("Three bars."), "categories": .list([.text("m")]),
                "series": .list([.record(["name": .text("fine-tuned"), "keys": .list([.text("finetuned")])])]),
            ])
            try JSONEncoder().encode(metrics).write(to: url)
            return folder
        }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("**The table**"))
        #expect(report.contains("| m      | 81.00 ± 2.00 | no (-1.00 ± 0.00) |") || report.contains("81.00 ± 2.00 | no (-1.00 ± 0.00)"),
                "\(report)")
        #expect(report.contains("mean ± standard deviation over the 3 seeds"))
        #expect(report.contains("![Three bars. Mean over 3 seeds, error bars ± one standard deviation.](../figures/lab/bars-seeds.png)"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/figures/lab/bars-seeds.png").path))
    }
}
