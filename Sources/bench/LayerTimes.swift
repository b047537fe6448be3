import Foundation
import Networks
import Tensors

/// Times each convolution of a model on its own, at the input shape it sees in the model, and
/// prints one JSON line per layer: forward and backward milliseconds and GFLOP/s, on the path
/// the layer takes with each kernel variant the CPU runs (`direct_simd8`, `direct_avx512`: the 3×3
/// kernels where they apply, on AVX-512 Winograd where `Conv3x3Algorithm.choose` takes it, or on planes of 2×2 and smaller the one product over the batch
/// with that variant's GEMM; the AVX-512 1×1 kernels for 1×1 layers without padding) and on
/// im2col + GEMM.
func printLayerTimes(_ entry: BenchModel, steps: Int) {
    forEachConvolution(of: entry) { index, conv, shape, x, y, dy in
        let macs = Double(y.count / y.shape[0] * conv.inChannels * conv.kernel * conv.kernel) * Double(shape[0])
        var fields = [String(format: "\"layer\":%d,\"conv\":\"%@\",\"input\":\"%@\"", index, conv.summary,
                             shape.map(String.init).joined(separator: "x"))]
        let (direct, variant) = (conv.allowsDirectKernels, conv.kernelVariant)
        let hasDirectPath = Conv3x3.supports(kernel: conv.kernel, stride: conv.stride, padding: conv.padding)
            || (conv.kernel == 1 && conv.padding == 0)
        // Each kernel variant this CPU runs (the path the layer takes with it, which may still be
        // im2col + GEMM for the backward pass), then im2col + GEMM alone.
        let paths: [KernelVariant?] = (hasDirectPath ? KernelVariant.supported : []) + [nil]
        for path in paths {
            conv.allowsDirectKernels = path != nil
            conv.kernelVariant = path ?? variant
            _ = conv.forward(x, training: true); _ = conv.backward(dy)
            let forward = timeIt(repeats: steps) { _ = conv.forward(x, training: true) }
            let backward = timeIt(repeats: steps) { _ = conv.backward(dy) }
            let name = path.map { "direct_\($0)" } ?? "gemm"
            fields.append(String(format: "\"%@_fwd_ms\":%.2f,\"%@_fwd_gflop_s\":%.1f,\"%@_bwd_ms\":%.2f,\"%@_bwd_gflop_s\":%.1f",
                                 name, forward * 1e3, name, 2 * macs / forward / 1e9,
                                 name, backward * 1e3, name, 4 * macs / backward / 1e9))
        }
        (conv.allowsDirectKernels, conv.kernelVariant) = (direct, variant)
        print("{" + fields.joined(separator: ",") + "}")
    }
}

