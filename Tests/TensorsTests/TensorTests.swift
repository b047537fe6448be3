import Testing
@testable import Tensors

/// Shapes, views, copies, the reductions and `gathering` (the core of structural surgery).
@Suite struct TensorTests {
    @Test func reshapeSharesStorageAndCopyDoesNot() {
        let t = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
        let view = t.reshaped([3, 2])
        view[flat: 0] = 9
        #expect(t[0, 0] == 9)
        let c = t.copy()
        c[0, 1] = -1
        #expect(t[0, 1] == 1)
        #expect(t[1, 2] == 5)
    }

    @Test func reductionsAndArgmax() {
        let t = Tensor(shape: [2, 3], values: [1, -4, 2, 0.5, 3, -1])
        #expect(t.sum() == 1.5)
        #expect(t.l1Norm() == 11.5)
        #expect(t.argmaxRows() == [2, 1])
        let u = t.copy(); u.add(t, scaledBy: 2)
        #expect(u.values == t.values.map { 3 * $0 })
        #expect(u.maxAbsDifference(t) == 8)
    }

    @Test func gatheringAlongEachAxis() {
        // A 2×3×2 tensor with value 100a + 10b + c at [a, b, c].
        var values: [Float] = []
        for a in 0..<2 { for b in 0..<3 { for c in 0..<2 { values.append(Float(100 * a + 10 * b + c)) } } }
        let t = Tensor(shape: [2, 3, 2], values: values)
        let axis1 = t.gathering([2, 0], axis: 1)
        #expect(axis1.shape == [2, 2, 2])
        #expect(axis1.values == [20, 21, 0, 1, 120, 121, 100, 101])
        let axis0 = t.gathering([1], axis: 0)
        #expect(axis0.shape == [1, 3, 2])
        #expect(axis0.values == Array(values[6...]))
        let axis2 = t.gathering([1], axis: 2)
        #expect(axis2.values == [1, 11, 21, 101, 111, 121])
    }

    @Test func gatheringWithBlocks() {
        // A Linear weight [2 outputs, 3 channels × 4 positions] after a flatten: keep channels 0 and 2.
        let t = Tensor(shape: [2, 12], values: (0..<24).map(Float.init))
        let kept = t.gathering([0, 2], axis: 1, blockSize: 4)
        #expect(kept.shape == [2, 8])
        #expect(kept.values == [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23])
        // Repeated and reordered indices are allowed.
        let shuffled = t.gathering([1, 1], axis: 1, blockSize: 4)
        #expect(shuffled.values == [4, 5, 6, 7, 4, 5, 6, 7, 16, 17, 18, 19, 16, 17, 18, 19])
    }

    @Test func parallelForCoversEveryIndexOnce() {
        var hits = [Int](repeating: 0, count: 1001)
        hits.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            parallelFor(1001) { range in for i in range { p[i] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
