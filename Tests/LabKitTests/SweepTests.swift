import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import LabKit

/// The pruning-ratio sweep (`--sweep`): its options, the fractions it prunes at and the
/// channels each method keeps there, counted here without the plan builders.
struct SweepTests {
    // MARK: Options

    @Test func sweepIsOnInStandardAndFullUnlessToldAndFractionsDefaultToTenthsSorted() throws {
        let defaults = try SweepOptions.parse([])
        #expect(defaults.sortedFractions == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        #expect(Preset.allCases.filter { defaults.runs(in: $0) } == [.standard, .full])
        let on = try SweepOptions.parse(["--sweep", "on", "--sweep-fractions", "0.9,0.25,0.5"])
        #expect(Preset.allCases.allSatisfy { on.runs(in: $0) })
        #expect(on.sortedFractions == [0.25, 0.5, 0.9])
        let off = try SweepOptions.parse(["--sweep", "off"])
        #expect(!Preset.allCases.contains { off.runs(in: $0) })
    }

    @Test func aPresetsFractionsApplyUnlessTheCommandLineGivesSome() throws {
        let preset = [0.8, 0.2, 0.4]
        #expect(try SweepOptions.parse([]).withFractions(unlessGiven: preset).sortedFractions == [0.2, 0.4, 0.8])
        #expect(try SweepOptions.parse([]).withFractions(unlessGiven: nil).sortedFractions == SweepOptions.defaultFractions)
        let given = try SweepOptions.parse(["--sweep-fractions", "0.5"])
        #expect(given.withFractions(unlessGiven: preset).sortedFractions == [0.5])
    }

    @Test(arguments: [
        (["--sweep-fractions", "0"], "--sweep-fractions"), (["--sweep-fractions", "0.5,1"], "--sweep-fractions"),
        (["--sweep-fractions", "-0.2"], "--sweep-fractions"), (["--sweep-fractions", "nan"], "--sweep-fractions"),
        (["--sweep-fractions", "0.3,x"], "--sweep-fractions"), (["--sweep-fractions", "0.3,0.3"], "twice"),
        (["--sweep", "maybe"], "--sweep"),
    ])
    func badSweepOptionsAreRefusedNamingTheOption(arguments: [String], mentions: String) throws {
        let message = try #require(refusal(of: arguments, by: SweepOptions.self), "\(arguments) must be refused")
        #expect(message.contains(mentions), "message '\(message)' names the problem")
    }

    @Test func sweepFineTuningIsAQuarterOfTheEpochsAtAHundredthOfTheRate() {
        let training = TrainingConfig(epochs: 10, batchSize: 64, learningRate: 0.05, momentum: 0.9, schedule: .slimming, seed: 1)
        let fineTune = Protocols.sweepFineTuning(after: training)
        #expect(fineTune.epochs == 2 && fineTune.learningRate == 0.0005)
        #expect(Protocols.sweepFineTuning(after: training.fineTuning(epochs: 1)).epochs == 1, "at least one epoch")
    }

    // MARK: Kept channels per fraction

    /// A VGG-11 at width ×0.125 (8 layers, 344 channels) whose |γ| are distinct and known: the first
    /// layer holds the smallest, so a high fraction would empty it and the floor must keep one.
    func vggWithKnownGammas() throws -> (network: Network, gammas: [String: [Float]]) {
        let network = Network.vgg(depth: 11, widthMultiplier: 0.125, inputShape: [1, 32, 32], seed: 3)
        let total = network.channelGroups.reduce(0) { $0 + $1.channelCount }
        let first = network.channelGroups[0].channelCount
        var gammas: [String: [Float]] = [:]
        var index = 0
        for group in network.channelGroups {
            let norm = try #require(group.batchNorm)
            var values: [Float] = []
            for position in 0..<group.channelCount {
                // The first layer gets ranks 1…first; the others a permutation of the rest (11 is prime to total − first = 336).
                let rank = index < first ? index + 1 : first + 1 + ((index - first) * 11) % (total - first)
                let sign: Float = position % 2 == 0 ? 1 : -1
                norm.weight.value[group.batchNormPositions[position]] = sign * Float(rank) / 1000
                values.append(Float(rank) / 1000)
                index += 1
            }
            gammas[group.name] = values
        }
        #expect(Set(gammas.values.flatMap { $0 }).count == total, "every |γ| distinct")
        return (network, gammas)
    }

