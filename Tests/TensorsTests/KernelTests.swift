import Testing
@testable import Tensors
import TestSupport

/// The optimised kernels against plain reference loops: random shapes (odd sizes included),
/// kernel 1 and 3, stride 1 and 2, padding 0 and 1; equal within 1e-4 of the reference's scale.
@Suite struct KernelTests {
    static let geometries: [ConvGeometry] = {
        var rng = SeededGenerator(seed: 11)
        var result: [ConvGeometry] = []
        for (kernel, stride, padding) in convolutionSettings {
            let h = kernel + rng.index(below: 9), w = kernel + rng.index(below: 9)
            result.append(ConvGeometry(batch: 1, channels: 1 + rng.index(below: 5), height: h, width: w,
                                       kernel: kernel, stride: stride, padding: padding))
        }
        return result
    }()

    /// cols[(c·k + ki)·k + kj, oy·OW + ox] = x[c, oy·s − p + ki, ox·s − p + kj], zero outside.
    func referenceColumns(_ x: Tensor, _ g: ConvGeometry) -> [Double] {
        var cols = [Double](repeating: 0, count: g.columnRows * g.outPlane)
        for c in 0..<g.channels {
            for ki in 0..<g.kernel {
                for kj in 0..<g.kernel {
                    let row = (c * g.kernel + ki) * g.kernel + kj
                    for oy in 0..<g.outHeight {
                        for ox in 0..<g.outWidth {
                            let iy = oy * g.stride - g.padding + ki, ix = ox * g.stride - g.padding + kj
                            guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                            cols[row * g.outPlane + oy * g.outWidth + ox] = Double(x[0, c, iy, ix])
                        }
                    }
                }
            }
        }
        return cols
    }

    @Test(arguments: geometries)
    func im2colImageMatchesReference(_ g: ConvGeometry) {
        var rng = SeededGenerator(seed: UInt64(g.height * 31 + g.width))
        let x = Tensor.normal([1, g.channels, g.height, g.width], using: &rng)
        let cols = Tensor(shape: [g.columnRows, g.outPlane], repeating: .nan)  // every entry must be written
        im2colImage(x.data, g, into: cols.data)
        #expect(relativeError(cols.values, referenceColumns(x, g)) == 0)
    }

    @Test(arguments: geometries)
    func col2imImageMatchesReference(_ g: ConvGeometry) {
        var rng = SeededGenerator(seed: UInt64(g.height * 17 + g.width))
        let cols = Tensor.normal([g.columnRows, g.outPlane], using: &rng)
        var expected = [Double](repeating: 0, count: g.channels * g.height * g.width)
        for c in 0..<g.channels {
            for ki in 0..<g.kernel {
                for kj in 0..<g.kernel {
                    for oy in 0..<g.outHeight {
                        for ox in 0..<g.outWidth {
                            let iy = oy * g.stride - g.padding + ki, ix = ox * g.stride - g.padding + kj
                            guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                            let row = (c * g.kernel + ki) * g.kernel + kj
                            expected[(c * g.height + iy) * g.width + ix] += Double(cols[row, oy * g.outWidth + ox])
                        }
                    }
                }
            }
        }
        let image = Tensor(shape: [g.channels, g.height, g.width])
        col2imImage(cols.data, g, into: image.data)
        #expect(relativeError(image.values, expected) <= 1e-5)
    }

    @Test(arguments: [1, 7, 8, 9, 100, 1023])
    func vectorReductionsMatchReference(_ count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        let x = Tensor.normal([count], mean: 0.5, using: &rng), dy = Tensor.normal([count], using: &rng)
        let shift: Float = 0.3
        var sum = 0.0, squares = 0.0, dot = 0.0, sumDy = 0.0
        for i in 0..<count {
            sum += Double(x[i])
            squares += (Double(x[i]) - Double(shift)) * (Double(x[i]) - Double(shift))
            sumDy += Double(dy[i])
            dot += Double(dy[i]) * (Double(x[i]) - Double(shift))
        }
        #expect(relativeError([vectorSum(count, x.data)], [sum]) <= 1e-4)
        #expect(relativeError([vectorShiftedSquares(count, x.data, shift: shift)], [squares]) <= 1e-4)
        let both = vectorSumAndShiftedDot(count, dy.data, x.data, shift: shift)
        #expect(relativeError([both.sum], [sumDy]) <= 1e-4)
        #expect(relativeError([both.dot], [dot]) <= 1e-4)
    }

    @Test(arguments: [1, 8, 13, 100])
    func reluBackwardMatchesReference(_ count: Int) {
        var rng = SeededGenerator(seed: UInt64(count + 3))
        let y = Tensor.normal([count], using: &rng), dy = Tensor.normal([count], using: &rng)
        for i in stride(from: 0, to: count, by: 5) { y[i] = 0 }  // exactly zero passes nothing
        let dx = Tensor(shape: [count], repeating: .nan)
        reluBackward(count, dy.data, y.data, dx.data)
        #expect(dx.values == (0..<count).map { y[$0] > 0 ? dy[$0] : 0 })
    }

