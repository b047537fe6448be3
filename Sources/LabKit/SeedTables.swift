import Foundation
import Reports

/// What a paper claims about accuracy `first` against accuracy `second`, so that a table can
/// say whether this run agrees.
public enum PaperClaim: String, Sendable, CaseIterable {
    /// `first` matches or beats `second` (rethinking: scratch-B against fine-tuning).
    case matchesOrBeats = "matches-or-beats"
    /// `first` beats `second` (the lottery ticket at a small learning rate).
    case beats
    /// `first` is no better than `second` (the lottery ticket at the usual learning rate).
    case noBetter = "no-better"

    /// Whether a difference `first − second` of `difference` with spread `noise` agrees.
    public func agrees(difference: Double, noise: Double) -> Bool {
        switch self {
        case .matchesOrBeats: difference >= -noise
        case .beats: difference > noise
        case .noBetter: difference <= noise
        }
    }
}

/// A cell of a table whose numbers a study gives over its seeds (`Notebook.seedTable`).
public enum SeedTableCell: Sendable {
    /// Words, the same in every run.
    case text(String)
    /// An accuracy (its key without `accuracy.`), in %: one run's value, a study's mean ± std.
    case accuracy(String)
    /// Whether accuracy `first` − accuracy `second` agrees with `claim`: the difference,
    /// its spread and the verdict ("within noise" when the difference is below its spread).
    case verdict(String, minus: String, PaperClaim)
}

/// The noise a verdict judges a difference against. In one run, the test set's sampling error
/// of the difference of two accuracies p₁, p₂ measured on n images, √(p₁(1−p₁)/n + p₂(1−p₂)/n).
/// Over a study's seeds, the standard deviation of the paired differences, but never less than
/// that sampling error of the two means: every seed is evaluated on the same n images, so seeds
/// that agree cannot make a difference smaller than the test set's error real (two or three seeds
/// can agree closely by chance).
enum VerdictNoise {
    static func sampling(_ first: Double, _ second: Double, testImages: Int) -> Double {
        let n = Double(max(testImages, 1))
        return (first * (1 - first) / n + second * (1 - second) / n).squareRoot()
    }

    static func study(first: [Double], second: [Double], testImages: Int) -> Double {
        study(deviation: StudyMerge.stats(zip(first, second).map { $0 - $1 }).deviation,
              sampling: sampling(StudyMerge.stats(first).mean, StudyMerge.stats(second).mean, testImages: testImages))
    }

    /// The spread of the paired differences over the seeds, floored by the sampling error of the two
    /// means. One seed's deviation is 0, so the sampling error decides there.
    static func study(deviation: Double, sampling: Double) -> Double {
        max(deviation, sampling)
    }
}

extension Notebook {
    /// A table whose accuracies and verdicts a study gives over its seeds: written now with this
    /// run's numbers (a verdict's spread is the test set's sampling error, see `VerdictNoise`), and
    /// recorded so that a study's merge writes it again with the mean ± std over the seeds in its
    /// summary. `name` orders the merged tables and names them; `title` heads them there.
    public func seedTable(_ name: String, title: String, headers: [String], rows: [[SeedTableCell]], testImages: Int) {
        let values = recordedAccuracies()
        let text = SeedTableText(language: language)
        table(headers: headers, rows: rows.map { row in
            row.map { cell in
                switch cell {
                case let .text(words): .text(words)
                case let .accuracy(key): .text(values[key].map { String(format: "%.2f", 100 * $0) } ?? "–")
                case let .verdict(first, second, claim):
                    .text(values[first].flatMap { a in values[second].map { b in
                        let noise = VerdictNoise.sampling(a, b, testImages: testImages)
                        return text.verdict(claim, difference: a - b, spread: noise, noise: noise)
                    } } ?? "–")
                }
            }
        })
        metric("seed_table.\(name)", MetricValue.record([
            "title": .text(title), "headers": .list(headers.map { .text($0) }),
            "rows": .list(rows.map { row in .list(row.map(\.metricValue)) }),
        ]))
    }

    /// Grouped bars of accuracies (one group per category, one bar per series, each bar an
    /// accuracy key): drawn now with this run's values, and recorded so that a study's merge
    /// draws them again with the mean over the seeds and error bars of ± one standard deviation.
    public func seedBars(_ name: String, caption: String, title: String, categories: [String],
                         series: [(name: String, keys: [String?])], width: Int? = nil) throws {
        let values = recordedAccuracies()
        try figure(name, caption: caption,
                   LabCharts.groupedAccuracyBars(title: title, categories: categories, series: series.map { item in
                       (item.name, item.keys.map { key in key.flatMap { values[$0] } ?? .nan }, nil)
                   }, language: language), width: width)
        metric("seed_bars.\(name)", MetricValue.record([
            "title": .text(title), "caption": .text(caption), "categories": .list(categories.map { .text($0) }),
            "series": .list(series.map { item in
                .record(["name": .text(item.name), "keys": .list(item.keys.map { .text($0 ?? "") })])
            }),
        ]))
    }
}

