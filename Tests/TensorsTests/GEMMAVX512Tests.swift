import Testing
@testable import Tensors

/// The AVX-512 GEMM (`prunelab_avx512_sgemm`, through `gemmAVX512`) against a Double-accumulated
/// reference: every transpose combination, sizes on and off the 12 × 32 tiles and the k blocks,
/// alpha and beta other than 1 and 0, operands inside wider buffers, and the split over cores.
/// Skipped, not passed, on a CPU without AVX-512.
@Suite(.enabled(if: KernelVariant.avx512.isSupported, "this CPU has no AVX-512"))
struct GEMMAVX512Tests {
    static let transposes: [(Transpose, Transpose)] = [(.none, .none), (.none, .transposed), (.transposed, .none),
                                                       (.transposed, .transposed)]

    /// Runs one product on the AVX-512 kernel and checks every element of the stored C, inside
    /// and outside the m×n block. `pad` widens every stored row (leading dimension = width + pad).
    func check(_ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int, alpha: Float, beta: Float,
               pad: Int = 0, threads: Int = 1, nanC: Bool = false, seed: UInt64 = 1) {
        var rng = SeededGenerator(seed: seed &+ UInt64(m * 1_000_003 + n * 1009 + k))
        let (aRows, aCols) = ta == .none ? (m, k) : (k, m)
        let (bRows, bCols) = tb == .none ? (k, n) : (n, k)
        let (lda, ldb, ldc) = (aCols + pad, bCols + pad, n + pad)
        let a = Tensor.uniform([aRows * lda], low: -1, high: 1, using: &rng).values
        let b = Tensor.uniform([bRows * ldb], low: -1, high: 1, using: &rng).values
        var c = Tensor.uniform([m * ldc], low: -1, high: 1, using: &rng).values
        if nanC { for i in c.indices where i % ldc < n { c[i] = .nan } }
        let before = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemmAVX512(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a.baseAddress!, lda: lda,
                               b: b.baseAddress!, ldb: ldb, beta: beta, c: c.baseAddress!, ldc: ldc, threads: threads)
                }
            }
        }
        var worst: Float = 0
        var outside = 0
        for i in 0..<m {
            for j in 0..<ldc {
                let got = c[i * ldc + j]
                guard j < n else {
                    if got != before[i * ldc + j] && !(got.isNaN && before[i * ldc + j].isNaN) { outside += 1 }
                    continue
                }
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let x = Double(ta == .none ? a[i * lda + p] : a[p * lda + i])
                    let y = Double(tb == .none ? b[p * ldb + j] : b[j * ldb + p])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let old = Double(before[i * ldc + j])
                let expected = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * old)
                let scale = abs(Double(alpha)) * magnitude + (beta == 0 ? 0 : abs(Double(beta) * old)) + 1e-30
                // Float rounding: each of the k products and sums, plus the alpha/beta epilogue.
                let error = Float(abs(Double(got) - expected) / scale) / (Float(k + 3) * Float.ulpOfOne)
                worst = got.isNaN ? .infinity : max(worst, error)
            }
        }
        #expect(worst <= 1, "\(ta)/\(tb) \(m)×\(n)×\(k) alpha \(alpha) beta \(beta) pad \(pad) threads \(threads): error \(worst) of the bound")
        #expect(outside == 0, "\(ta)/\(tb) \(m)×\(n)×\(k): wrote \(outside) elements outside the m×n block")
    }

    @Test(arguments: transposes)
    func oddSizesMatchDoubleReference(_ transposes: (Transpose, Transpose)) {
        let (ta, tb) = transposes
        let sizes = [1, 7, 17, 33, 100]
        for m in sizes {
            for n in sizes {
                for k in sizes { check(ta, tb, m: m, n: n, k: k, alpha: 0.7, beta: 0.3) }
            }
        }
    }

    @Test(arguments: transposes)
    func tileAndBlockEdges(_ transposes: (Transpose, Transpose)) {
        let (ta, tb) = transposes
        // 12 × 32 tiles, MC = 192 rows of A, k blocks of 256, a 16-column half tile.
        for (m, n, k) in [(12, 32, 16), (13, 33, 31), (11, 31, 1), (24, 16, 256), (25, 48, 257), (193, 65, 300),
                          (200, 17, 513), (5, 2049, 40), (37, 2100, 9)] {
            check(ta, tb, m: m, n: n, k: k, alpha: 1, beta: 0)
            check(ta, tb, m: m, n: n, k: k, alpha: -1.5, beta: 1, pad: 3)
        }
    }

    @Test(arguments: transposes)
    func alphaBetaAndLeadingDimensions(_ transposes: (Transpose, Transpose)) {
        let (ta, tb) = transposes
        for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (0.7, 0.3), (-2, 0.5), (0, 0.5), (0.25, -1)] {
            check(ta, tb, m: 29, n: 45, k: 23, alpha: alpha, beta: beta, pad: 5)
        }
        // beta = 0 overwrites C without reading it, as cblas: NaN in C does not survive.
        check(ta, tb, m: 14, n: 35, k: 8, alpha: 1, beta: 0, pad: 2, nanC: true)
        check(ta, tb, m: 14, n: 35, k: 8, alpha: 0, beta: 0, pad: 2, nanC: true)
    }

    @Test(arguments: transposes)
    func splitOverCores(_ transposes: (Transpose, Transpose)) {
        let (ta, tb) = transposes
        check(ta, tb, m: 70, n: 301, k: 50, alpha: 0.5, beta: 2, pad: 1, threads: 2)  // by columns
        check(ta, tb, m: 128, n: 200, k: 40, alpha: 1, beta: 1, threads: 2)  // by columns, cut inside a 32-column panel
        check(ta, tb, m: 301, n: 70, k: 50, alpha: 0.5, beta: 2, pad: 1, threads: 2)  // by rows
        check(ta, tb, m: 13, n: 7, k: 5, alpha: 1, beta: 0, threads: 2)  // too small to split
    }

    @Test(arguments: KernelVariant.supported)
    func gemmDispatchAgreesOnEveryVariant(_ variant: KernelVariant) {
        var rng = SeededGenerator(seed: 9)
        for (ta, tb) in Self.transposes {
            let (m, n, k) = (150, 200, 90)
            let a = Tensor.uniform([m * k], low: -1, high: 1, using: &rng)
            let b = Tensor.uniform([k * n], low: -1, high: 1, using: &rng)
            let c = Tensor.uniform([m * n], low: -1, high: 1, using: &rng)
            let reference = Tensor(shape: [m * n], values: c.values)
            gemm(ta, tb, m: m, n: n, k: k, alpha: 0.5, a: a.data, b: b.data, beta: 0.25, c: c.data, variant: variant)
            gemm(ta, tb, m: m, n: n, k: k, alpha: 0.5, a: a.data, b: b.data, beta: 0.25, c: reference.data,
                 variant: .simd8)
            let error = zip(c.values, reference.values).map { abs($0 - $1) }.max()!
            #expect(error < 1e-4, "\(variant) \(ta)/\(tb): \(error)")
        }
    }
}
