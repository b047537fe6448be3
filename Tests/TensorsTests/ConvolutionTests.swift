import Testing
@testable import Tensors
import TestSupport

/// im2col + one GEMM must equal the direct definition of a convolution, and col2im must be
/// the exact adjoint of im2col (that is what makes the convolution's backward pass right).
@Suite struct ConvolutionTests {
    /// y[n,f,oy,ox] = Σ_{c,ki,kj} w[f,c,ki,kj] · x[n,c,oy·s−p+ki, ox·s−p+kj] (zero outside), in Double.
    func directConvolution(_ x: Tensor, _ w: Tensor, _ g: ConvGeometry, filters: Int) -> [Double] {
        let (k, s, p) = (g.kernel, g.stride, g.padding)
        var y = [Double](repeating: 0, count: g.batch * filters * g.outPlane)
        for n in 0..<g.batch {
            for f in 0..<filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var s0 = 0.0
                        for c in 0..<g.channels {
                            for ki in 0..<k {
                                for kj in 0..<k {
                                    let iy = oy * s - p + ki, ix = ox * s - p + kj
                                    guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                    s0 += Double(w[f, c, ki, kj]) * Double(x[n, c, iy, ix])
                                }
                            }
                        }
                        y[((n * filters + f) * g.outHeight + oy) * g.outWidth + ox] = s0
                    }
                }
            }
        }
        return y
    }

    /// Random geometries covering kernel 1/3, stride 1/2, padding 0/1 and odd sizes.
    static let geometries: [ConvGeometry] = {
        var rng = SeededGenerator(seed: 5)
        var result: [ConvGeometry] = []
        for (kernel, stride, padding) in convolutionSettings {
            for _ in 0..<2 {
                let h = kernel + rng.index(below: 8), w = kernel + rng.index(below: 8)
                result.append(ConvGeometry(batch: 1 + rng.index(below: 3), channels: 1 + rng.index(below: 4),
                                           height: h, width: w, kernel: kernel, stride: stride, padding: padding))
            }
        }
        return result
    }()

    @Test(arguments: geometries)
    func im2colGEMMMatchesDirectConvolution(_ g: ConvGeometry) {
        var rng = SeededGenerator(seed: UInt64(g.height * 100 + g.width))
        let filters = 1 + rng.index(below: 5)
        let x = Tensor.normal([g.batch, g.channels, g.height, g.width], using: &rng)
        let w = Tensor.normal([filters, g.channels, g.kernel, g.kernel], using: &rng)
        let cols = Tensor(shape: [g.columnRows, g.columnCols], repeating: .nan)  // im2col must write every entry
        im2col(x.data, g, into: cols.data)
        let product = matmul(w.reshaped([filters, g.columnRows]), cols)  // [F, N·P]
        let expected = directConvolution(x, w, g, filters: filters)
        var maxError = 0.0, maxValue = 1e-12
        for n in 0..<g.batch {
            for f in 0..<filters {
                for q in 0..<g.outPlane {
                    let got = Double(product.data[(f * g.batch + n) * g.outPlane + q])
                    let want = expected[(n * filters + f) * g.outPlane + q]
                    maxError = max(maxError, abs(got - want))
                    maxValue = max(maxValue, abs(want))
                }
            }
        }
        #expect(maxError / maxValue < 1e-4, "\(g): relative error \(maxError / maxValue)")
    }

    @Test(arguments: geometries)
    func col2imIsTheAdjointOfIm2col(_ g: ConvGeometry) {
        var rng = SeededGenerator(seed: UInt64(g.channels * 1000 + g.height * 10 + g.width))
        let x = Tensor.normal([g.batch, g.channels, g.height, g.width], using: &rng)
        let y = Tensor.normal([g.columnRows, g.columnCols], using: &rng)
        let cols = Tensor(shape: y.shape)
        im2col(x.data, g, into: cols.data)
        let folded = Tensor(shape: x.shape)
        col2im(y.data, g, into: folded.data)
        var left = 0.0, right = 0.0, scale = 0.0
        for i in 0..<cols.count { left += Double(cols.data[i]) * Double(y.data[i]); scale += abs(Double(cols.data[i] * y.data[i])) }
        for i in 0..<x.count { right += Double(x.data[i]) * Double(folded.data[i]) }
        #expect(abs(left - right) <= 1e-5 * max(scale, 1), "\(g): ⟨im2col x, y⟩ = \(left), ⟨x, col2im y⟩ = \(right)")
    }

    @Test func geometryMatchesPyTorchOutputSize() {
        let g = ConvGeometry(batch: 2, channels: 3, height: 7, width: 6, kernel: 3, stride: 2, padding: 1)
        #expect(g.outHeight == 4 && g.outWidth == 3)
        #expect(g.columnRows == 27 && g.columnCols == 2 * 12)
    }
}