extension SeedTableCell {
    var metricValue: MetricValue {
        switch self {
        case let .text(words): .record(["text": .text(words)])
        case let .accuracy(key): .record(["accuracy": .text(key)])
        case let .verdict(first, second, claim):
            .record(["first": .text(first), "second": .text(second), "claim": .text(claim.rawValue)])
        }
    }

    init?(_ value: MetricValue) {
        guard let record = value.record else { return nil }
        if let words = record["text"]?.text { self = .text(words) }
        else if let key = record["accuracy"]?.text { self = .accuracy(key) }
        else if let first = record["first"]?.text, let second = record["second"]?.text,
                let claim = record["claim"]?.text.flatMap(PaperClaim.init(rawValue:)) {
            self = .verdict(first, minus: second, claim)
        } else { return nil }
    }
}

extension LabCharts {
    /// Test accuracy (in %) as grouped bars: one group per category, one bar per series (NaN:
    /// no bar), with error bars (e.g. ± one standard deviation over seeds) when given.
    public static func groupedAccuracyBars(title: String, categories: [String],
                                           series: [(name: String, values: [Double], errors: [Double]?)],
                                           language: Language = .en) -> BarChart {
        BarChart(title: title, yLabel: ChartText(language: language).testAccuracyAxis, categories: categories,
                 series: series.map { BarSeries(name: $0.name, values: $0.values.map { $0 * 100 },
                                                errors: $0.errors?.map { $0 * 100 }) },
                 valueDecimals: 2)
    }
}

extension StudyMerge {
    /// The tables and bars the lab recorded with `seedTable` and `seedBars`, over the seeds of
    /// `jobs`: each accuracy as mean ± std, each verdict judged against `VerdictNoise.study`.
    static func seedTables(_ jobs: [Job], figuresLink: String, text: StudyText,
                           into section: inout MarkdownDocument) throws -> [(name: String, png: Data)] {
        let verdicts = SeedTableText(language: text.language)
        let first = jobs[0].metrics
        let testImages = testImages(jobs)
        func values(_ key: String) -> [Double]? {
            let values = jobs.compactMap { $0.accuracies["accuracy." + key] }
            return values.count == jobs.count && !values.isEmpty ? values : nil
        }
        for (name, value) in first.filter({ $0.key.hasPrefix("seed_table.") }).sorted(by: { $0.key < $1.key }) {
            guard let record = value.record, let headers = record["headers"]?.list?.compactMap(\.text),
                  let rows = record["rows"]?.list?.compactMap({ $0.list?.compactMap(SeedTableCell.init) }) else { continue }
            section.paragraph("**\(record["title"]?.text ?? String(name.dropFirst("seed_table.".count)))**")
            section.table(headers: headers, rows: rows.map { row in
                row.map { cell -> TableCell in
                    switch cell {
                    case let .text(words): return .text(words)
                    case let .accuracy(key): return .text(values(key).map { meanAndDeviation(stats($0)) } ?? "–")
                    case let .verdict(a, b, claim):
                        guard let first = values(a), let second = values(b) else { return .text("–") }
                        let difference = stats(zip(first, second).map { $0 - $1 })
                        let noise = VerdictNoise.study(first: first, second: second, testImages: testImages)
                        return .text(verdicts.verdict(claim, difference: difference.mean,
                                                      spread: jobs.count > 1 ? difference.deviation : noise, noise: noise))
                    }
                }
            })
        }
        if first.keys.contains(where: { $0.hasPrefix("seed_table.") }) { section.paragraph(verdicts.studyNote(seeds: jobs.count, testImages: testImages)) }
        var charts: [(name: String, png: Data)] = []
        for (key, value) in first.filter({ $0.key.hasPrefix("seed_bars.") }).sorted(by: { $0.key < $1.key }) {
            guard let record = value.record, let categories = record["categories"]?.list?.compactMap(\.text),
                  let series = record["series"]?.list?.compactMap(\.record) else { continue }
            let name = String(key.dropFirst("seed_bars.".count)) + "-seeds.png"
            let chart = LabCharts.groupedAccuracyBars(
                title: record["title"]?.text ?? "", categories: categories,
                series: series.map { item in
                    let statistics = (item["keys"]?.list?.compactMap(\.text) ?? []).map { key in
                        key.isEmpty ? nil : values(key).map(stats)
                    }
                    return (item["name"]?.text ?? "", statistics.map { $0?.mean ?? .nan }, statistics.map { $0?.deviation ?? .nan })
                }, language: text.language)
            charts.append((name, try chart.renderPNG(width: min(1800, max(800, 100 * categories.count * series.count + 200)), height: 500,
                                                      scale: 2)))
            let caption = verdicts.seedsCaption(record["caption"]?.text ?? "", seeds: jobs.count)
            section.raw("![\(caption)](\(figuresLink)\(name))\n\n*\(caption)*")
        }
        return charts
    }
}
