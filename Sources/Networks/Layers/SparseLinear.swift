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
              let sparse = sparseCache.value(of: weight.value, settings: sparseInferenceMaxDensity, {
                  SparseRows(nonzerosOf: weight.value.data, rows: outFeatures, columns: inFeatures,
                             maxDensity: sparseInferenceMaxDensity)
              })
        else { return nil }
        let n = input.shape[0]
        let y = Tensor(uninitializedShape: [n, outFeatures])
        sparse.multiplyTransposed(input.data, batch: n, bias: bias?.value.data, into: y.data)
        return y
    }
}
