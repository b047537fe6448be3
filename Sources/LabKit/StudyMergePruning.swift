import Foundation
import Reports

extension StudyMerge {
    /// What pruning removed, over the seeds: each pruned network's parameters and multiply-accumulates
    /// against its baseline (the records of `Notebook.modelTable`), and, for slimming, how well its
    /// threshold separated the channels in every seed (the bar is under 0.1), so a reader can
    /// check both without opening every seed's walkthrough.
    static func pruningSummary(_ jobs: [Job], text: StudyText, into section: inout MarkdownDocument) {
        let removals = removedFractions(jobs)
        if !removals.isEmpty {
            section.paragraph(text.removedIntro)
            section.table(headers: text.removedHeaders,
                          rows: removals.map { [.text($0.network), .text(percentSpread($0.parameters)), .text(percentSpread($0.macs))] })
        }
        let separations = jobs.compactMap { job in job.metrics["separation"]?.number.map { (seed: job.seed, value: $0) } }
        if !separations.isEmpty { section.paragraph(text.separations(separations)) }
    }

    /// `86.1 ± 0.4`: a fraction's mean ± standard deviation over the seeds, in %.
    static func percentSpread(_ stats: Stats) -> String {
        String(format: "%.1f ± %.1f", 100 * stats.mean, 100 * stats.deviation)
    }

    /// Per pruned network, the fraction of its baseline's parameters and multiply-accumulates removed,
    /// over the seeds that recorded both. A lab's model tables name their baselines ("baseline",
    /// "PreResNet-20 baseline", "基线 [32, 64, 64]"); a pruned network is set against the baseline whose
    /// name shares the longest beginning with its own ("ResNet-20 L1-pruned" against "ResNet-20 baseline").
    static func removedFractions(_ jobs: [Job]) -> [(network: String, parameters: Stats, macs: Stats)] {
        let names = jobs[0].metrics.keys.filter { $0.hasPrefix("models.") }.map { String($0.dropFirst("models.".count)) }.sorted()
        let baselines = names.filter(isBaseline)
        guard !baselines.isEmpty else { return [] }
        return names.filter { !isBaseline($0) }.compactMap { name in
            let baseline = baselines.max { sharedBeginning($0, name) < sharedBeginning($1, name) }!
            var parameters: [Double] = [], macs: [Double] = []
            for job in jobs {
                guard let pruned = job.metrics["models.\(name)"]?.record, let base = job.metrics["models.\(baseline)"]?.record,
                      let prunedParameters = pruned["parameters"]?.number, let baseParameters = base["parameters"]?.number,
                      let prunedMACs = pruned["macs"]?.number, let baseMACs = base["macs"]?.number,
                      baseParameters > 0, baseMACs > 0 else { continue }
                parameters.append(1 - prunedParameters / baseParameters)
                macs.append(1 - prunedMACs / baseMACs)
            }
            return parameters.isEmpty ? nil : (name, stats(parameters), stats(macs))
        }
    }

    static func isBaseline(_ name: String) -> Bool { name.contains("baseline") || name.contains("基线") }

    static func sharedBeginning(_ a: String, _ b: String) -> Int {
        zip(a, b).prefix { $0 == $1 }.count
    }
}
