import Foundation
import Tensors

extension Linear {
    /// The density below which the sparse product beats OpenBLAS's dense one on this kind of
    /// machine (measured with `bench --pruning` on the 784-200-200-10 MLP at batch 256: the
    /// sparse path breaks even at about 80 % zeros and wins clearly from 85 %).
    public static let defaultSparseInferenceMaxDensity = 0.15

    /// The eval-mode product through the weight's nonzeros, or nil when the layer has no mask
    /// or its weight is too dense for the sparse path to win.
    func sparseForward(_ input: Tensor) -> Tensor? {
        guard weight.mask != nil, sparseInferenceMaxDensity > 0,
              let sparse = sparseCache.sparseRows(of: weight.value, maxDensity: sparseInferenceMaxDensity)
        else { return nil }
        let n = input.shape[0]
        let y = Tensor(uninitializedShape: [n, outFeatures])
        sparse.multiplyTransposed(input.data, batch: n, bias: bias?.value.data, into: y.data)
        return y
    }
}

/// The sparse form of a Linear layer's weight, kept with a copy of the weight it came from.
///
/// Each use compares the live weight with the copy (one `memcmp`, far cheaper than rebuilding),
/// so the sparse form can never be stale, however the weight was changed in place
/// (fine-tuning, further pruning, loading a checkpoint).
final class SparseWeightCache {
    private var source: Tensor?
    private var maxDensity = 0.0
    private var rows: SparseRows?

    /// The nonzeros of `weight` (2-D), or nil when more than `maxDensity` of it is nonzero.
    func sparseRows(of weight: Tensor, maxDensity: Double) -> SparseRows? {
        if let source, source.shape == weight.shape, self.maxDensity == maxDensity,
           memcmp(source.data, weight.data, weight.count * MemoryLayout<Float>.stride) == 0 {
            return rows
        }
        rows = SparseRows(nonzerosOf: weight.data, rows: weight.shape[0], columns: weight.shape[1], maxDensity: maxDensity)
        source = weight.copy()
        self.maxDensity = maxDensity
        return rows
    }
}