    @Test(arguments: [(1, 1), (3, 5), (4, 4), (33, 7), (64, 784), (37, 65)])
    func transposeMatchesReference(_ shape: (Int, Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.0 * 1000 + shape.1))
        let a = Tensor.normal([shape.0, shape.1], using: &rng)
        let t = Tensor(shape: [shape.1, shape.0], repeating: .nan)
        transpose(a.data, rows: shape.0, columns: shape.1, into: t.data)
        for r in 0..<shape.0 { for c in 0..<shape.1 { #expect(t[c, r] == a[r, c]) } }
    }

    /// A random matrix with about `density` of its entries nonzero.
    func sparseMatrix(rows: Int, columns: Int, density: Double, rng: inout SeededGenerator) -> Tensor {
        let a = Tensor.normal([rows, columns], using: &rng)
        for i in 0..<a.count where Double(rng.nextUnitFloat()) >= density { a.data[i] = 0 }
        return a
    }

    @Test(arguments: [(1, 1, 1), (10, 7, 3), (200, 784, 32), (13, 50, 65), (200, 200, 256), (5, 9, 100)])
    func sparseProductMatchesDense(_ sizes: (rows: Int, columns: Int, batch: Int)) throws {
        var rng = SeededGenerator(seed: UInt64(sizes.rows * 7 + sizes.batch))
        let a = sparseMatrix(rows: sizes.rows, columns: sizes.columns, density: 0.1, rng: &rng)
        let x = Tensor.normal([sizes.batch, sizes.columns], using: &rng)
        let bias = Tensor.normal([sizes.rows], using: &rng)
        var expected = [Double](repeating: 0, count: sizes.batch * sizes.rows)
        for b in 0..<sizes.batch {
            for r in 0..<sizes.rows {
                var s = Double(bias[r])
                for c in 0..<sizes.columns { s += Double(a[r, c]) * Double(x[b, c]) }
                expected[b * sizes.rows + r] = s
            }
        }
        let sparse = try #require(SparseRows(nonzerosOf: a.data, rows: sizes.rows, columns: sizes.columns))
        #expect(sparse.nonzeroCount == a.values.filter { $0 != 0 }.count)
        // Blocks of 32 and of 64 images (the AVX build's default) and an odd block size.
        for block in [32, 64, 7] {
            let y = Tensor(shape: [sizes.batch, sizes.rows], repeating: .nan)
            sparse.multiplyTransposed(x.data, batch: sizes.batch, bias: bias.data, into: y.data, imageBlock: block)
            #expect(relativeError(y.values, expected) <= 1e-5, "blocks of \(block)")
        }
    }

    @Test func sparseRowsRefusesDenseMatrices() {
        var rng = SeededGenerator(seed: 4)
        let a = sparseMatrix(rows: 20, columns: 30, density: 0.5, rng: &rng)
        #expect(SparseRows(nonzerosOf: a.data, rows: 20, columns: 30, maxDensity: 0.25) == nil)
        #expect(SparseRows(nonzerosOf: a.data, rows: 20, columns: 30, maxDensity: 0.75) != nil)
    }

    @Test(arguments: [(0, 3), (1, 1), (10, 3), (101, 8)])
    func parallelChunksCoverEveryIndexOnce(_ sizes: (count: Int, chunk: Int)) {
        let hits = Tensor(shape: [max(sizes.count, 1)])
        let workers = chunkWorkers(sizes.count, chunkSize: sizes.chunk)
        let perWorker = Tensor(shape: [workers])
        let p = hits.data, w = perWorker.data
        parallelChunks(sizes.count, chunkSize: sizes.chunk) { worker, range in
            precondition(worker < workers)
            for i in range { p[i] += 1 }
            w[worker] += Float(range.count)
        }
        #expect(hits.values.prefix(sizes.count).allSatisfy { $0 == 1 })
        #expect(perWorker.sum() == Float(sizes.count))
    }

    @Test func singleThreadedGEMMMatchesSplitGEMM() {
        var rng = SeededGenerator(seed: 9)
        let (m, n, k) = (129, 131, 127)
        let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
        let split = Tensor(shape: [m, n]), single = Tensor(shape: [m, n])
        gemm(.none, .none, m: m, n: n, k: k, a: a.data, b: b.data, c: split.data)
        gemm(.none, .none, m: m, n: n, k: k, a: a.data, b: b.data, c: single.data, parallel: false)
        #expect(single.maxAbsDifference(split) <= 1e-4)
    }
}
