import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// The direct 1×1 kernels (`Conv1x1`, AVX-512) against the im2col + GEMM path they replace, on
/// every kernel variant this CPU runs (`.simd8` keeps the GEMM path: there the test checks the
/// dispatch). Every combination of the edge sizes: channels and filters 1, 3, 8, 17, 32, 64
/// (tiles of 8 filters, of 4 × 6 for ∂W, and every remainder), planes 1×1, 2×2, 7×7, 8×8, 32×32
/// (pixel vectors ending part-way, tiles of 3, 2 and 1 vectors), batch 1 and 3, stride 1 and 2.
/// `conv2dMatchesDirectDefinition` checks 1×1 cases against Double loops as well. The forward
/// that adds a residual (`forward(_:training:adding:)`) against `residualSum`.
extension KernelLayerTests {
    static let edgeCounts = [1, 3, 8, 17, 32, 64]
    static let edgePlanes = [1, 2, 7, 8, 32]

    @Test(arguments: KernelVariant.supported, [1, 2])
    func conv1x1MatchesGEMMPath(_ variant: KernelVariant, _ stride: Int) {
        var rng = SeededGenerator(seed: UInt64(7 + stride))
        var compared = 0
        for channels in Self.edgeCounts {
            for filters in Self.edgeCounts {
                for side in Self.edgePlanes {
                    for batch in [1, 3] {
                        let bias = (channels + filters + side + batch) % 2 == 0
                        let layer = Conv2d(channels, filters, kernel: 1, stride: stride, bias: bias, rng: &rng)
                        let reference = Conv2d(channels, filters, kernel: 1, stride: stride, bias: bias, rng: &rng)
                        reference.weight.value = layer.weight.value
                        if let b = layer.bias { reference.bias!.value = b.value }
                        layer.kernelVariant = variant
                        reference.kernelVariant = variant
                        reference.allowsDirectKernels = false
                        let x = Tensor.normal([batch, channels, side, side], using: &rng)
                        let g = ConvGeometry(batch: batch, channels: channels, height: side, width: side,
                                             kernel: 1, stride: stride, padding: 0)
                        #expect(layer.usesDirect1x1(g) == (variant == .avx512))
                        #expect(!reference.usesDirect1x1(g))
                        let y = layer.forward(x, training: true), yRef = reference.forward(x, training: true)
                        #expect(y.shape == yRef.shape)
                        let dy = Tensor.normal(y.shape, using: &rng)
                        let dx = layer.backward(dy), dxRef = reference.backward(dy)
                        let label = "C\(channels) F\(filters) \(side)×\(side) N\(batch) s\(stride)"
                        #expect(relativeError(y.values, yRef.values) <= 1e-5, "\(label): output")
                        #expect(relativeError(dx.values, dxRef.values) <= 1e-5, "\(label): input gradient")
                        #expect(relativeError(layer.weight.grad.values, reference.weight.grad.values) <= 1e-5,
                                "\(label): weight gradient")
                        if let b = layer.bias {
                            #expect(relativeError(b.grad.values, reference.bias!.grad.values) <= 1e-5, "\(label): bias gradient")
                        }
                        // A residual added as the sums start (a bottleneck's conv3 and shortcut).
                        let residual = Tensor.normal(y.shape, using: &rng)
                        let summed = layer.forward(x, training: false, adding: residual)
                        #expect(relativeError(summed.values, residualSum(yRef, residual).values) <= 1e-5, "\(label): residual")
                        // A second step adds to ∂W; skipping ∂X leaves zeros and the same ∂W.
                        layer.skipsInputGradient = true
                        reference.skipsInputGradient = true
                        _ = layer.forward(x, training: true); _ = reference.forward(x, training: true)
                        #expect(layer.backward(dy).values.allSatisfy { $0 == 0 })
                        _ = reference.backward(dy)
                        #expect(relativeError(layer.weight.grad.values, reference.weight.grad.values) <= 1e-5,
                                "\(label): accumulated weight gradient")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 360)
    }
}