    /// Slimming at fraction k/10 removes the ⌊T·k/10⌋ + 1 smallest |γ| of all T channels (those up to
    /// and including the threshold), each layer keeping at least one.
    @Test func slimmingKeepsTheChannelsAboveTheGlobalThresholdWithTheFloor() throws {
        let (network, gammas) = try vggWithKnownGammas()
        let sorted = gammas.values.flatMap { $0 }.sorted()
        let method = SweepMethod.slimming(network)
        for tenths in 1...9 {
            let removedByThreshold = sorted.count * tenths / 10 + 1
            let largestRemoved = sorted[removedByThreshold - 1]
            let plan = try method.plan(Double(tenths) / 10)
            var emptied: [String] = []
            for group in network.channelGroups {
                let above = gammas[group.name]!.filter { $0 > largestRemoved }.count
                if above == 0 { emptied.append(group.name) }
                #expect(plan.keptCounts[group.name] == max(1, above), "\(group.name) at \(tenths)0 %")
            }
            #expect(plan.groupsKeptAliveByFloor.sorted() == emptied.sorted(), "floor at \(tenths)0 %")
            #expect(plan.originalChannelCount == sorted.count)
        }
        // The first layer (8 channels, the smallest |γ|) is emptied by the threshold from 10 % on: ⌊344·0.1⌋ + 1 = 35.
        #expect(try method.plan(0.1).groupsKeptAliveByFloor == [network.channelGroups[0].name])
    }

