import Foundation
import NetworkTestSupport
import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// The optimised Conv2d and BatchNorm2d (per-image GEMMs over both cores, SIMD reductions)
/// against direct Double loops over the definitions: forward and every gradient, random
/// shapes with odd sizes, kernel 1 and 3, stride 1 and 2, padding 0 and 1.
@Suite struct KernelLayerTests {
    struct Case: Sendable, CustomStringConvertible {
        let batch, channels, filters, height, width, kernel, stride, padding: Int
        let bias: Bool
        var description: String { "N\(batch) C\(channels) F\(filters) \(height)×\(width) k\(kernel) s\(stride) p\(padding)\(bias ? " bias" : "")" }

        /// A 3×3 convolution with stride 1 and padding 1 (the shape the direct kernels take).
        static func same3x3(batch: Int, channels: Int, filters: Int, height: Int, width: Int, bias: Bool) -> Case {
            Case(batch: batch, channels: channels, filters: filters, height: height, width: width,
                 kernel: 3, stride: 1, padding: 1, bias: bias)
        }
    }

    static let cases: [Case] = {
        var rng = SeededGenerator(seed: 21)
        var result: [Case] = []
        for (kernel, stride, padding) in convolutionSettings {
            result.append(Case(batch: 1 + rng.index(below: 19), channels: 1 + rng.index(below: 6),
                               filters: 1 + rng.index(below: 7), height: kernel + rng.index(below: 10),
                               width: kernel + rng.index(below: 10), kernel: kernel, stride: stride,
                               padding: padding, bias: rng.index(below: 2) == 0))
        }
        // Output planes above 256 positions: one image per GEMM, and the 1×1 conv that reads
        // its input as the column matrix.
        result.append(.same3x3(batch: 3, channels: 2, filters: 3, height: 20, width: 19, bias: true))
        result.append(Case(batch: 2, channels: 3, filters: 4, height: 17, width: 16, kernel: 1, stride: 1,
                           padding: 0, bias: false))
        // 3×3, stride 1, padding 1: the direct kernels (Conv3x3). Widths that are multiples of 8
        // (pixel-vectorised), with filter counts that leave a partial block of 4 and planes whose
        // 8-pixel vectors do not divide by 3; then other widths (filter-vectorised) with more than
        // 16 filters or channels, partial blocks of 16 and odd channel counts.
        result.append(.same3x3(batch: 3, channels: 5, filters: 7, height: 9, width: 8, bias: true))
        result.append(.same3x3(batch: 2, channels: 1, filters: 4, height: 3, width: 16, bias: false))
        result.append(.same3x3(batch: 5, channels: 9, filters: 2, height: 5, width: 24, bias: false))
        result.append(.same3x3(batch: 2, channels: 4, filters: 13, height: 1, width: 8, bias: true))
        result.append(.same3x3(batch: 3, channels: 19, filters: 21, height: 7, width: 7, bias: true))
        result.append(.same3x3(batch: 2, channels: 1, filters: 32, height: 5, width: 14, bias: false))
        result.append(.same3x3(batch: 4, channels: 33, filters: 5, height: 2, width: 2, bias: false))
        result.append(.same3x3(batch: 1, channels: 16, filters: 16, height: 1, width: 1, bias: true))
        // Wide layer on a small plane: direct forward, im2col + GEMM backward.
        result.append(.same3x3(batch: 2, channels: 130, filters: 129, height: 3, width: 2, bias: true))
        result.append(.same3x3(batch: 1, channels: 260, filters: 258, height: 2, width: 2, bias: false))
        // The AVX-512 kernels' tiles: 16-pixel vectors (width 16 and 32, and 8 × 8 as two rows) with partial blocks of 4,
        // and 1, 2 and 4 blocks of 16 filters (up to 70, leaving partial blocks) on planes whose
        // 6-pixel tiles end part-way.
        result.append(.same3x3(batch: 2, channels: 9, filters: 70, height: 5, width: 16, bias: true))
        result.append(.same3x3(batch: 3, channels: 10, filters: 6, height: 3, width: 32, bias: false))
        result.append(.same3x3(batch: 2, channels: 12, filters: 50, height: 5, width: 5, bias: false))
        result.append(.same3x3(batch: 3, channels: 17, filters: 35, height: 8, width: 8, bias: true))
        // Width 8 with an even height: two rows of 8 per AVX-512 register, vectors ending part-way.
        result.append(.same3x3(batch: 3, channels: 6, filters: 9, height: 10, width: 8, bias: false))
        // The AVX-512 pixel kernels' tiles of 8, 6, 4 and 2 filters (an odd count computes one zero
        // filter more) × 3 or 4 vectors: every remainder of 8 filters (and of 8 channels, which the
        // input gradient takes as its filters), planes whose vectors do not divide by 3 or 4.
        result.append(.same3x3(batch: 2, channels: 3, filters: 1, height: 5, width: 16, bias: true))
        result.append(.same3x3(batch: 2, channels: 2, filters: 3, height: 7, width: 16, bias: false))
        result.append(.same3x3(batch: 2, channels: 5, filters: 5, height: 6, width: 32, bias: false))
        result.append(.same3x3(batch: 3, channels: 7, filters: 6, height: 5, width: 16, bias: true))
        result.append(.same3x3(batch: 2, channels: 12, filters: 7, height: 9, width: 16, bias: false))
        result.append(.same3x3(batch: 2, channels: 6, filters: 10, height: 3, width: 32, bias: true))
        result.append(.same3x3(batch: 2, channels: 20, filters: 12, height: 6, width: 8, bias: false))
        result.append(.same3x3(batch: 2, channels: 11, filters: 17, height: 14, width: 8, bias: false))
        result.append(.same3x3(batch: 2, channels: 8, filters: 6, height: 2, width: 8, bias: true))
        // 1×1 convolutions on the direct 1×1 kernels (AVX-512): tails of 8 filters and of 6
        // channels, pixel vectors ending part-way, stride 2 on odd planes.
        result.append(Case(batch: 3, channels: 17, filters: 11, height: 7, width: 7, kernel: 1, stride: 2, padding: 0, bias: true))
        result.append(Case(batch: 2, channels: 9, filters: 19, height: 8, width: 6, kernel: 1, stride: 1, padding: 0, bias: false))
        result.append(Case(batch: 1, channels: 32, filters: 8, height: 8, width: 8, kernel: 1, stride: 2, padding: 0, bias: false))
        // Planes of 2×2 and smaller as one product over the batch (with the 2×2 and 1×1 cases above).
        result.append(.same3x3(batch: 3, channels: 12, filters: 20, height: 2, width: 2, bias: true))
        result.append(.same3x3(batch: 2, channels: 5, filters: 7, height: 1, width: 2, bias: true))
        result.append(.same3x3(batch: 4, channels: 3, filters: 6, height: 2, width: 1, bias: false))
        return result
    }()

