import ArgumentParser
import Foundation
import Networks
import Pruning
import Tensors

/// Times training steps and inference of the zoo's models on random inputs and prints one
/// JSON line per model, to compare with `tools/pytorch_bench.py` on the same machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Training and inference images/s of PruneLab's models (release build: swift run -c release bench).")

    @Option(help: "Run only this model (\(BenchModel.allNames.joined(separator: ", "))).")
    var model: String?

    @Option(help: "Timed training steps per model (after warm-up).")
    var steps = 10

    @Option(help: "Threads for BLAS and the element-wise kernels.")
    var threads = 2

    @Flag(help: "Also print the sgemm peak GFLOP/s of this machine.")
    var peak = false

    @Flag(help: "Print the pruning speedups instead: a structurally pruned VGG-11 and a 95 %-masked MLP on the sparse path.")
    var pruning = false

    @Flag(help: "Time every convolution of --model on its own: forward and backward, on the direct kernels of each variant this CPU runs (3×3, and 1×1 on AVX-512) and on im2col + GEMM.")
    var layers = false

    @Flag(help: "Time every 3×3 convolution of --model on the direct kernels and on Winograd F(4×4, 3×3), alternating call by call: forward, weight gradient, whole backward.")
    var algorithms = false

    @Flag(help: "Time inference of --model layer by layer and as a whole (median ms), to see what a forward pass costs beyond its layers.")
    var forwardLayers = false

    @Flag(help: "Time the products the models run most, in GFLOP/s, on every GEMM kernel this CPU runs (OpenBLAS, AVX-512).")
    var gemm = false

    func validate() throws {
        if let model, BenchModel.named(model) == nil {
            throw ValidationError("unknown model '\(model)'; choose one of \(BenchModel.allNames.joined(separator: ", ")).")
        }
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps).") }
        if layers && model == nil { throw ValidationError("--layers needs --model.") }
        if algorithms && model == nil { throw ValidationError("--algorithms needs --model.") }
        if forwardLayers && model == nil { throw ValidationError("--forward-layers needs --model.") }
        do { try KernelVariant.checkEnvironment() } catch { throw ValidationError("\(error)") }
        do { try Conv3x3Algorithm.checkEnvironment() } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        setBLASThreads(threads)
        parallelWorkers = threads
        if peak { print(sgemmPeakJSON()) }
        if gemm {
            printGEMMTimes()
            return
        }
        if pruning {
            try printPruningSpeedups(steps: steps)
            return
        }
        if algorithms, let model {
            printAlgorithmTimes(BenchModel.named(model)!, steps: steps)
            return
        }
        if forwardLayers, let model {
            printForwardLayerTimes(BenchModel.named(model)!, steps: steps)
            return
        }
        if layers, let model {
            printLayerTimes(BenchModel.named(model)!, steps: steps)
            return
        }
        let models = model.map { [BenchModel.named($0)!] } ?? BenchModel.all
        for entry in models {
            print(measure(entry))
        }
    }

    func measure(_ entry: BenchModel) -> String {
        let network = entry.build()
        var rng = SeededGenerator(seed: 7)
        let input = Tensor.normal([entry.batch] + network.inputShape, using: &rng)
        let labels = (0..<entry.batch).map { _ in rng.index(below: network.classCount) }
        network.skipInputGradient()
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
        func trainStep() {
            optimizer.zeroGradients()
            let logits = network.forward(input, training: true)
            network.backward(crossEntropy(logits: logits, labels: labels).gradient)
            optimizer.step()
        }
        for _ in 0..<2 { trainStep() }
        let trainSeconds = timeIt(repeats: steps, trainStep)
        _ = network.forward(input, training: false)
        let inferSeconds = timeIt(repeats: steps) { _ = network.forward(input, training: false) }
        let batch = Double(entry.batch)
        var fields: [(String, String)] = [
            ("model", "\"\(entry.name)\""), ("batch", "\(entry.batch)"),
            ("train_img_s", String(format: "%.1f", batch / trainSeconds)),
            ("infer_img_s", String(format: "%.1f", batch / inferSeconds)),
            ("peak_rss_mb", String(format: "%.1f", peakResidentMegabytes())),
        ]
        let macs = ModelCost(network).multiplyAccumulates
        if network.family != .mlp && macs > 0 {
            // A training step is about 3× the forward work (forward, input and weight gradients).
            fields.append(("train_gflop_s", String(format: "%.2f", 3 * 2 * Double(macs) * batch / trainSeconds / 1e9)))
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// Median wall time of `repeats` calls of `body`, in seconds.
func timeIt(repeats: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return median(times)
}

/// Peak resident set size of this process (VmHWM from /proc), in MiB.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

/// The sgemm peak: a large square product through OpenBLAS, split over the threads as the
/// layers' products are; the fastest of several runs (a peak, not a typical value).
func sgemmPeakJSON() -> String {
    let n = 1536
    var rng = SeededGenerator(seed: 1)
    let a = Tensor.normal([n, n], using: &rng), b = Tensor.normal([n, n], using: &rng)
    let c = Tensor(shape: [n, n])
    gemm(.none, .none, m: n, n: n, k: n, a: a.data, b: b.data, c: c.data)
    var best = Double.infinity
    for _ in 0..<7 {
        best = min(best, timeIt(repeats: 1) { gemm(.none, .none, m: n, n: n, k: n, a: a.data, b: b.data, c: c.data) })
    }
    return String(format: "{\"sgemm_n\":%d,\"sgemm_gflop_s\":%.1f}", n, 2 * Double(n * n * n) / best / 1e9)
}

Bench.main()
