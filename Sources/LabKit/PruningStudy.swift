import Foundation
import Networks
import Pruning
import Reports

/// Test accuracies of the scratch baselines and the epochs each trained.
public struct ScratchResults {
    public let scratchE: Float, scratchB: Float
    public let scratchEEpochs: Int, scratchBEpochs: Int
    /// Whether `--scratch-b-cap` gave scratch-B fewer epochs than the rule.
    public let scratchBCapped: Bool
    /// Whether each broke down in training (`TrainingBreakdown`): its accuracy then says nothing
    /// about training the architecture from scratch.
    public var scratchEBrokeDown = false, scratchBBrokeDown = false
    /// The report's language, for `sentence`.
    let language: Language
    /// Their accuracy keys (without `accuracy.`): `scratch_e` and `scratch_b`, with the method's
    /// prefix when `scratchBaselines` was given one (`l1_scratch_b`).
    public var scratchEKey = "scratch_e", scratchBKey = "scratch_b"
    /// Set when scratch-B's longer training overfitted (`ScratchOverfitting`), which the sentence then says.
    public var overfitting: ScratchOverfitting?

    /// The closing sentence on them, for a lab's summary paragraph.
    public var sentence: String { NotebookText(language: language).scratchSentence(self) }
    /// Why scratch-B's extra epochs did not help, when they did not; empty otherwise. Part of
    /// `sentence`, for labs that write their own sentence on the scratch runs.
    public var overfittingSentence: String { NotebookText(language: language).overfitted(overfitting) }
}

/// Scratch-B trained past the baseline's epochs and fitted its training images better than
/// scratch-E without a higher test accuracy, its test loss higher: the pruned architecture
/// overfits at the baseline's compute (on Fashion-MNIST the VGG, small-CNN and MLP scratch-B
/// runs end at 96–100 % training accuracy, scratch-E at 92–94 %). Then scratch-E, not scratch-B, is the higher bar for
/// the fine-tuned network, against the premise of the scratch-B rule that more compute helps.
public struct ScratchOverfitting: Sendable, Equatable {
    /// The training-accuracy lead (1 point) that counts as fitting the training images better.
    public static let trainingLead: Float = 0.01

    public let trainAccuracyE: Float, trainAccuracyB: Float
    public let testLossE: Float, testLossB: Float

    /// From each run's last epoch and evaluated test accuracy; nil unless scratch-B trained
    /// longer, ended no higher on the test set, led in training accuracy by `trainingLead` and
    /// ended at a higher test loss.
    public static func find(scratchE: [EpochRecord], scratchB: [EpochRecord],
                            accuracyE: Float, accuracyB: Float) -> ScratchOverfitting? {
        guard let lastE = scratchE.last, let lastB = scratchB.last, scratchB.count > scratchE.count,
              accuracyB <= accuracyE, lastB.trainAccuracy >= lastE.trainAccuracy + trainingLead,
              lastB.testLoss > lastE.testLoss else { return nil }
        return ScratchOverfitting(trainAccuracyE: lastE.trainAccuracy, trainAccuracyB: lastB.trainAccuracy,
                                  testLossE: lastE.testLoss, testLossB: lastB.testLoss)
    }
}

/// The stage names and result keys of one method's scratch baselines: the plain ones, or with
/// the method's prefix (`L1 scratch-B`, `l1_scratch_b`).
struct ScratchNames {
    let prefix: Stage?

    /// `scratch-B`, or `L1 scratch-B` labelled in the report's language.
    func stage(_ name: String) -> Stage {
        guard let prefix else { return Stage(id: name, label: name) }
        return Stage(id: prefix.id + " " + name, label: prefix.label + " " + name)
    }

