import Foundation
import Networks
import Tensors

/// Times each convolution of a model on its own, at the input shape it sees in the model, and
/// prints one JSON line per layer: forward and backward milliseconds and GFLOP/s, on the path
/// the layer takes with each kernel variant the CPU runs (`direct_simd8`, `direct_avx512`: the 3×3
/// kernels where they apply, or on planes of 2×2 and smaller the one product over the batch
/// with that variant's GEMM; the AVX-512 1×1 kernels for 1×1 layers without padding) and on
/// im2col + GEMM.
func printLayerTimes(_ entry: BenchModel, steps: Int) {
    let network = entry.build()
    var rng = SeededGenerator(seed: 7)
    let input = Tensor.normal([entry.batch] + network.inputShape, using: &rng)
    _ = network.forward(input, training: true)
    for (index, layer) in network.body.allLayers.enumerated() {
        guard let conv = layer as? Conv2d, let shape = conv.lastInputShape else { continue }
        let x = Tensor.normal(shape, using: &rng)
        let y = conv.forward(x, training: true)
        let dy = Tensor.normal(y.shape, using: &rng)
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
