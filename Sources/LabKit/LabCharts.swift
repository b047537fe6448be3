import Networks
import Pruning
import Reports

/// The charts every lab draws, built from lab data (the `Reports` target knows no networks).
public enum LabCharts {
    /// A line chart of several (x, y) series; `referenceY` adds a flat line such as the baseline's accuracy.
    public static func lines(title: String, xLabel: String, yLabel: String,
                             series: [(name: String, x: [Double], y: [Double])],
                             referenceY: (name: String, y: Double)? = nil) -> LineChart {
        var lines = series.map { LineSeries(name: $0.name, x: $0.x, y: $0.y) }
        if let referenceY, let low = series.flatMap(\.x).min(), let high = series.flatMap(\.x).max() {
            lines.append(LineSeries(name: referenceY.name, x: [low, high], y: [referenceY.y, referenceY.y]))
        }
        return LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: lines)
    }

    /// Overlaid histograms of several samples, with optional labelled vertical markers.
    public static func histogram(title: String, xLabel: String, series: [(name: String, values: [Float])],
                                 bins: Int = 60, logY: Bool = false, markers: [(label: String, x: Double)] = [],
                                 language: Language = .en) -> HistogramChart {
        let text = ChartText(language: language)
        return HistogramChart(title: title, xLabel: xLabel, yLabel: logY ? text.countLogScale : text.count,
                       series: series.map { HistogramSeries(name: $0.name, values: $0.values) },
                       bins: bins, logarithmicY: logY, markers: markers.map { MarkerLine(at: $0.x, label: $0.label) })
    }

    /// Bars per category for each series (e.g. channels per layer: original vs kept).
    public static func groupedBars(title: String, xLabel: String = "", yLabel: String, categories: [String],
                                   series: [(name: String, values: [Double])]) -> BarChart {
        BarChart(title: title, xLabel: xLabel, yLabel: yLabel, categories: categories,
                 series: series.map { BarSeries(name: $0.name, values: $0.values) })
    }

    /// Channels per channel group of `original`, one category per group in the network's order:
    /// the group's channels, then per plan the channels it keeps (the whole group when the plan
    /// leaves it out). For a selected group (DenseNet, a pre-activation block's input) these are
    /// the channels the layer behind the selection reads.
    public static func channelsPerGroup(original: Network, plans: [(label: String, plan: PruningPlan)], title: String,
                                        yLabel: String, originalLabel: String,
                                        groupLabel: (ChannelGroup) -> String = \.name) -> BarChart {
        let groups = original.channelGroups
        var series: [(name: String, values: [Double])] = [(originalLabel, groups.map { Double($0.channelCount) })]
        for (label, plan) in plans {
            series.append((label, groups.map { Double(plan.keptPositions[$0.name]?.count ?? $0.channelCount) }))
        }
        return groupedBars(title: title, yLabel: yLabel, categories: groups.map(groupLabel), series: series)
    }

    /// Test accuracy (in %) of each stage, in the order given, one bar per stage, grouped and
    /// coloured by the network it was measured on (a blank slot between networks). With
    /// `errors` (one per stage, e.g. the standard deviation over seeds) each bar has an error bar.
    public static func accuracyBars(_ stages: [(stage: String, network: String, accuracy: Float)],
                                    errors: [Float]? = nil, language: Language = .en) -> BarChart {
        let text = ChartText(language: language)
        var networks: [String] = []
        for stage in stages where !networks.contains(stage.network) { networks.append(stage.network) }
        // Stages in network order (each network's stages keep theirs), a blank slot between networks.
        var categories: [String] = [], stageOfSlot: [Int?] = []
        for (index, network) in networks.enumerated() {
            if index > 0 {
                categories.append("")
                stageOfSlot.append(nil)
            }
            for (stageIndex, stage) in stages.enumerated() where stage.network == network {
                categories.append(stage.stage)
                stageOfSlot.append(stageIndex)
            }
        }
        let series = networks.map { network in
            BarSeries(name: network.isEmpty ? text.testAccuracy : network,
                      values: stageOfSlot.map { slot in
                          slot.flatMap { stages[$0].network == network ? Double(stages[$0].accuracy) * 100 : nil } ?? .nan
                      },
                      errors: errors.map { errors in stageOfSlot.map { slot in slot.map { Double(errors[$0]) * 100 } ?? .nan } })
        }
        return BarChart(title: text.accuracyByStage, yLabel: text.testAccuracyAxis, categories: categories,
                        series: series, valueDecimals: 2, seriesShareSlots: true)
    }

    /// `accuracyBars` from the networks themselves.
    public static func accuracyBars(_ stages: [(stage: String, network: Network, accuracy: Float)],
                                    language: Language = .en) -> BarChart {
        accuracyBars(stages.map { ($0.stage, networkName($0.network, language), $0.accuracy) }, language: language)
    }

    /// A network's name in figures: its family and depth, e.g. `PreResNet-20`, `VGG-11`, `SmallCNN`.
    public static func networkName(_ network: Network, _ language: Language = .en) -> String {
        let family = switch network.family {
        case .mlp: "MLP"
        case .smallCNN: "SmallCNN"
        case .vgg: "VGG"
        case .resnet: "ResNet"
        case .preresnet: "PreResNet"
        case .densenet: "DenseNet"
        case .custom: ChartText(language: language).network
        }
        return family + (network.depth.map { "-\($0)" } ?? "")
    }

    /// Test accuracy (in %) of each stage against a swept setting such as the fraction pruned:
    /// one line per stage through its means, error bars ± `errors` (e.g. the std over seeds).
    public static func accuracyAgainst(title: String, xLabel: String, x: [Double],
                                       stages: [(stage: String, means: [Double], errors: [Double])],
                                       language: Language = .en) -> LineChart {
        LineChart(title: title, xLabel: xLabel, yLabel: ChartText(language: language).testAccuracyAxis,
                  series: stages.map { LineSeries(name: $0.stage, x: x, y: $0.means.map { $0 * 100 },
                                                  errors: $0.errors.map { $0 * 100 }) },
                  showMarkers: true)
    }

    /// The pruning-ratio sweep: test accuracy (%) against the fraction of channels removed (%), one
    /// colour and marker per method, dashed right after pruning and solid after the short fine-tune,
    /// error bars when the curves have them (a study's std over seeds), `reference` as a black line.
    public static func sweepAccuracy(_ curves: [SweepCurve], reference: (name: String, accuracy: Double),
                                     language: Language = .en) -> LineChart {
        let text = SweepText(language: language)
        var series: [LineSeries] = []
        for (index, curve) in curves.enumerated() {
            let x = curve.fractions.map { $0 * 100 }
            series.append(LineSeries(name: text.prunedSeries(text.method(curve.method)), x: x, y: curve.pruned.map { $0 * 100 },
                                     errors: curve.prunedErrors?.map { $0 * 100 }, color: Palette.color(index),
                                     marker: MarkerShape.forSeries(index), dashed: true))
            series.append(LineSeries(name: text.fineTunedSeries(text.method(curve.method)), x: x, y: curve.fineTuned.map { $0 * 100 },
                                     errors: curve.fineTunedErrors?.map { $0 * 100 }, color: Palette.color(index),
                                     marker: MarkerShape.forSeries(index)))
        }
        let fractions = curves.flatMap(\.fractions)
        if let low = fractions.min(), let high = fractions.max() {
            series.append(LineSeries(name: reference.name, x: [low * 100, high * 100],
                                     y: [reference.accuracy * 100, reference.accuracy * 100], color: Palette.black,
                                     marker: .plus))
        }
        return LineChart(title: text.accuracyTitle, xLabel: text.channelsRemovedAxis,
                         yLabel: ChartText(language: language).testAccuracyAxis, series: series, showMarkers: true)
    }

    /// Parameters and MACs left (% of the unpruned network) against the fraction of channels
    /// removed, one panel each; methods with the same costs (random at L1 norm's widths) share a line.
    public static func sweepCost(_ curves: [SweepCurve], language: Language = .en) -> SmallMultiples {
        let text = SweepText(language: language)
        var distinct: [(names: [String], index: Int, curve: SweepCurve)] = []
        for (index, curve) in curves.enumerated() {
            if let same = distinct.firstIndex(where: {
                $0.curve.fractions == curve.fractions && $0.curve.parameters == curve.parameters && $0.curve.macs == curve.macs
            }) {
                distinct[same].names.append(text.method(curve.method))
            } else {
                distinct.append(([text.method(curve.method)], index, curve))
            }
        }
        func panel(_ title: String, _ value: @escaping (SweepCurve) -> [Double]) -> LineChart {
            LineChart(title: title, xLabel: text.channelsRemovedAxis, yLabel: text.leftAxis,
                      series: distinct.map { names, index, curve in
                          LineSeries(name: names.joined(separator: text.and), x: curve.fractions.map { $0 * 100 },
                                     y: value(curve).map { $0 * 100 }, color: Palette.color(index),
                                     marker: MarkerShape.forSeries(index))
                      },
                      showMarkers: true, yRange: 0...100)
        }
        return SmallMultiples(title: text.costTitle,
                              panels: [panel(text.parametersLeft, \.parameters), panel(text.macsLeft, \.macs)], columns: 2)
    }

    /// Training curves as small multiples: one row per network (every stage that trained it),
    /// test accuracy on the left and training loss on the right. Runs from scratch are dashed;
    /// within a row each stage has its own colour and marker, the same in both panels.
    public static func trainingCurves(_ histories: [StageHistory], _ language: Language = .en) -> SmallMultiples {
        let text = ChartText(language: language)
        var networks: [String] = []
        for history in histories where !networks.contains(history.network) { networks.append(history.network) }
        var panels: [any Chart] = []
        for network in networks {
            let stages = histories.filter { $0.network == network }
            func series(_ value: @escaping (EpochRecord) -> Double) -> [LineSeries] {
                stages.enumerated().map { index, history in
                    LineSeries(name: history.stage, x: history.records.map { Double($0.epoch) }, y: history.records.map(value),
                               color: Palette.color(index), marker: MarkerShape.forSeries(index),
                               dashed: history.id.lowercased().hasPrefix("scratch"))
                }
            }
            panels.append(LineChart(title: text.accuracyPanel(network), xLabel: text.epoch, yLabel: text.testAccuracyAxis,
                                    series: series { Double($0.testAccuracy) * 100 }, showMarkers: true))
            panels.append(LineChart(title: text.lossPanel(network), xLabel: text.epoch, yLabel: text.trainingLoss,
                                    series: series { Double($0.trainLoss) }, showMarkers: true))
        }
        return SmallMultiples(title: text.trainingCurves, panels: panels, columns: 2)
    }

    /// One histogram per layer of the |γ| that score its channels, on one |γ| axis for all
    /// layers, with the global threshold dashed; each panel's title says how many channels stay.
    public static func gammaPerLayer(_ layers: [(label: String, gammas: [Float], kept: Int)], threshold: Float,
                                     _ language: Language = .en) -> SmallMultiples {
        let text = ChartText(language: language)
        let largest = Double(layers.flatMap(\.gammas).max() ?? 1)
        let upper = max(largest, Double(threshold)) * 1.02
        let panels: [any Chart] = layers.map { layer in
            HistogramChart(title: text.keptPanel(layer.label, kept: layer.kept, of: layer.gammas.count), xLabel: "|γ|",
                           yLabel: text.count,
                           series: [HistogramSeries(name: "", values: layer.gammas)], bins: 20,
                           range: 0...(upper > 0 ? upper : 1),
                           markers: [MarkerLine(at: Double(threshold), label: "", color: Palette.vermillion)])
        }
        return SmallMultiples(title: text.gammaPerLayer(threshold: threshold),
                              panels: panels, columns: min(5, max(1, layers.count)))
    }

    /// The size a chart was laid out for: a diagram's own, small multiples' panels times the grid,
    /// 800×500 points for any other chart.
    static func naturalSize(of chart: any Chart) -> (width: Int, height: Int) {
        if let diagram = chart as? Diagram { return (Int(diagram.width.rounded(.up)), Int(diagram.height.rounded(.up))) }
        if let grid = chart as? SmallMultiples {
            let panel = grid.columns >= 4 ? (width: 300, height: 210) : (width: 560, height: 340)
            return (panel.width * grid.columns, panel.height * grid.rows + 36)
        }
        return (800, 500)
    }
}