    /// `scratch_b`, or `l1_scratch_b`: the prefix's id in lower case, other characters as `_`.
    func key(_ name: String) -> String {
        guard let prefix else { return name }
        return String(prefix.id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_" + name
    }
}

/// Steps that every pruning lab shares, so each lab's notebook shows only what is its own.
extension Notebook {
    /// The two baselines of *Rethinking the Value of Network Pruning* (Liu et al., 2019): the
    /// pruned architecture, freshly initialised, trained for the baseline's epochs (scratch-E)
    /// and for as many epochs as give it the baseline's compute (scratch-B, `Protocols`),
    /// bounded by `cap` if given. The report states both budgets and whether the cap bit; when
    /// the preset does not `run` them, it says so and where to find them, and returns nil.
    ///
    /// A lab that compares several methods names each one's baselines with a `prefix` (its id
    /// in English, its label in the report's language): stages `L1 scratch-E`, keys
    /// `l1_scratch_e`, metrics `l1_scratch_b_epochs`; without one the names are the plain ones.
    /// `prunedMACs` replaces the architecture's MACs in scratch-B's rule (weight-level pruning
    /// counts only the non-zero weights), and `fresh` builds each fresh network from a seed
    /// (by default `architecture.reinitialized(seed:)`; weight-level pruning keeps the masks).
    /// `baselineTraining`, the baseline's history, is what a scratch run (a smaller network
    /// trained the same way) comes near when it trains properly: ending 10 points under the
    /// baseline's last training accuracy, it broke down.
    /// `warmupEpochs` (0 as the paper) ramps the rate up over the first epochs of both runs;
    /// `--scratch-warmup-epochs` overrides it. `protocolProse` replaces the sentence on the two
    /// budgets where a method's reference sets them its own way (weight-level pruning's `cifar_B.py`).
    public func scratchBaselines(_ architecture: Network, baselineMACs: Int, on data: LabData, config: TrainingConfig,
                                 seed: UInt64, run: Bool, cap: Int?, prefix: Stage? = nil, prunedMACs: Int? = nil,
                                 fresh: ((UInt64) -> Network)? = nil, baselineTraining: [EpochRecord]? = nil,
                                 warmupEpochs: Int = 0, protocolProse: String? = nil) throws -> ScratchResults? {
        // `--scratch` overrides the preset's choice.
        guard options.scratch.map({ $0 == .on }) ?? run else {
            prose(text.scratchLeftOut(preset: options.preset.rawValue, byOption: options.scratch == .off))
            return nil
        }
        let warmupEpochs = options.scratchWarmupEpochs ?? warmupEpochs
        let budgetB = Protocols.scratchBEpochs(baselineEpochs: config.epochs, baselineMACs: baselineMACs,
                                               prunedMACs: prunedMACs ?? ModelCost(architecture).multiplyAccumulates, cap: cap)
        let capNote = budgetB.epochs < budgetB.uncapped ? text.scratchCap(uncapped: budgetB.uncapped, epochs: budgetB.epochs) : ""
        prose((protocolProse.map { $0 + capNote }
               ?? text.scratchProtocol(epochs: config.epochs, scratchBEpochs: budgetB.epochs, capNote: capNote))
              + (warmupEpochs > 0 ? text.scratchWarmup(epochs: warmupEpochs) : ""))
        let names = ScratchNames(prefix: prefix)
        let make = fresh ?? { architecture.reinitialized(seed: $0) }
        let reference = baselineTraining?.last?.trainAccuracy
        var scratchConfig = config
        scratchConfig.warmupEpochs = warmupEpochs
        let configE = scratchConfig.fineTuning(epochs: Protocols.scratchEEpochs(baselineEpochs: config.epochs))
        let configB = scratchConfig.fineTuning(epochs: budgetB.epochs)
        // Both start from the same weights on the same batches, so they are one run until their
        // schedules part: scratch-E hands its state after those epochs to scratch-B, which resumes there.
        let scratchE = make(seed)
        let toScratchB = handOver(to: names.stage("scratch-B"), startingAs: scratchE, on: data, from: configE, to: configB)
        try train(names.stage("scratch-E"), scratchE, on: data, config: configE, referenceTrainAccuracy: reference,
                  handOver: toScratchB)
        let accuracyE = evaluate(names.key("scratch_e"), scratchE, on: data, label: names.stage("scratch-E").label)

        let scratchB = make(seed)
        try train(names.stage("scratch-B"), scratchB, on: data, config: configB, referenceTrainAccuracy: reference)
        let accuracyB = evaluate(names.key("scratch_b"), scratchB, on: data, label: names.stage("scratch-B").label)
        metric(names.key("scratch_b_epochs"), budgetB.epochs)
        metric(names.key("scratch_b_uncapped_epochs"), budgetB.uncapped)
        var results = ScratchResults(scratchE: accuracyE, scratchB: accuracyB, scratchEEpochs: config.epochs,
                                     scratchBEpochs: budgetB.epochs, scratchBCapped: budgetB.epochs < budgetB.uncapped,
                                     language: language, scratchEKey: names.key("scratch_e"), scratchBKey: names.key("scratch_b"))
        results.scratchEBrokeDown = brokenDownStages.contains(names.stage("scratch-E").id)
        results.scratchBBrokeDown = brokenDownStages.contains(names.stage("scratch-B").id)
        if results.scratchEBrokeDown { markBrokenDown(results.scratchEKey) }
        if results.scratchBBrokeDown { markBrokenDown(results.scratchBKey) }
        if !results.scratchEBrokeDown && !results.scratchBBrokeDown,
           let historyE = trainingHistory(names.stage("scratch-E")), let historyB = trainingHistory(names.stage("scratch-B")) {
            results.overfitting = ScratchOverfitting.find(scratchE: historyE, scratchB: historyB,
                                                          accuracyE: accuracyE, accuracyB: accuracyB)
        }
        return results
    }

