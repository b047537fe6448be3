import Foundation
import Networks
import Pruning
import Reports

/// One method of the pruning-ratio sweep: the trained network it prunes, how a fraction
/// becomes a plan, and how it reads the fraction, for the report.
public struct SweepMethod {
    public let name: String
    /// The network every fraction starts from; it stays untouched (each fraction prunes a clone).
    public let network: Network
    /// What the fraction means for this method, a clause of the report's sentence in its language.
    public let description: (Language) -> String
    /// The plan that removes `fraction` of the channels (every builder keeps one channel per layer at least).
    public let plan: (_ fraction: Double) throws -> PruningPlan

    public init(name: String, network: Network, description: @escaping (Language) -> String, plan: @escaping (_ fraction: Double) throws -> PruningPlan) {
        self.name = name
        self.network = network
        self.description = description
        self.plan = plan
    }

    /// Network slimming: one global threshold on |γ| over every prunable channel of the sparsity-trained network.
    public static func slimming(_ sparsityTrained: Network) -> SweepMethod {
        let channels = BatchNormScale().scores(of: sparsityTrained).values.reduce(0) { $0 + $1.count }
        return SweepMethod(name: "slimming", network: sparsityTrained,
                           description: { SweepText(language: $0).slimmingMethod(channels: channels) }) { fraction in
            try PruningPlan.globalPercentile(fraction, for: sparsityTrained, criterion: .batchNormScale)
        }
    }

    /// L1 norm (Li et al.): the same fraction of every layer's filters, the smallest L1 norms first.
    public static func l1Norm(_ baseline: Network) -> SweepMethod {
        let layers = filterLayers(of: baseline)
        let whole = baseline.channelGroups.count - layers.count
        return SweepMethod(name: "L1 norm", network: baseline, description: {
            SweepText(language: $0).l1Method(layers: layers.count, wholeSelections: whole)
        }) { fraction in
            try PruningPlan.ratio(fraction, for: baseline, groups: layers, criterion: .filterL1Norm)
        }
    }

    /// Random channels: L1 norm's widths with the kept channels drawn by chance, the floor every method must beat.
    /// In a network whose groups are all selections (DenseNet: no group has filters of its own, so L1 norm
    /// has nothing to score), the same fraction of the channels every layer reads, drawn by chance.
    public static func random(_ baseline: Network, seed: UInt64) -> SweepMethod {
        let filters = filterLayers(of: baseline)
        let layers = filters.isEmpty ? baseline.channelGroups.map(\.name) : filters
        return SweepMethod(name: "random", network: baseline, description: {
            filters.isEmpty ? SweepText(language: $0).randomSelectionsMethod(layers: layers.count, seed: seed)
                : SweepText(language: $0).randomMethod(seed: seed)
        }) { fraction in
            try PruningPlan.ratio(fraction, for: baseline, groups: layers, criterion: .random(seed: seed))
        }
    }

    /// The layers with filters of their own, which L1 norm can score (a ResNet block's shared input has none).
    static func filterLayers(of network: Network) -> [String] {
        network.channelGroups.filter { FilterL1Norm().scores(of: $0) != nil }.map(\.name)
    }
}

/// One point of the sweep: a method at a fraction, as pruned and after the short fine-tune.
public struct SweepPoint: Sendable, Equatable {
    public let method: String
    public let fraction: Double
    public let keptChannels: Int, channels: Int
    /// Layers the floor of one channel kept alive.
    public let keptAliveByFloor: Int
    /// Parameters and MACs of the pruned network as fractions of the unpruned one's.
    public let parameters: Double, macs: Double
    public let prunedAccuracy: Double, fineTunedAccuracy: Double

    /// The point as the JSON results store it.
    var metricValue: MetricValue {
        .record(["method": .text(method), "fraction": .number(fraction), "kept_channels": .number(Double(keptChannels)),
                 "channels": .number(Double(channels)), "kept_alive_by_floor": .number(Double(keptAliveByFloor)),
                 "parameters": .number(parameters), "macs": .number(macs), "pruned_accuracy": .number(prunedAccuracy),
                 "finetuned_accuracy": .number(fineTunedAccuracy)])
    }

    /// The point read back from a job's JSON results (nil when a field is missing).
    init?(_ value: MetricValue) {
        guard let record = value.record, let method = record["method"]?.text, let fraction = record["fraction"]?.number,
              let kept = record["kept_channels"]?.number, let channels = record["channels"]?.number,
              let alive = record["kept_alive_by_floor"]?.number, let parameters = record["parameters"]?.number,
              let macs = record["macs"]?.number, let pruned = record["pruned_accuracy"]?.number,
              let fineTuned = record["finetuned_accuracy"]?.number else { return nil }
        self.init(method: method, fraction: fraction, keptChannels: Int(kept), channels: Int(channels), keptAliveByFloor: Int(alive),
                  parameters: parameters, macs: macs, prunedAccuracy: pruned, fineTunedAccuracy: fineTuned)
    }

