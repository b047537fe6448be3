import Networks
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
                                 bins: Int = 60, logY: Bool = false, markers: [(label: String, x: Double)] = []) -> HistogramChart {
        HistogramChart(title: title, xLabel: xLabel, yLabel: logY ? "count (log scale)" : "count",
                       series: series.map { HistogramSeries(name: $0.name, values: $0.values) },
                       bins: bins, logarithmicY: logY, markers: markers.map { MarkerLine(at: $0.x, label: $0.label) })
    }

    /// Bars per category for each series (e.g. channels per layer: original vs kept).
    public static func groupedBars(title: String, xLabel: String = "", yLabel: String, categories: [String],
                                   series: [(name: String, values: [Double])]) -> BarChart {
        BarChart(title: title, xLabel: xLabel, yLabel: yLabel, categories: categories,
                 series: series.map { BarSeries(name: $0.name, values: $0.values) })
    }

    /// Test accuracy (in %) of each stage, in the order given.
    /// With `errors` (one per stage, e.g. the standard deviation over seeds) each bar has an error bar.
    public static func accuracyBars(_ stages: [(stage: String, accuracy: Float)], errors: [Float]? = nil) -> BarChart {
        BarChart(title: "Test accuracy by stage", yLabel: "Test accuracy (%)", categories: stages.map(\.stage),
                 series: [BarSeries(name: "test accuracy", values: stages.map { Double($0.accuracy) * 100 },
                                    errors: errors?.map { Double($0) * 100 })],
                 valueDecimals: 2)
    }

    /// Test accuracy (in %) of each stage against a swept setting such as the fraction pruned:
    /// one line per stage through its means, error bars ± `errors` (e.g. the std over seeds).
    public static func accuracyAgainst(title: String, xLabel: String, x: [Double],
                                       stages: [(stage: String, means: [Double], errors: [Double])]) -> LineChart {
        LineChart(title: title, xLabel: xLabel, yLabel: "Test accuracy (%)",
                  series: stages.map { LineSeries(name: $0.stage, x: x, y: $0.means.map { $0 * 100 },
                                                  errors: $0.errors.map { $0 * 100 }) },
                  showMarkers: true)
    }

    /// Test accuracy per epoch of each training stage.
    public static func trainingCurves(_ histories: [StageHistory]) -> LineChart {
        LineChart(title: "Training curves", xLabel: "Epoch", yLabel: "Test accuracy (%)",
                  series: histories.map { history in
                      LineSeries(name: history.stage, x: history.records.map { Double($0.epoch) },
                                 y: history.records.map { Double($0.testAccuracy) * 100 })
                  })
    }
}