    /// The fine-tuned network against its architecture trained from scratch, each with both sides'
    /// epochs: `name` − scratch-E (the baseline's epochs) and `name` − scratch-B (the baseline's
    /// compute). Both, because where scratch-B's longer training overfits, scratch-E is the higher bar.
    public func compareWithScratch(_ name: String, key: String, trainedEpochs: String, scratch: ScratchResults) {
        let common = CommonText(language)
        compare("\(name) − scratch-E", key, minus: scratch.scratchEKey,
                budgets: common.budgetsAgainstSmallNetwork(trainedEpochs, smallNetworkEpochs: scratch.scratchEEpochs))
        compare("\(name) − scratch-B", key, minus: scratch.scratchBKey,
                budgets: common.budgetsAgainstSmallNetwork(trainedEpochs, smallNetworkEpochs: scratch.scratchBEpochs))
    }

    /// A table of parameters, multiply-accumulates, measured latency and accuracy per model,
    /// each relative to the first row (the baseline).
    public func modelTable(_ models: [(name: String, network: Network, accuracy: Float)], latencyBatch: Int) {
        guard let first = models.first else { return }
        let baseCost = ModelCost(first.network)
        let latencies = measureLatencies(of: models.map(\.network), batchSize: latencyBatch, runs: 7).map(\.medianMilliseconds)
        let baseLatency = latencies[0]
        var rows: [[TableCell]] = []
        var shortfalls: [String] = []
        for (index, model) in models.enumerated() {
            let cost = index == 0 ? baseCost : ModelCost(model.network)
            let latency = latencies[index]
            rows.append([.text(model.name), .integer(cost.parameters),
                         .percent(1 - Double(cost.parameters) / Double(baseCost.parameters)),
                         .integer(cost.multiplyAccumulates),
                         .percent(1 - Double(cost.multiplyAccumulates) / Double(baseCost.multiplyAccumulates)),
                         .number(latency, decimals: 1), .number(baseLatency / latency, decimals: 2),
                         .percent(Double(model.accuracy), decimals: 2)])
            let macRatio = Double(baseCost.multiplyAccumulates) / Double(max(cost.multiplyAccumulates, 1))
            if macRatio > 1.2 && baseLatency / latency < 0.8 * macRatio {
                shortfalls.append(text.shortfall(model: model.name, macRatio: macRatio, speedUp: baseLatency / latency))
            }
            // Its prunable channels (every channel group's width), so a study's summary can say what fraction pruning removed.
            let channels = model.network.channelGroups.reduce(0) { $0 + $1.channelCount }
            metric("models.\(model.name)", ["parameters": Double(cost.parameters), "macs": Double(cost.multiplyAccumulates),
                                            "channels": Double(channels), "latency_ms": latency, "accuracy": Double(model.accuracy)])
        }
        table(headers: text.modelTableHeaders(latencyBatch: latencyBatch), rows: rows)
        if !shortfalls.isEmpty { prose(text.shortfalls(shortfalls, latencyBatch: latencyBatch)) }
    }

    /// Says in the report why accuracy falls right after pruning when it falls far, in the
    /// terms of the criterion that chose the channels.
    public func explainPruningDrop(before: Float, after: Float, criterion: any ChannelCriterion) {
        guard before - after > 0.1 else { return }
        let why = criterion is BatchNormScale ? text.silentChannels : text.smallFilters
        prose(text.pruningDrop(before: before, after: after, why: why))
    }

    /// A histogram of |γ| of every prunable BatchNorm, for each named network, with the
    /// pruning threshold marked.
    public func gammaHistogram(_ name: String, caption: String, networks: [(label: String, network: Network)],
                               threshold: Float) throws {
        let series = networks.map { ($0.label, scaleMagnitudes(of: $0.network)) }
        try figure(name, caption: caption,
                   LabCharts.histogram(title: text.gammaTitle, xLabel: "|γ|", series: series, bins: 60, logY: false,
                                       markers: [(text.threshold(threshold), Double(threshold))], language: language))
    }

    /// The training curves of `histories` as `training-curves.png`: a row per network, test
    /// accuracy beside training loss.
    public func trainingCurvesFigure(_ histories: [StageHistory]) throws {
        try figure("training-curves", caption: text.trainingCurvesCaption, LabCharts.trainingCurves(histories, language))
    }