/// Times every 3×3 "same" convolution of a model on the direct kernels and on Winograd, call by
/// call in strict alternation (direct, Winograd, direct, …, `steps` calls each), so both see the
/// same load, and prints one JSON line per layer: median milliseconds of the forward pass, of the
/// weight gradient alone (backward with the input gradient skipped, as for a first layer) and of
/// the whole backward pass (input and weight gradients), and the ratios direct / Winograd (above 1:
/// Winograd is faster). The input gradient alone is the difference of the two backward times.
/// Layers on planes of 2×2 and smaller are left out (they run as one product either way); the
/// direct side's backward is the path training takes (the GEMM backward of wide layers on small
/// planes where the direct kernels do not take it).
func printAlgorithmTimes(_ entry: BenchModel, steps: Int) {
    forEachConvolution(of: entry) { index, conv, shape, x, _, dy in
        guard Conv3x3.supports(kernel: conv.kernel, stride: conv.stride, padding: conv.padding),
              shape[2] > 2 || shape[3] > 2 else { return }  // 2×2 planes: one product (Conv2d.usesPlaneProduct)
        let g = ConvGeometry(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                             kernel: 3, stride: 1, padding: 1)
        let (saved, skip) = (conv.conv3x3Algorithm, conv.skipsInputGradient)
        let algorithms: [Conv3x3Algorithm] = [.direct, .winograd]
        var times = [String: [Double]]()
        func time(_ name: String, _ algorithm: Conv3x3Algorithm, _ body: () -> Void) {
            conv.conv3x3Algorithm = algorithm
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times["\(algorithm)_\(name)", default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        for round in 0...steps {  // round 0 warms up and is not kept
            for algorithm in algorithms { time("fwd", algorithm) { _ = conv.forward(x, training: true) } }
            conv.skipsInputGradient = true
            for algorithm in algorithms { time("dw", algorithm) { _ = conv.backward(dy) } }
            conv.skipsInputGradient = false
            for algorithm in algorithms { time("bwd", algorithm) { _ = conv.backward(dy) } }
            if round == 0 { times.removeAll() }
        }
        (conv.conv3x3Algorithm, conv.skipsInputGradient) = (saved, skip)
        var fields = [String(format: "\"layer\":%d,\"conv\":\"%@\",\"input\":\"%@\"", index, conv.summary,
                             shape.map(String.init).joined(separator: "x"))]
        for pass in ["fwd", "dw", "bwd"] {
            let (direct, winograd) = (median(times["direct_\(pass)"]!), median(times["winograd_\(pass)"]!))
            fields.append(String(format: "\"direct_%@_ms\":%.2f,\"winograd_%@_ms\":%.2f,\"%@_ratio\":%.2f",
                                 pass, direct, pass, winograd, pass, direct / winograd))
        }
        let dxDirect = median(times["direct_bwd"]!) - median(times["direct_dw"]!)
        let dxWinograd = median(times["winograd_bwd"]!) - median(times["winograd_dw"]!)
        fields.append(String(format: "\"dx_ratio\":%.2f", dxDirect / dxWinograd))
        let chosen = [Conv3x3Algorithm.Pass.forward, .inputGradient, .weightGradient].map { pass in
            Conv3x3Algorithm.choose(pass, channels: conv.inChannels, filters: conv.outChannels, height: g.height,
                                    width: g.width, variant: conv.kernelVariant, forced: nil).rawValue
        }
        fields.append("\"chosen\":\"\(chosen.joined(separator: "/"))\"")
        print("{" + fields.joined(separator: ",") + "}")
    }
}

/// Runs `body` on every convolution of the model with the input shape it sees in the model: its
/// index among the layers, the layer, that shape, a random input, the layer's output for it (kept
/// for the backward pass) and a random output gradient.
private func forEachConvolution(of entry: BenchModel,
                                _ body: (Int, Conv2d, [Int], Tensor, Tensor, Tensor) -> Void) {
    let network = entry.build()
    var rng = SeededGenerator(seed: 7)
    let input = Tensor.normal([entry.batch] + network.inputShape, using: &rng)
    _ = network.forward(input, training: true)
    for (index, layer) in network.body.allLayers.enumerated() {
        guard let conv = layer as? Conv2d, let shape = conv.lastInputShape else { continue }
        let x = Tensor.normal(shape, using: &rng)
        let y = conv.forward(x, training: true)
        body(index, conv, shape, x, y, Tensor.normal(y.shape, using: &rng))
    }
}

/// Times inference of `entry` layer by layer (the top-level layers of its body, each fed the
/// previous one's output) and as a whole, and prints one JSON line: median milliseconds per layer
/// and for the whole forward pass. Their difference is what the chain costs beyond its layers.
func printForwardLayerTimes(_ entry: BenchModel, steps: Int) {
    let network = entry.build()
    var rng = SeededGenerator(seed: 7)
    let input = Tensor.normal([entry.batch] + network.inputShape, using: &rng)
    _ = network.forward(input, training: false)
    var x = input
    var fields: [String] = ["\"model\":\"\(entry.name)\"", "\"batch\":\(entry.batch)"]
    var layerSum = 0.0
    for (index, layer) in network.body.layers.enumerated() {
        let layerInput = x
        x = layer.forward(layerInput, training: false)
        let seconds = timeIt(repeats: steps) { _ = layer.forward(layerInput, training: false) }
        layerSum += seconds
        fields.append(String(format: "\"%d %@_ms\":%.4f", index, layer.summary, seconds * 1e3))
    }
    let whole = timeIt(repeats: steps) { _ = network.forward(input, training: false) }
    fields.append(String(format: "\"layers_ms\":%.4f,\"forward_ms\":%.4f", layerSum * 1e3, whole * 1e3))
    print("{" + fields.joined(separator: ",") + "}")
}