    init(method: String, fraction: Double, keptChannels: Int, channels: Int, keptAliveByFloor: Int, parameters: Double,
         macs: Double, prunedAccuracy: Double, fineTunedAccuracy: Double) {
        self.method = method
        self.fraction = fraction
        self.keptChannels = keptChannels
        self.channels = channels
        self.keptAliveByFloor = keptAliveByFloor
        self.parameters = parameters
        self.macs = macs
        self.prunedAccuracy = prunedAccuracy
        self.fineTunedAccuracy = fineTunedAccuracy
    }
}

/// One method's curves over the fractions, the mean over the runs given (error bars: the std
/// over them when there are several).
public struct SweepCurve {
    public let method: String
    public let fractions: [Double]
    public let pruned: [Double], fineTuned: [Double]
    public let prunedErrors: [Double]?, fineTunedErrors: [Double]?
    public let parameters: [Double], macs: [Double]

    /// The curves of every method, in the order the methods ran, from each run's points
    /// (one run, or one per seed); nil when the runs did not sweep the same methods and fractions.
    static func curves(_ runs: [[SweepPoint]]) -> [SweepCurve]? {
        guard let first = runs.first, !first.isEmpty else { return nil }
        let layout = first.map { "\($0.method)@\($0.fraction)" }
        guard runs.allSatisfy({ $0.map { "\($0.method)@\($0.fraction)" } == layout }) else { return nil }
        var methods: [String] = []
        for point in first where !methods.contains(point.method) { methods.append(point.method) }
        return methods.map { method in
            let indices = first.indices.filter { first[$0].method == method }
            func stats(_ value: (SweepPoint) -> Double) -> [StudyMerge.Stats] {
                indices.map { index in StudyMerge.stats(runs.map { value($0[index]) }) }
            }
            let pruned = stats(\.prunedAccuracy), fineTuned = stats(\.fineTunedAccuracy)
            return SweepCurve(method: method, fractions: indices.map { first[$0].fraction },
                              pruned: pruned.map(\.mean), fineTuned: fineTuned.map(\.mean),
                              prunedErrors: runs.count > 1 ? pruned.map(\.deviation) : nil,
                              fineTunedErrors: runs.count > 1 ? fineTuned.map(\.deviation) : nil,
                              parameters: stats(\.parameters).map(\.mean), macs: stats(\.macs).map(\.mean))
        }
    }
}

extension Notebook {
    /// The pruning-ratio sweep (`--sweep`) as section `number`: each method prunes its network at
    /// every fraction, the pruned network is evaluated, fine-tuned briefly (`Protocols.sweepFineTuning`,
    /// each fine-tune a cached stage) and evaluated again. Writes the curves, the costs, a table and the
    /// points under `sweep` in the JSON results; when the run does not sweep, one sentence says how to.
    @discardableResult
    public func pruningRatioSweep(number: String, methods: [SweepMethod], options sweep: SweepOptions, on data: LabData,
                                  training config: TrainingConfig,
                                  reference: (name: String, accuracy: Float)) throws -> [SweepPoint] {
        let text = SweepText(language: language)
        section(text.title(number))
        guard sweep.runs(in: options.preset) else {
            prose(text.leftOut)
            return []
        }
        let fractions = sweep.sortedFractions
        let fineTune = Protocols.sweepFineTuning(after: config)
        let fractionList = fractions.map(\.wholePercentText).joined(separator: ", ")
        var points: [SweepPoint] = []
        for method in methods {
            let unpruned = ModelCost(method.network)
            for fraction in fractions {
                let plan = try method.plan(fraction)
                let pruned = method.network.clone()
                try applySurgery(plan, to: pruned)
                let prunedAccuracy = testAccuracy(pruned, on: data)
                let stage = Stage(id: "sweep: \(method.name) at \(fraction)",
                                  label: text.stageLabel(method: text.method(method.name), fraction: fraction.wholePercentText))
                let records = try train(stage, pruned, on: data, config: fineTune, describe: false, inTrainingCurves: false)
                // The trainer evaluates on the whole test set after every epoch: the last is the fine-tuned network's.
                let fineTunedAccuracy = records.last?.testAccuracy ?? testAccuracy(pruned, on: data)
                let cost = ModelCost(pruned)
                points.append(SweepPoint(method: method.name, fraction: fraction, keptChannels: plan.keptChannelCount,
                                         channels: plan.originalChannelCount, keptAliveByFloor: plan.floorAdjustments.count,
                                         parameters: Double(cost.parameters) / Double(unpruned.parameters),
                                         macs: Double(cost.multiplyAccumulates) / Double(unpruned.multiplyAccumulates),
                                         prunedAccuracy: Double(prunedAccuracy), fineTunedAccuracy: Double(fineTunedAccuracy)))
                print(String(format: "  %@ at %@: %.2f%% pruned, %.2f%% fine-tuned", method.name, fraction.wholePercentText,
                             prunedAccuracy * 100, fineTunedAccuracy * 100))
            }
        }
        metric("sweep", MetricValue.record(["reference": .text(reference.name), "reference_accuracy": .number(Double(reference.accuracy)),
                                            "fine_tune_epochs": .number(Double(fineTune.epochs)),
                                            "fine_tune_learning_rate": .number(Double(fineTune.learningRate)),
                                            "points": .list(points.map(\.metricValue))]))
        prose(text.intro(fractions: fractionList, methods: methods.map { $0.description(language) }, epochs: fineTune.epochs,
                         learningRate: fineTune.learningRate))
        let curves = SweepCurve.curves([points]) ?? []
        try figure("sweep-accuracy", caption: text.accuracyCaption(epochs: fineTune.epochs, reference: reference.name),
                   LabCharts.sweepAccuracy(curves, reference: (reference.name, Double(reference.accuracy)), language: language))
        try figure("sweep-cost", caption: text.costCaption, LabCharts.sweepCost(curves, language: language))
        table(headers: text.tableHeaders,
              rows: points.map { point in
                  [.text(text.method(point.method)), .text(point.fraction.wholePercentText),
                   .text(text.kept(point.keptChannels, of: point.channels)),
                   .percent(point.parameters), .percent(point.macs), .percent(point.prunedAccuracy, decimals: 2),
                   .percent(point.fineTunedAccuracy, decimals: 2)]
              })
        prose(sweepFindings(curves, reference: reference, text) + floorNote(points, text))
        return points
    }