    /// Every case on every kernel variant this CPU runs (the AVX-512 kernels where it has them).
    @Test(arguments: cases, KernelVariant.supported)
    func conv2dMatchesDirectDefinition(_ c: Case, _ variant: KernelVariant) {
        var rng = SeededGenerator(seed: UInt64(c.height * 100 + c.width))
        let layer = Conv2d(c.channels, c.filters, kernel: c.kernel, stride: c.stride, padding: c.padding,
                           bias: c.bias, rng: &rng)
        layer.kernelVariant = variant
        let x = Tensor.normal([c.batch, c.channels, c.height, c.width], using: &rng)
        let geometry = ConvGeometry(batch: c.batch, channels: c.channels, height: c.height, width: c.width,
                                    kernel: c.kernel, stride: c.stride, padding: c.padding)
        let byPixels = c.width % 8 == 0
        let direct = c.kernel == 3 && c.stride == 1 && c.padding == 1 && (byPixels || c.channels >= 8)
        #expect(layer.usesDirectKernels(geometry) == direct)
        #expect(layer.usesPlaneProduct(geometry) == (c.kernel == 3 && c.stride == 1 && c.padding == 1
                                                     && c.height <= 2 && c.width <= 2))
        let smallPlaneLimit = variant == .avx512 ? 4 * 128 * 128 : 128 * 128
        let twoRowsOfEight = variant == .avx512 && c.width == 8 && c.height % 2 == 0
        #expect(layer.usesDirectBackward(geometry) == (direct && (byPixels || c.filters >= 8)
                                                       && (c.width > 8 || twoRowsOfEight || c.channels * c.filters <= smallPlaneLimit)))
        let y = layer.forward(x, training: true)
        let (oh, ow) = (y.shape[2], y.shape[3])
        let dy = Tensor.normal(y.shape, using: &rng)
        let dx = layer.backward(dy)
        let w = layer.weight.value
        var yRef = [Double](repeating: 0, count: y.count)
        var dxRef = [Double](repeating: 0, count: x.count)
        var dwRef = [Double](repeating: 0, count: w.count)
        var dbRef = [Double](repeating: 0, count: c.filters)
        for n in 0..<c.batch {
            for f in 0..<c.filters {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let o = ((n * c.filters + f) * oh + oy) * ow + ox
                        var s = layer.bias.map { Double($0.value[f]) } ?? 0
                        let g = Double(dy[flat: o])
                        dbRef[f] += g
                        for ch in 0..<c.channels {
                            for ki in 0..<c.kernel {
                                for kj in 0..<c.kernel {
                                    let iy = oy * c.stride - c.padding + ki, ix = ox * c.stride - c.padding + kj
                                    guard iy >= 0, iy < c.height, ix >= 0, ix < c.width else { continue }
                                    let xi = ((n * c.channels + ch) * c.height + iy) * c.width + ix
                                    let wi = ((f * c.channels + ch) * c.kernel + ki) * c.kernel + kj
                                    s += Double(w[flat: wi]) * Double(x[flat: xi])
                                    dxRef[xi] += Double(w[flat: wi]) * g
                                    dwRef[wi] += Double(x[flat: xi]) * g
                                }
                            }
                        }
                        yRef[o] = s
                    }
                }
            }
        }
        #expect(relativeError(y.values, yRef) <= 1e-4)
        #expect(relativeError(dx.values, dxRef) <= 1e-4)
        #expect(relativeError(layer.weight.grad.values, dwRef) <= 1e-4)
        if let bias = layer.bias { #expect(relativeError(bias.grad.values, dbRef) <= 1e-4) }
        // Eval mode gives the same output.
        #expect(relativeError(layer.forward(x, training: false).values, yRef) <= 1e-4)
        // Skipping the input gradient leaves the parameter gradients as they were.
        layer.weight.grad.zero()
        layer.bias?.grad.zero()
        layer.skipsInputGradient = true
        _ = layer.forward(x, training: true)
        let skipped = layer.backward(dy)
        #expect(skipped.values.allSatisfy { $0 == 0 })
        #expect(relativeError(layer.weight.grad.values, dwRef) <= 1e-4)
        if let bias = layer.bias { #expect(relativeError(bias.grad.values, dbRef) <= 1e-4) }
    }

    /// Inference with Conv (→ BN) (→ ReLU) fused into the direct kernels' stores equals the
    /// layers run one by one on im2col + GEMM, on VGG, on ResNet's basic blocks and on the
    /// SmallCNN (conv with bias → ReLU, 28×28 planes), with BatchNorms whose running statistics
    /// and affine parameters are far from the defaults.
    @Test(arguments: ["vgg", "resnet", "small-cnn"], KernelVariant.supported)
    func fusedInferenceMatchesLayerByLayer(_ family: String, _ variant: KernelVariant) {
        let network = family == "vgg" ? Network.vgg(depth: 11, widthMultiplier: 0.125, seed: 3)
            : family == "resnet" ? Network.resnet(depth: 8, widthMultiplier: 0.5, seed: 3)
            : Network.smallCNN(seed: 3)
        var rng = SeededGenerator(seed: 8)
        randomizeStatistics(of: network.batchNorms, rng: &rng)
        let x = Tensor.normal([3] + network.inputShape, using: &rng)
        let convs = network.body.allLayers.compactMap { $0 as? Conv2d }
        for conv in convs { conv.kernelVariant = variant }
        let fused = network.forward(x, training: false)
        // The fused path really ran. Rounding cannot show it everywhere: on a Zen 4 OpenBLAS's
        // products summed ResNet-8's layers in the 8-wide kernels' order, bit for bit.
        let direct = convs.filter { conv in
            guard let s = conv.lastInputShape else { return false }
            return conv.usesDirectKernels(ConvGeometry(batch: s[0], channels: s[1], height: s[2], width: s[3],
                                                       kernel: conv.kernel, stride: conv.stride, padding: conv.padding))
        }
        #expect(!direct.isEmpty)
        for conv in convs { conv.allowsDirectKernels = false }
        let reference = network.forward(x, training: false)
        #expect(relativeError(fused.values, reference.values) <= 1e-4)
    }

    /// The pre-activation bottleneck's fused inference (BN + ReLU in one pass, conv → BN → ReLU
    /// in the kernels) equals its layers run one by one, with all channels selected and with a
    /// pruned selection.
    @Test(arguments: [false, true])
    func bottleneckInferenceMatchesLayerByLayer(_ pruned: Bool) {
        var rng = SeededGenerator(seed: 12)
        let block = Bottleneck(inputChannels: 12, outputChannels: 12, cfg: [pruned ? 7 : 12, 8, 8], name: "b", rng: &rng)
        if pruned { block.select.indices = [0, 2, 3, 5, 8, 9, 11] }
        randomizeStatistics(of: [block.bn1, block.bn2, block.bn3], rng: &rng)
        let x = Tensor.normal([2, 12, 8, 8], using: &rng)
        let fused = block.forward(x, training: false)
        var main = x
        for layer: any Layer in [block.bn1, block.select, ReLU(), block.conv1, block.bn2, ReLU(),
                                 block.conv2, block.bn3, ReLU(), block.conv3] {
            (layer as? Conv2d)?.allowsDirectKernels = false
            main = layer.forward(main, training: false)
        }
        let reference = residualSum(main, x)
        #expect(relativeError(fused.values, reference.values) <= 1e-4)
    }

    /// MaxPool2d(2) with its 8-wide path (rows of 16 or more) against the definition, with
    /// many ties (small integers): the first maximum of a window, in reading order, wins and
    /// receives the gradient.
    @Test(arguments: [(2, 3, 16, 16), (1, 2, 6, 34), (3, 1, 5, 17), (2, 2, 4, 7), (1, 1, 2, 48)])
    func maxPoolMatchesDefinition(_ shape: (n: Int, c: Int, h: Int, w: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.w * 10 + shape.h))
        let x = Tensor(shape: [shape.n, shape.c, shape.h, shape.w])
        for i in 0..<x.count { x[flat: i] = Float(rng.index(below: 5)) - 2 }
        let layer = MaxPool2d(2)
        let y = layer.forward(x, training: true)
        let dy = Tensor.normal(y.shape, using: &rng)
        let dx = layer.backward(dy)
        let (oh, ow) = (shape.h / 2, shape.w / 2)
        var yRef = [Double](repeating: 0, count: y.count), dxRef = [Double](repeating: 0, count: x.count)
        for p in 0..<(shape.n * shape.c) {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = (p * shape.h + 2 * oy) * shape.w + 2 * ox
                    for (ky, kx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        let i = (p * shape.h + 2 * oy + ky) * shape.w + 2 * ox + kx
                        if x[flat: i] > x[flat: best] { best = i }
                    }
                    let o = (p * oh + oy) * ow + ox
                    yRef[o] = Double(x[flat: best])
                    dxRef[best] += Double(dy[flat: o])
                }
            }
        }
        #expect(y.values.map(Double.init) == yRef)
        #expect(relativeError(dx.values, dxRef) == 0)
    }

    @Test(arguments: [(2, 3, 5, 7), (1, 4, 1, 1), (9, 2, 8, 8), (3, 5, 13, 11)])
    func batchNormMatchesDefinition(_ shape: (n: Int, c: Int, h: Int, w: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.n * 1000 + shape.h * 10 + shape.w))
        let layer = BatchNorm2d(shape.c)
        for ch in 0..<shape.c { layer.weight.value[ch] = rng.uniform(0.5, 1.5); layer.bias.value[ch] = rng.uniform(-1, 1) }
        let x = Tensor.normal([shape.n, shape.c, shape.h, shape.w], mean: 3, std: 2, using: &rng)
        let y = layer.forward(x, training: true)
        let dy = Tensor.normal(y.shape, using: &rng)
        let dx = layer.backward(dy)
        let plane = shape.h * shape.w, m = Double(shape.n * plane)
        var yRef = [Double](repeating: 0, count: x.count), dxRef = yRef
        for ch in 0..<shape.c {
            let indices = (0..<shape.n).flatMap { n in (0..<plane).map { (n * shape.c + ch) * plane + $0 } }
            let mean = indices.reduce(0.0) { $0 + Double(x[flat: $1]) } / m
            let variance = indices.reduce(0.0) { $0 + (Double(x[flat: $1]) - mean) * (Double(x[flat: $1]) - mean) } / m
            let istd = 1 / (variance + 1e-5).squareRoot()
            let (gamma, beta) = (Double(layer.weight.value[ch]), Double(layer.bias.value[ch]))
            var sumDy = 0.0, sumDyXhat = 0.0
            for i in indices {
                let xhat = (Double(x[flat: i]) - mean) * istd
                yRef[i] = gamma * xhat + beta
                sumDy += Double(dy[flat: i]); sumDyXhat += Double(dy[flat: i]) * xhat
            }
            for i in indices {
                let xhat = (Double(x[flat: i]) - mean) * istd
                dxRef[i] = gamma * istd * (Double(dy[flat: i]) - sumDy / m - xhat * sumDyXhat / m)
            }
            #expect(abs(Double(layer.bias.grad[ch]) - sumDy) <= 1e-4 * max(1, abs(sumDy)))
            #expect(abs(Double(layer.weight.grad[ch]) - sumDyXhat) <= 1e-4 * max(1, abs(sumDyXhat)))
            let unbiased = m > 1 ? variance * m / (m - 1) : variance
            #expect(abs(Double(layer.runningMean.value[ch]) - 0.1 * mean) <= 1e-5 * max(1, abs(mean)))
            #expect(abs(Double(layer.runningVar.value[ch]) - (0.9 + 0.1 * unbiased)) <= 1e-4 * max(1, unbiased))
        }
        #expect(relativeError(y.values, yRef) <= 1e-4)
        #expect(relativeError(dx.values, dxRef) <= 1e-4)
    }

    /// BatchNorm → ReLU in one pass in training (DenseNet's and PreResNet's blocks), with the
    /// backward adding another gradient of the input (the concatenation's or the shortcut's),
    /// equals BatchNorm2d, ReLU and the addition run one by one, within rounding. Planes whose
    /// size leaves SIMD tails; `adding` with more channels than the BatchNorm (a DenseNet layer).
    @Test(arguments: [(2, 3, 5, 7, 3), (4, 6, 8, 8, 12), (3, 5, 32, 32, 5), (2, 4, 3, 3, 6)])
    func fusedBatchNormReLUMatchesLayerByLayer(_ shape: (n: Int, c: Int, h: Int, w: Int, addChannels: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.n * 1000 + shape.h * 10 + shape.w))
        let (fused, reference, relu) = (BatchNorm2d(shape.c), BatchNorm2d(shape.c), ReLU())
        for ch in 0..<shape.c {
            let (gamma, beta) = (rng.uniform(0.5, 1.5), rng.uniform(-1, 1))
            (fused.weight.value[ch], fused.bias.value[ch]) = (gamma, beta)
            (reference.weight.value[ch], reference.bias.value[ch]) = (gamma, beta)
        }
        let x = Tensor.normal([shape.n, shape.c, shape.h, shape.w], mean: 1, std: 2, using: &rng)
        let dy = Tensor.normal(x.shape, using: &rng)
        let adding = Tensor.normal([shape.n, shape.addChannels, shape.h, shape.w], using: &rng)
        let y = fused.forward(x, training: true, relu: true)
        let dx = fused.backward(dy, reluOutput: y, adding: adding)
        let yRef = relu.forward(reference.forward(x, training: true), training: true)
        let dxRef = reference.backward(relu.backward(dy))
        let plane = shape.h * shape.w
        for n in 0..<shape.n {
            for i in 0..<(shape.c * plane) { dxRef[flat: n * shape.c * plane + i] += adding[flat: n * shape.addChannels * plane + i] }
        }
        #expect(y.values == yRef.values)
        #expect(relativeError(dx.values, dxRef.values) <= 1e-5)
        #expect(relativeError(fused.weight.grad.values, reference.weight.grad.values) <= 1e-5)
        #expect(relativeError(fused.bias.grad.values, reference.bias.grad.values) <= 1e-5)
        #expect(fused.runningMean.value.values == reference.runningMean.value.values)
        #expect(fused.runningVar.value.values == reference.runningVar.value.values)
        // Without `adding`, the same gradient without the addition.
        fused.weight.grad.zero(); fused.bias.grad.zero()
        _ = fused.forward(x, training: true, relu: true)
        let plain = fused.backward(dy, reluOutput: y, adding: nil)
        let plainRef = BatchNorm2d(shape.c)
        (plainRef.weight.value, plainRef.bias.value) = (reference.weight.value, reference.bias.value)
        _ = plainRef.forward(x, training: true)
        #expect(relativeError(plain.values, plainRef.backward(relu.backward(dy)).values) <= 1e-5)
    }
}

/// The kernel variant is chosen from the CPU the tests run on.
@Suite struct KernelVariantTests {
    /// AVX-512 is offered exactly where Linux lists the four extensions the kernels use.
    @Test func avx512IsSupportedWhereTheCPUHasIt() throws {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let hasAVX512 = ["avx512f", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(flags.contains)
        #expect(KernelVariant.avx512.isSupported == hasAVX512)
        #expect(KernelVariant.simd8.isSupported)
        if ProcessInfo.processInfo.environment["PRUNELAB_KERNELS"] == nil {
            #expect(KernelVariant.preferred == (hasAVX512 ? .avx512 : .simd8))
        }
    }
}