    /// One |γ| histogram per prunable layer of `network` (small multiples), with the plan's
    /// global threshold and, in each panel's title, how many of the layer's channels it keeps.
    public func gammaPerLayerFigure(_ name: String, caption: String, network: Network, plan: PruningPlan,
                                    groupLabel: (ChannelGroup) -> String = \.name) throws {
        let layers = network.channelGroups.compactMap { group -> (label: String, gammas: [Float], kept: Int)? in
            guard let gammas = BatchNormScale().scores(of: group) else { return nil }
            return (groupLabel(group), gammas, plan.keptPositions[group.name]?.count ?? group.channelCount)
        }
        try figure(name, caption: caption, LabCharts.gammaPerLayer(layers, threshold: plan.threshold ?? 0, language))
    }

    /// Channels per group before and after each plan (e.g. slimming and L1-norm pruning).
    public func channelsFigure(_ name: String, caption: String, original: Network, plans: [(label: String, plan: PruningPlan)],
                               title: String? = nil, yLabel: String? = nil,
                               groupLabel: (ChannelGroup) -> String = \.name) throws {
        try figure(name, caption: caption,
                   LabCharts.channelsPerGroup(original: original, plans: plans, title: title ?? text.channelsTitle,
                                              yLabel: yLabel ?? text.channelsAxis, originalLabel: text.original,
                                              groupLabel: groupLabel),
                   width: max(800, 40 * original.channelGroups.count * plans.count + 200))
    }
}

extension Notebook {
    /// Reports what one global threshold did: channels kept, accuracy right after the surgery,
    /// and the layers the per-layer floor kept alive (network-slimming's code stops there).
    public func describeThreshold(_ plan: PruningPlan, pass: Int = 1, prunedAccuracy: Float) {
        let alive = plan.groupsKeptAliveByFloor
        let floorNote = alive.isEmpty ? text.noLayerEmptied : text.keptAlive(alive)
        prose(text.thresholdResult(pass: pass, threshold: plan.threshold ?? 0, kept: plan.keptChannelCount,
                                   total: plan.originalChannelCount, accuracy: prunedAccuracy, floorNote: floorNote))
    }
}


extension Notebook {
    /// Reports whether sparsity training separated the channels (`thresholdSeparation`) and
    /// says plainly when it did not; returns the separation figure.
    @discardableResult
    public func describeSeparation(_ plan: PruningPlan, of network: Network) -> Double? {
        let scores = BatchNormScale().scores(of: network)
        guard let separation = thresholdSeparation(of: plan, scores: scores) else { return nil }
        metric("separation", separation)
        let figure = separation.separationText
        print("  separation (threshold / median kept |γ|): \(figure)")
        if separation < 0.1 {
            prose(text.separated(figure))
        } else if let gap = separatingFractions(network.channelGroups.compactMap { scores[$0.name] }.flatMap { $0 }) {
            // The factors did separate, but this fraction put the threshold inside one of the two groups.
            let removed = 1 - Double(plan.keptChannelCount) / Double(max(plan.originalChannelCount, 1))
            prose(text.missedTheGap(figure, gap: gap, removed: removed))
        } else {
            prose(text.notSeparated(figure))
        }
        return separation
    }
}

extension Notebook {
    /// Network slimming's prune step (Liu et al., 2017), as every slimming lab runs it: one global
    /// threshold at the `percent` quantile of the sparsity-trained network's prunable |γ|, the one
    /// surgery on a clone (`sparse` stays as it is, for the sweep), the pruned network's accuracy,
    /// and the report's account: separation, what the threshold kept, why accuracy fell. The
    /// pruned accuracy is recorded under `key` (a lab with several methods names it apart).
    public func pruneBySlimming(_ sparse: Network, percent: Double, sparseAccuracy: Float, on data: LabData,
                                pass: Int = 1, key: String = "pruned",
                                label: String? = nil) throws -> (plan: PruningPlan, pruned: Network, accuracy: Float) {
        let plan = try PruningPlan.globalPercentile(percent, for: sparse, criterion: .batchNormScale)
        describeSeparation(plan, of: sparse)
        let pruned = sparse.clone()
        try applySurgery(plan, to: pruned)
        let accuracy = evaluate(key, pruned, on: data, label: label ?? CommonText(language).pruned)
        describeThreshold(plan, pass: pass, prunedAccuracy: accuracy)
        explainPruningDrop(before: sparseAccuracy, after: accuracy, criterion: .batchNormScale)
        return (plan, pruned, accuracy)
    }
}