    /// Per method, how far it prunes within a point of the reference after fine-tuning, and how
    /// often it beats random channels at the same fraction.
    private func sweepFindings(_ curves: [SweepCurve], reference: (name: String, accuracy: Float), _ text: SweepText) -> String {
        let random = curves.first { $0.method == "random" }
        let entries = curves.map { curve -> String in
            let within = curve.fractions.indices.filter { curve.fineTuned[$0] >= Double(reference.accuracy) - 0.01 }
            var entry = text.method(curve.method) + " " + (within.last.map { index in
                text.withinAPoint(fraction: curve.fractions[index].wholePercentText,
                                  parameters: curve.parameters[index].wholePercentText, macs: curve.macs[index].wholePercentText)
            } ?? text.noneWithinAPoint)
            if let random, curve.method != "random" {
                let wins = curve.fractions.indices.filter { curve.fineTuned[$0] > random.fineTuned[$0] }.count
                entry += text.beatsRandom(wins, of: curve.fractions.count)
            }
            return entry
        }
        return text.findings(reference: reference.name, accuracy: reference.accuracy.percentText, entries: entries)
    }

    /// Where the floor of one channel per layer kept layers alive, or nothing.
    private func floorNote(_ points: [SweepPoint], _ text: SweepText) -> String {
        text.floorNote(points.filter { $0.keptAliveByFloor > 0 }.map {
            (text.method($0.method), $0.fraction.wholePercentText, $0.keptAliveByFloor)
        })
    }
}

extension StudyMerge {
    /// A study's pruning-ratio sweep over its seeds, when every job swept the same methods and
    /// fractions: a table and the accuracy curves, mean ± one standard deviation per fraction.
    static func sweepSummary(_ jobs: [Job], figuresLink: String, language: Language,
                             into section: inout MarkdownDocument) throws -> (name: String, png: Data)? {
        let text = SweepText(language: language)
        let sweeps = jobs.compactMap { $0.metrics["sweep"]?.record }
        let runs = sweeps.map { $0["points"]?.list?.compactMap(SweepPoint.init) ?? [] }
        guard jobs.count > 1, sweeps.count == jobs.count, let curves = SweepCurve.curves(runs) else { return nil }
        let reference = (name: sweeps[0]["reference"]?.text ?? "baseline",
                         accuracy: stats(sweeps.map { $0["reference_accuracy"]?.number ?? .nan }).mean)
        let epochs = Int(sweeps[0]["fine_tune_epochs"]?.number ?? 0)
        section.paragraph(text.seedsIntro(seeds: jobs.count, epochs: epochs))
        func cell(_ mean: Double, _ deviation: Double?) -> TableCell {
            .text(String(format: "%.2f ± %.2f", 100 * mean, 100 * (deviation ?? 0)))
        }
        section.table(headers: text.seedsHeaders, rows: curves.flatMap { curve in
            curve.fractions.indices.map { index in
                [.text(text.method(curve.method)), .text(curve.fractions[index].wholePercentText),
                 cell(curve.pruned[index], curve.prunedErrors?[index]), cell(curve.fineTuned[index], curve.fineTunedErrors?[index])]
            }
        })
        let chart = LabCharts.sweepAccuracy(curves, reference: reference, language: language)
        let png = try chart.renderPNG(width: 800, height: 500, scale: 2)
        let caption = text.seedsCaption(seeds: jobs.count, reference: reference.name)
        section.raw("![\(caption)](\(figuresLink)sweep-accuracy-seeds.png)\n\n*\(caption)*")
        return ("sweep-accuracy-seeds.png", png)
    }
}
