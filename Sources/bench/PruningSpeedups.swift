import Foundation
import Networks
import Pruning
import Tensors

/// The two pruning comparisons of `bench --pruning`, one JSON line each (plus the density sweep
/// that justifies `Linear.defaultSparseInferenceMaxDensity`):
///
/// - structured: VGG-11 at width 0.5 against the same network with about half its MACs removed
///   by a uniform filter-L1 ratio; eval-mode latency at batch 64 through `measureLatency`.
/// - slimming: the same VGG-11 pruned by network slimming's global |γ| threshold, with γ
///   spread as after sparsity training (log-uniform over 1e-3…1, seeded) and the percentile
///   chosen (by bisection) so that about half the MACs go; the layers then keep uneven widths.
/// - sparse: the 784-200-200-10 MLP with 95 % of each weight masked, inference at batch 256 on
///   the dense product and on the sparse (CSR) path, with the largest output difference.
func printPruningSpeedups(steps: Int) throws {
    let runs = max(steps, 15)

    let vgg = Network.vgg(depth: 11, widthMultiplier: 0.5, seed: 1)
    let fullMACs = ModelCost(vgg).multiplyAccumulates
    let plan = try PruningPlan.ratio(matchingMACs: fullMACs / 2, of: vgg)
    let pruned = vgg.clone()
    try applySurgery(plan, to: pruned)
    let prunedMACs = ModelCost(pruned).multiplyAccumulates
    let (denseLatency, prunedLatency) = alternatingLatencies(vgg, pruned, runs: runs)
    print(json([
        ("comparison", "\"structured\""), ("model", "\"vgg11-w0.5\""), ("batch", "64"),
        ("cfg", "\"\(pruned.cfg.map(String.init).joined(separator: " "))\""),
        ("macs", "\(fullMACs)"), ("pruned_macs", "\(prunedMACs)"),
        ("mac_ratio", String(format: "%.3f", Double(fullMACs) / Double(prunedMACs))),
        ("dense_ms", String(format: "%.2f", denseLatency)), ("pruned_ms", String(format: "%.2f", prunedLatency)),
        ("speedup", String(format: "%.2f", denseLatency / prunedLatency)),
    ]))

    // Slimming: γ as sparsity training leaves it, then the global percentile for half the MACs.
    let slimmable = vgg.clone()
    var gammaRNG = SeededGenerator(seed: 5)
    for batchNorm in slimmable.batchNorms {
        for ch in 0..<batchNorm.channels { batchNorm.weight.value[ch] = Float(pow(10, gammaRNG.uniform(-3, 0))) }
    }
    var (low, high) = (0.0, 0.95)
    for _ in 0..<30 {
        let percent = (low + high) / 2
        let trial = slimmable.clone()
        try applySurgery(PruningPlan.globalPercentile(percent, for: trial), to: trial)
        if ModelCost(trial).multiplyAccumulates > fullMACs / 2 { low = percent } else { high = percent }
    }
    let slimmed = slimmable.clone()
    try applySurgery(PruningPlan.globalPercentile(high, for: slimmed), to: slimmed)
    let slimmedMACs = ModelCost(slimmed).multiplyAccumulates
    let (denseAgain, slimmedLatency) = alternatingLatencies(vgg, slimmed, runs: runs)
    print(json([
        ("comparison", "\"slimming\""), ("model", "\"vgg11-w0.5\""), ("batch", "64"),
        ("percent", String(format: "%.3f", high)),
        ("cfg", "\"\(slimmed.cfg.map(String.init).joined(separator: " "))\""),
        ("macs", "\(fullMACs)"), ("pruned_macs", "\(slimmedMACs)"),
        ("mac_ratio", String(format: "%.3f", Double(fullMACs) / Double(slimmedMACs))),
        ("dense_ms", String(format: "%.2f", denseAgain)), ("pruned_ms", String(format: "%.2f", slimmedLatency)),
        ("speedup", String(format: "%.2f", denseAgain / slimmedLatency)),
    ]))

    let batch = 256
    for sparsity in [0.5, 0.7, 0.8, 0.85, 0.9, 0.95] {
        let mlp = Network.mlp(seed: 1)
        MagnitudePruning.prune(mlp, sparsity: sparsity, scope: .layerwise)
        var rng = SeededGenerator(seed: 3)
        let input = Tensor.normal([batch] + mlp.inputShape, using: &rng)
        let linears = mlp.body.allLayers.compactMap { $0 as? Linear }
        func use(sparse: Bool) { for linear in linears { linear.sparseInferenceMaxDensity = sparse ? 1 : 0 } }
        // Each path timed in its own block: a dense product leaves OpenBLAS's threads spinning
        // for a while, which would slow the sparse path if the two alternated.
        func latency(sparse: Bool) -> (Double, Tensor) {
            use(sparse: sparse)
            let output = mlp.forward(input, training: false)
            let seconds = timeIt(repeats: max(runs, 20)) { _ = mlp.forward(input, training: false) }
            return (seconds * 1000, output)
        }
        let (denseMs, denseOut) = latency(sparse: false)
        let (sparseMs, sparseOut) = latency(sparse: true)
        var worstRelative: Float = 0
        for i in 0..<denseOut.count {
            let (a, b) = (denseOut.data[i], sparseOut.data[i])
            worstRelative = max(worstRelative, abs(a - b) / max(abs(a), 1))
        }
        print(json([
            ("comparison", "\"sparse\""), ("model", "\"mlp\""), ("batch", "\(batch)"),
            ("sparsity", String(format: "%.2f", sparsity)),
            ("dense_ms", String(format: "%.3f", denseMs)), ("sparse_ms", String(format: "%.3f", sparseMs)),
            ("speedup", String(format: "%.2f", denseMs / sparseMs)),
            ("max_rel_diff", String(format: "%.1e", Double(worstRelative))),
        ]))
    }
}

/// Median eval-mode latencies (ms, batch 64) of two networks timed in alternation, so a change in
/// machine load hits both alike.
func alternatingLatencies(_ a: Network, _ b: Network, runs: Int) -> (Double, Double) {
    let measured = measureLatencies(of: [a, b], batchSize: 64, runs: runs)
    return (measured[0].medianMilliseconds, measured[1].medianMilliseconds)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// One JSON object from already-encoded values.
func json(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
}
