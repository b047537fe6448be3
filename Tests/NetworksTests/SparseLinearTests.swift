import Testing
@testable import Networks
@testable import Tensors

/// The sparse (CSR) inference path of masked Linear layers must give the dense outputs.
@Suite struct SparseLinearTests {
    /// A Linear layer with `sparsity` of its weights masked to zero (a random mask).
    func maskedLinear(_ inputs: Int, _ outputs: Int, sparsity: Double, bias: Bool = true, seed: UInt64) -> Linear {
        var rng = SeededGenerator(seed: seed)
        let layer = Linear(inputs, outputs, bias: bias, rng: &rng)
        let mask = Tensor(shape: layer.weight.shape, repeating: 1)
        for i in 0..<mask.count where Double(rng.nextUnitFloat()) < sparsity { mask.data[i] = 0 }
        layer.weight.mask = mask
        layer.weight.applyMask()
        return layer
    }

    func output(_ layer: Linear, _ x: Tensor, sparse: Bool) -> Tensor {
        layer.sparseInferenceMaxDensity = sparse ? 1 : 0
        return layer.forward(x, training: false)
    }

    @Test(arguments: [(784, 200, 256, true), (200, 10, 128, true), (37, 11, 5, false), (9, 3, 65, true)])
    func sparseEqualsDense(_ c: (inputs: Int, outputs: Int, batch: Int, bias: Bool)) {
        let layer = maskedLinear(c.inputs, c.outputs, sparsity: 0.95, bias: c.bias, seed: UInt64(c.inputs))
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.normal([c.batch, c.inputs], using: &rng)
        let dense = output(layer, x, sparse: false), sparse = output(layer, x, sparse: true)
        #expect(sparse.shape == dense.shape)
        #expect(sparse.maxAbsDifference(dense) <= 1e-5)
    }

    @Test func sparseFormFollowsInPlaceWeightChanges() {
        let layer = maskedLinear(50, 20, sparsity: 0.9, seed: 5)
        var rng = SeededGenerator(seed: 6)
        let x = Tensor.normal([16, 50], using: &rng)
        let before = output(layer, x, sparse: true)
        // Change a kept weight in place (as fine-tuning or loading a checkpoint would).
        let kept = (0..<layer.weight.value.count).first { layer.weight.mask![flat: $0] == 1 }!
        layer.weight.value[flat: kept] += 1
        let after = output(layer, x, sparse: true)
        #expect(after.maxAbsDifference(before) > 1e-3)
        #expect(after.maxAbsDifference(output(layer, x, sparse: false)) <= 1e-5)
    }

    @Test func usedOnlyForMaskedSparseWeightsInEvalMode() {
        let layer = maskedLinear(40, 30, sparsity: 0.5, seed: 7)
        var rng = SeededGenerator(seed: 8)
        let x = Tensor.normal([8, 40], using: &rng)
        #expect(layer.sparseForward(x) == nil)  // half dense: above the default density limit
        let sparse = maskedLinear(40, 30, sparsity: 0.95, seed: 7)
        #expect(sparse.sparseForward(x) != nil)
        sparse.weight.mask = nil
        #expect(sparse.sparseForward(x) == nil)  // no mask: the layer is not pruned, stay dense
    }

    @Test func trainingStaysDenseAndBackwardStillWorks() {
        let layer = maskedLinear(30, 12, sparsity: 0.95, seed: 9)
        var rng = SeededGenerator(seed: 10)
        let x = Tensor.normal([6, 30], using: &rng)
        let train = layer.forward(x, training: true)
        let gradInput = layer.backward(Tensor(shape: train.shape, repeating: 1))
        #expect(gradInput.shape == x.shape)
        #expect(train.maxAbsDifference(output(layer, x, sparse: true)) <= 1e-5)
    }
}
