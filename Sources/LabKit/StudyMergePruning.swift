import Foundation
import Reports

extension StudyMerge {
    /// What pruning removed, over the seeds: each pruned network's prunable channels, parameters and
    /// multiply-accumulates against its baseline (the records of `Notebook.modelTable`), and, for
    /// slimming, how well its threshold separated the channels in every seed, so a reader sees both
    /// for every seed, not only in the first seed's walkthrough.
    static func pruningSummary(_ jobs: [Job], text: StudyText, into section: inout MarkdownDocument) {
        let removals = removedFractions(jobs)
        if !removals.isEmpty {
            // Jobs that ran before the model records counted channels give no channel column.
            let withChannels = removals.contains { $0.channels != nil }
            section.paragraph(text.removedIntro)
            section.table(headers: text.removedHeaders(channels: withChannels),
                          rows: removals.map { removal in
                              [.text(removal.network)] + (withChannels ? [.text(removal.channels.map { meanAndDeviation($0, decimals: 1) } ?? "–")] : [])
                                  + [.text(meanAndDeviation(removal.parameters, decimals: 1)), .text(meanAndDeviation(removal.macs, decimals: 1))]
                          })
        }
        let separations = jobs.compactMap { job in job.metrics["separation"]?.number.map { (seed: job.seed, value: $0) } }
        if !separations.isEmpty { section.paragraph(text.separations(separations)) }
    }

    /// Per pruned network, the fraction of its baseline's prunable channels, parameters and
    /// multiply-accumulates removed, over the seeds that recorded them (channels only when every seed
    /// did). A lab's model tables name their baselines ("baseline", "PreResNet-20 baseline", "基线 [32, 64, 64]");
    /// a pruned network is set against the baseline whose name shares the longest beginning with its own
    /// ("ResNet-20 L1-pruned" against "ResNet-20 baseline").
    static func removedFractions(_ jobs: [Job]) -> [(network: String, channels: Stats?, parameters: Stats, macs: Stats)] {
        let names = jobs[0].metrics.keys.filter { $0.hasPrefix("models.") }.map { String($0.dropFirst("models.".count)) }.sorted()
        let baselines = names.filter(isBaseline)
        guard !baselines.isEmpty else { return [] }
        return names.filter { !isBaseline($0) }.compactMap { name in
            let baseline = baselines.max { sharedBeginning($0, name) < sharedBeginning($1, name) }!
            var removed: [String: [Double]] = [:]
            for job in jobs {
                guard let pruned = job.metrics["models.\(name)"]?.record, let base = job.metrics["models.\(baseline)"]?.record
                else { continue }
                for measure in ["channels", "parameters", "macs"] {
                    if let kept = pruned[measure]?.number, let whole = base[measure]?.number, whole > 0 {
                        removed[measure, default: []].append(1 - kept / whole)
                    }
                }
            }
            guard let parameters = removed["parameters"], let macs = removed["macs"] else { return nil }
            let channels = removed["channels"].flatMap { $0.count == parameters.count ? stats($0) : nil }
            return (name, channels, stats(parameters), stats(macs))
        }
    }

    static func isBaseline(_ name: String) -> Bool { name.contains("baseline") || name.contains("基线") }

    static func sharedBeginning(_ a: String, _ b: String) -> Int {
        zip(a, b).prefix { $0 == $1 }.count
    }
}