    /// L1 norm and random channels keep ⌊n·(10 − k)/10⌋ of each layer's n filters (at least one), the
    /// same counts; L1 norm keeps the filters with the largest norms, random others.
    @Test(arguments: SweepOptions.defaultFractions)
    func l1AndRandomKeepTheSameFractionOfEveryLayer(fraction: Double) throws {
        let network = Network.vgg(depth: 11, widthMultiplier: 0.125, inputShape: [1, 32, 32], seed: 3)
        let tenths = Int((fraction * 10).rounded())
        let l1 = try SweepMethod.l1Norm(network).plan(fraction)
        let random = try SweepMethod.random(network, seed: 5).plan(fraction)
        let norms = FilterL1Norm().scores(of: network)
        for group in network.channelGroups {
            let expected = max(1, group.channelCount * (10 - tenths) / 10)
            #expect(l1.keptCounts[group.name] == expected, "\(group.name) keeps \(expected) at \(fraction)")
            #expect(random.keptCounts[group.name] == expected)
            let groupNorms = try #require(norms[group.name])
            let weakestKept = l1.keptPositions[group.name]!.map { groupNorms[$0] }.min()!
            let strongestRemoved = l1.removedPositions(of: group.name).map { groupNorms[$0] }.max() ?? 0
            #expect(weakestKept >= strongestRemoved, "L1 keeps the largest norms of \(group.name)")
        }
        #expect(l1.keptChannelCount == network.channelGroups.reduce(0) { $0 + max(1, $1.channelCount * (10 - tenths) / 10) })
        if fraction == 0.5 { #expect(random.keptPositions != l1.keptPositions, "random channels are not the L1 choice") }
    }

    /// In a pre-activation ResNet the shared block inputs (channel selections) have no filters: L1 norm and
    /// random channels leave them whole, slimming prunes them by |γ| like every other channel.
    @Test func perLayerMethodsLeaveTheChannelSelectionsWhole() throws {
        let network = Network.preresnet(depth: 11, widthMultiplier: 0.25, inputShape: [1, 32, 32], seed: 2)
        let selections = network.channelGroups.filter { $0.producer == nil }.map(\.name)
        #expect(!selections.isEmpty)
        let l1 = try SweepMethod.l1Norm(network).plan(0.5)
        #expect(selections.allSatisfy { l1.keptPositions[$0] == nil })
        #expect(SweepMethod.l1Norm(network).description(.en).contains("\(selections.count) channel selections"))
        let slimming = try SweepMethod.slimming(network).plan(0.5)
        #expect(selections.allSatisfy { slimming.keptPositions[$0] != nil })
    }

    /// In a DenseNet every group is a selection (the channels a layer reads) and none has filters, so
    /// random channels remove the same fraction of every group, and say so; slimming scores them all too.
    @Test func randomChannelsOfADenseNetPruneEveryLayersInputs() throws {
        let network = Network.denseNet(depth: 10, growthRate: 4, inputShape: [1, 32, 32], seed: 2)
        #expect(network.channelGroups.allSatisfy { $0.producer == nil })
        let random = try SweepMethod.random(network, seed: 5).plan(0.5)
        for group in network.channelGroups {
            #expect(random.keptCounts[group.name] == group.channelCount / 2, "\(group.name) keeps half of what it reads")
        }
        let description = SweepMethod.random(network, seed: 5).description(.en)
        #expect(description.contains("each of its \(network.channelGroups.count) layers reads"))
        #expect(!SweepMethod.random(network, seed: 5).description(.zh).contains("L1"))
        let slimming = try SweepMethod.slimming(network).plan(0.5)
        #expect(network.channelGroups.allSatisfy { slimming.keptPositions[$0.name] != nil })
    }

    // MARK: Curves over seeds

    @Test func curvesAverageTheSeedsAndRefuseRunsOfOtherFractions() throws {
        func point(_ method: String, _ fraction: Double, _ accuracy: Double) -> SweepPoint {
            SweepPoint(method: method, fraction: fraction, keptChannels: 5, channels: 10, keptAliveByFloor: 0, parameters: 0.5,
                       macs: 0.4, prunedAccuracy: accuracy - 0.1, fineTunedAccuracy: accuracy)
        }
        let seed1 = [point("L1 norm", 0.3, 0.8), point("L1 norm", 0.6, 0.7), point("random", 0.3, 0.6), point("random", 0.6, 0.5)]
        let seed2 = [point("L1 norm", 0.3, 0.9), point("L1 norm", 0.6, 0.7), point("random", 0.3, 0.6), point("random", 0.6, 0.3)]
        let curves = try #require(SweepCurve.curves([seed1, seed2]))
        #expect(curves.map(\.method) == ["L1 norm", "random"] && curves[0].fractions == [0.3, 0.6])
        #expect(abs(curves[0].fineTuned[0] - 0.85) < 1e-12 && abs(curves[1].fineTuned[1] - 0.4) < 1e-12)
        #expect(abs(curves[0].fineTunedErrors![0] - 0.1 / 2.0.squareRoot()) < 1e-12 && curves[0].fineTunedErrors![1] == 0)
        #expect(SweepCurve.curves([seed1])?[0].fineTunedErrors == nil, "one run has no error bars")
        #expect(SweepCurve.curves([seed1, Array(seed2.dropLast())]) == nil)
        // A point survives the trip through the JSON results.
        #expect(SweepPoint(seed1[1].metricValue) == seed1[1])
    }

    /// A study of two seeds that swept: the merged summary has the sweep's mean ± std per method and
    /// fraction, and its curve with error bars decodes.
    @Test func mergeSummarisesTheSweepOverTheSeeds() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunelab-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try [(1, 0.80), (2, 0.90)].map { seed, accuracy in
            let folder = try StudyTests().job(in: root, seed: seed, recipe: "r", accuracy: 0.9)
            let jsonURL = folder.appendingPathComponent("reports/lab.json")
            var metrics = try JSONDecoder().decode([String: MetricValue].self, from: Data(contentsOf: jsonURL))
            let points = [0.5, 0.9].map { fraction in
                SweepPoint(method: "L1 norm", fraction: fraction, keptChannels: 5, channels: 10, keptAliveByFloor: 0,
                           parameters: 0.3, macs: 0.2, prunedAccuracy: accuracy - fraction / 2, fineTunedAccuracy: accuracy)
            }
            metrics["sweep"] = .record(["reference": .text("baseline"), "reference_accuracy": .number(0.9),
                                        "fine_tune_epochs": .number(1), "points": .list(points.map(\.metricValue))])
            try JSONEncoder().encode(metrics).write(to: jsonURL)
            return folder
        }
        try StudyMerge.merge(lab: "lab", jobFolders: folders, into: root.appendingPathComponent("out"))
        let report = try String(contentsOf: root.appendingPathComponent("out/reports/lab.md"), encoding: .utf8)
        #expect(report.contains("The pruning-ratio sweep over the 2 seeds"))
        #expect(report.contains("| L1 norm | 90%     | 40.00 ± 7.07  | 85.00 ± 7.07"), "\(report)")
        let figure = root.appendingPathComponent("out/figures/lab/sweep-accuracy-seeds.png")
        #expect(report.contains("](../figures/lab/sweep-accuracy-seeds.png)") && (try? DecodedImage(contentsOf: figure)) != nil)
    }
}
