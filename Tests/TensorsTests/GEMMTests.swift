import Testing
@testable import Tensors

/// GEMM through OpenBLAS against the textbook triple loop, in every transpose case.
@Suite struct GEMMTests {
    /// C = alpha·op(A)·op(B) + beta·C computed element by element in Double.
    func naiveGEMM(_ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                   a: [Float], b: [Float], beta: Float, c: [Float]) -> [Float] {
        var result = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let aip = ta == .none ? a[i * k + p] : a[p * m + i]
                    let bpj = tb == .none ? b[p * n + j] : b[j * k + p]
                    s += Double(aip) * Double(bpj)
                }
                result[i * n + j] = Float(Double(alpha) * s + Double(beta) * Double(c[i * n + j]))
            }
        }
        return result
    }

    @Test(arguments: [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed)])
    func matchesTripleLoop(_ transposes: (Transpose, Transpose)) {
        let (ta, tb) = transposes
        var rng = SeededGenerator(seed: 11)
        for (m, n, k) in [(1, 1, 1), (3, 5, 7), (17, 9, 13), (33, 31, 29)] {
            let a = Tensor.uniform([m * k], low: -1, high: 1, using: &rng)
            let b = Tensor.uniform([k * n], low: -1, high: 1, using: &rng)
            let c = Tensor.uniform([m * n], low: -1, high: 1, using: &rng)
            let expected = naiveGEMM(ta, tb, m: m, n: n, k: k, alpha: 0.7, a: a.values, b: b.values, beta: 0.3, c: c.values)
            gemm(ta, tb, m: m, n: n, k: k, alpha: 0.7, a: a.data, b: b.data, beta: 0.3, c: c.data)
            let error = zip(c.values, expected).map { abs($0 - $1) }.max()!
            #expect(error < 1e-5 * Float(k), "gemm \(ta)/\(tb) \(m)×\(n)×\(k): max error \(error)")
        }
    }

    @Test func matmulShapesAndValues() {
        // [[1,2,3],[4,5,6]] · [[1,0],[0,1],[1,1]] = [[4,5],[10,11]]
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], values: [1, 0, 0, 1, 1, 1])
        let c = matmul(a, b)
        #expect(c.shape == [2, 2])
        #expect(c.values == [4, 5, 10, 11])
        // aᵀ·a is 3×3 and symmetric.
        let g = matmul(a, a, transA: .transposed)
        #expect(g.shape == [3, 3])
        #expect(g.values == [17, 22, 27, 22, 29, 36, 27, 36, 45])
    }

    @Test func zeroInnerDimensionScalesC() {
        let c = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let dummy = Tensor(shape: [1])
        gemm(.none, .none, m: 2, n: 2, k: 0, a: dummy.data, b: dummy.data, beta: 0.5, c: c.data)
        #expect(c.values == [0.5, 1, 1.5, 2])
        // Only the m×n block of a wider matrix changes, and beta = 0 overwrites (even NaN).
        let wide = Tensor(shape: [2, 3], values: [.nan, 2, 7, 3, 4, 8])
        gemm(.none, .none, m: 2, n: 2, k: 0, a: dummy.data, b: dummy.data, beta: 0, c: wide.data, ldc: 3)
        #expect(wide.values == [0, 0, 7, 0, 0, 8])
    }

    @Test(arguments: [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed)])
    func leadingDimensionsSelectSubmatrices(_ transposes: (Transpose, Transpose)) {
        // Operands stored inside wider row-major buffers (row length = stored width + 2).
        let (ta, tb) = transposes
        let (m, n, k, pad) = (5, 3, 4, 2)
        var rng = SeededGenerator(seed: 12)
        let (aRows, aCols) = ta == .none ? (m, k) : (k, m)
        let (bRows, bCols) = tb == .none ? (k, n) : (n, k)
        let a = Tensor.uniform([aRows, aCols + pad], low: -1, high: 1, using: &rng)
        let b = Tensor.uniform([bRows, bCols + pad], low: -1, high: 1, using: &rng)
        let c = Tensor(shape: [m, n + pad], repeating: 5)
        gemm(ta, tb, m: m, n: n, k: k, a: a.data, lda: aCols + pad, b: b.data, ldb: bCols + pad, c: c.data, ldc: n + pad)
        let packedA = (0..<aRows).flatMap { r in (0..<aCols).map { a[r, $0] } }
        let packedB = (0..<bRows).flatMap { r in (0..<bCols).map { b[r, $0] } }
        let expected = naiveGEMM(ta, tb, m: m, n: n, k: k, alpha: 1, a: packedA, b: packedB, beta: 0,
                                 c: [Float](repeating: 0, count: m * n))
        for i in 0..<m {
            for j in 0..<n { #expect(abs(c[i, j] - expected[i * n + j]) < 1e-5) }
            for j in n..<(n + pad) { #expect(c[i, j] == 5, "gemm wrote outside the m×n block") }
        }
    }
}
