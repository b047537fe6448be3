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
    }
}
