// The chart gallery: one example of every chart type, written to figures/gallery/ so anyone
// can look at what the reports will contain.
//
//   swift run gallery [folder]                 # default folder: figures/gallery
//   swift run -c release gallery --bench       # time a 1600×1000 histogram of 10 000 samples
import Foundation
import Reports

/// A small seeded generator so the gallery is the same on every run (SplitMix64).
struct ExampleRandom {
    var state: UInt64

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    /// Box–Muller.
    mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        let u = max(uniform(), 1e-12), v = uniform()
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// |γ| of BatchNorm layers before and after sparsity training, as network slimming sees them.
func gammaExample(samples: Int) -> HistogramChart {
    var random = ExampleRandom(state: 42)
    let before = (0..<samples).map { _ in abs(random.normal(mean: 0.5, deviation: 0.12)) }
    let after = (0..<samples).map { _ -> Double in
        random.uniform() < 0.65 ? abs(random.normal(mean: 0, deviation: 0.03)) : abs(random.normal(mean: 0.42, deviation: 0.16))
    }
    let threshold = after.sorted()[Int(Double(after.count) * 0.6)]
    return HistogramChart(
        title: "BatchNorm scaling factors before and after sparsity training",
        xLabel: "|γ|", yLabel: "channels",
        series: [HistogramSeries(name: "before (λ = 0)", values: before),
                 HistogramSeries(name: "after sparsity training (λ = 10⁻⁴)", values: after)],
        bins: 50,
        markers: [MarkerLine(at: threshold, label: String(format: "prune 60%%: |γ| < %.3f", threshold), color: Palette.vermillion)])
}

func writeGallery(to folder: URL) throws {
    var written: [(file: String, caption: String)] = []
    func save(_ chart: some Chart, _ file: String, _ caption: String) throws {
        try chart.write(to: folder.appendingPathComponent(file), width: 800, height: 500, scale: 2)
        written.append((file, caption))
        print("wrote \(folder.appendingPathComponent(file).path)")
    }

    try save(gammaExample(samples: 4_000), "histogram-gamma.png",
             "Overlaid histograms with transparency and a labelled threshold marker.")

    var random = ExampleRandom(state: 7)
    let weights = (0..<20_000).map { _ in abs(random.normal(deviation: 0.05)) * (random.uniform() < 0.1 ? 4 : 1) }
    try save(HistogramChart(title: "Weight magnitudes of conv layers (log count axis)", xLabel: "|w|", yLabel: "weights",
                            series: [HistogramSeries(name: "", values: weights)], bins: 60, logarithmicY: true,
                            markers: [MarkerLine(at: 0.08, label: "magnitude threshold 0.08")]),
             "histogram-log.png", "A single series on a logarithmic count axis.")

    let layers = (1...13).map { "conv\($0)" }
    let original = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    let kept = [49, 64, 128, 128, 256, 254, 238, 163, 41, 27, 31, 38, 62]
    try save(BarChart(title: "Channels per layer: VGG-16 before and after slimming (60%)", xLabel: "layer", yLabel: "channels",
                      categories: layers,
                      series: [BarSeries(name: "original", values: original), BarSeries(name: "kept", values: kept)]),
             "bars-channels.png", "Grouped bars with value labels.")

    try save(BarChart(title: "Test accuracy by pruning method", yLabel: "accuracy (%)",
                      categories: ["weight magnitude", "L1 filter norm", "network slimming"],
                      series: [BarSeries(name: "baseline", values: [93.66, 93.53, 93.66]),
                               BarSeries(name: "pruned", values: [91.02, 64.70, 10.00]),
                               BarSeries(name: "fine-tuned", values: [93.71, 93.40, 93.80])],
                      valueDecimals: 2),
             "bars-accuracy.png", "Three series, two decimals on the value labels.")

    let epochs = 20
    var noise = ExampleRandom(state: 3)
    let train = (1...epochs).map { 95 - 40 * exp(-Double($0) / 3.5) + noise.normal(deviation: 0.4) }
    let test = (1...epochs).map { 92 - 38 * exp(-Double($0) / 3.8) + noise.normal(deviation: 0.7) }
    try save(LineChart(title: "Training curves", xLabel: "epoch", yLabel: "accuracy (%)",
                       series: [LineSeries(name: "train", y: train), LineSeries(name: "test", y: test)]),
             "lines-training.png", "Two series with markers over epochs (integer ticks).")

    let sparsity = stride(from: 0.0, through: 0.9, by: 0.1).map { $0 }
    func curve(_ knee: Double, _ steepness: Double) -> [Double] {
        sparsity.map { 93.5 - 60 * pow(max(0, $0 - knee) / (1 - knee), steepness) }
    }
    try save(LineChart(title: "Accuracy against sparsity (no fine-tuning)", xLabel: "fraction of weights removed", yLabel: "test accuracy (%)",
                       series: [LineSeries(name: "weight magnitude", x: sparsity, y: curve(0.5, 1.6)),
                                LineSeries(name: "L1 filter norm", x: sparsity, y: curve(0.2, 1.2)),
                                LineSeries(name: "network slimming", x: sparsity, y: curve(0.35, 1.4)),
                                LineSeries(name: "random", x: sparsity, y: curve(0.05, 0.9))]),
             "lines-sparsity.png", "Four series with different marker shapes.")

    var normsRandom = ExampleRandom(state: 11)
    let normSeries = [("conv1 (64)", 64), ("conv5 (256)", 256), ("conv9 (512)", 512), ("conv13 (512)", 512)].map { name, count in
        LineSeries(name: name, x: (0..<count).map { Double($0) / Double(count - 1) },
                   y: (0..<count).map { _ in abs(normsRandom.normal(mean: 1, deviation: 0.5)) }.sorted(by: >))
    }
    try save(LineChart(title: "Sorted filter L1 norms per layer", xLabel: "filter rank (fraction of layer)", yLabel: "L1 norm",
                       series: normSeries),
             "lines-norms.png", "Many points per series: lines without markers.")

    // Small multiples: one panel per run, a dashed run from scratch beside a solid fine-tune.
    let fineTune = (1...epochs).map { 90 - 8 * exp(-Double($0) / 2) }, scratch = (1...epochs).map { 91 - 50 * exp(-Double($0) / 4) }
    let panels: [any Chart] = ["VGG-16", "ResNet-56"].map { network in
        LineChart(title: "\(network): test accuracy", xLabel: "epoch", yLabel: "accuracy (%)",
                  series: [LineSeries(name: "fine-tune", y: fineTune), LineSeries(name: "scratch-B", y: scratch, dashed: true)])
    }
    try SmallMultiples(title: "Small multiples", panels: panels, columns: 2)
        .write(to: folder.appendingPathComponent("small-multiples.png"), width: 1120, height: 380, scale: 2)
    written.append(("small-multiples.png", "Small multiples: a panel per network, a dashed series."))

    // A diagram: boxes, text and an arrow laid out by hand.
    try Diagram(width: 420, height: 120, elements: [
        .box(x: 20, y: 40, width: 150, height: 40, fill: Color(hex: 0xEEF4FA), stroke: Palette.blue, cornerRadius: 4),
        .text("conv2: 64 filters", x: 95, y: 60, alignment: .center),
        .line([(170, 60), (250, 60)], arrow: true),
        .box(x: 250, y: 40, width: 150, height: 40, fill: Color(hex: 0xFBE3D6), stroke: Palette.vermillion, cornerRadius: 4),
        .text("conv2: 16 filters", x: 325, y: 60, bold: true, alignment: .center),
        .text("A diagram", x: 210, y: 18, size: 14, bold: true, alignment: .center),
    ]).write(to: folder.appendingPathComponent("diagram.png"), width: 420, height: 120, scale: 2)
    written.append(("diagram.png", "A diagram: boxes, text and arrows at given positions (the method diagrams)."))

    var index = MarkdownDocument(folder: folder)
    index.heading("Chart gallery", level: 1)
    index.paragraph("One example of every chart type, regenerated by `swift run gallery`.")
    for (file, caption) in written { index.image(url: folder.appendingPathComponent(file), caption: caption) }
    try index.write(to: folder.appendingPathComponent("README.md"))
    print("wrote \(folder.appendingPathComponent("README.md").path)")
}

/// Renders and encodes a 1600×1000 histogram of 10 000 samples several times; prints the timings.
func benchmark() throws {
    let chart = gammaExample(samples: 10_000)
    _ = try chart.renderPNG(width: 1600, height: 1000, scale: 1)  // warm-up: font loading, glyph cache
    var times: [Double] = []
    var bytes = 0
    let runs = 20
    let cpuStart = clock()
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        bytes = try chart.renderPNG(width: 1600, height: 1000, scale: 1).count
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    // CPU time per run does not grow when other processes share the machine; wall time does.
    let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC) * 1000 / Double(runs)
    times.sort()
    print(String(format: "1600×1000 histogram, 10 000 samples, render + PNG encode: median %.1f ms, best %.1f ms, worst %.1f ms wall; %.1f ms CPU per chart (%d bytes)",
                 times[times.count / 2], times[0], times[times.count - 1], cpu, bytes))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.contains("--bench") {
        try benchmark()
    } else if let unknown = arguments.first(where: { $0.hasPrefix("-") }) {
        FileHandle.standardError.write(Data("error: unknown option \(unknown); usage: gallery [folder] [--bench]\n".utf8))
        exit(2)
    } else {
        try writeGallery(to: URL(fileURLWithPath: arguments.first ?? "figures/gallery"))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
