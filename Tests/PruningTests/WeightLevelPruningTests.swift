import Networks
import Tensors
import Testing
@testable import Pruning

/// A VGG-11 at ⅛ width (8…64 channels) on 3×32×32: every conv of the real model, CPU-cheap.
func smallVGG(seed: UInt64) -> Network { .vgg(depth: 11, widthMultiplier: 0.125, seed: seed) }

/// `steps` SGD steps of `optimizer` on seeded random batches of 8 (training mode).
func takeSGDSteps(_ network: Network, _ optimizer: SGD, steps: Int, seed: UInt64 = 50) {
    for step in 0..<steps {
        optimizer.zeroGradients()
        let input = sampleInput(for: network, batch: 8, seed: seed &+ UInt64(step))
        let labels = (0..<8).map { ($0 + step) % network.classCount }
        let result = crossEntropy(logits: network.forward(input, training: true), labels: labels)
        network.backward(result.gradient)
        optimizer.step()
    }
}

@Suite struct WeightLevelPruningTests {
    @Test func convolutionsOnlyLeavesTheClassifierDense() {
        let network = smallVGG(seed: 1)
        #expect(MagnitudePruning.prunableWeights(of: network, layers: .convolutions).count == 8)
        #expect(MagnitudePruning.prunableWeights(of: network).count == 9)
        let report = MagnitudePruning.prune(network, sparsity: 0.5, scope: .global, layers: .convolutions)
        #expect(report.layers.count == 8 && !report.layers.map(\.name).contains("classifier.weight"))
        #expect(network.parameters.first { $0.name == "classifier.weight" }!.mask == nil)
        #expect(SparsityReport(network, layers: .convolutions).prunedCount == report.prunedCount)
    }

    /// Weights drawn from six values, so thousands of entries tie at the threshold: exactly
    /// round(p·N) of them go all the same, and one threshold separates pruned from kept.
    @Test(arguments: [0.37, 0.5, 0.9])
    func globalThresholdPrunesExactlyTheFractionWhenWeightsTie(sparsity: Double) {
        let network = smallVGG(seed: 2)
        var rng = SeededGenerator(seed: 3)
        let levels: [Float] = [-0.3, -0.2, -0.1, 0.1, 0.2, 0.3]
        let weights = MagnitudePruning.prunableWeights(of: network, layers: .convolutions)
        for weight in weights {
            for i in 0..<weight.value.count { weight.value[flat: i] = levels[Int(rng.next() % 6)] }
        }
        let original = weights.map { $0.value.copy() }
        let report = MagnitudePruning.prune(network, sparsity: sparsity, scope: .global, layers: .convolutions)
        let total = report.totalCount
        #expect(report.prunedCount == Int((sparsity * Double(total)).rounded()))
        var largestPruned: Float = 0, smallestKept = Float.infinity, atOrBelowLargestPruned = 0
        for (weight, value) in zip(weights, original) {
            for i in 0..<value.count {
                if weight.mask![flat: i] == 0 {
                    #expect(weight.value[flat: i] == 0)
                    largestPruned = max(largestPruned, abs(value[flat: i]))
                } else {
                    smallestKept = min(smallestKept, abs(value[flat: i]))
                }
            }
        }
        for value in original { atOrBelowLargestPruned += value.values.filter { abs($0) <= largestPruned }.count }
        #expect(largestPruned <= smallestKept)
        // The threshold's tie class was split: `|w| > threshold` would have pruned all of it.
        #expect(atOrBelowLargestPruned > report.prunedCount)
        // The layers end up with different sparsities (one threshold, not one per layer).
        #expect(Set(report.layers.map { ($0.sparsity * 100).rounded() }).count > 1)
    }

    @Test func layerwiseScopePrunesTheFractionOfEveryConvolution() {
        let network = smallVGG(seed: 4)
        let report = MagnitudePruning.prune(network, sparsity: 0.6, scope: .layerwise, layers: .convolutions)
        for layer in report.layers { #expect(layer.pruned == Int((0.6 * Double(layer.count)).rounded())) }
    }

    /// Pruning in the middle of training: the optimiser's momentum buffers already hold values
    /// at the entries that get pruned, and weight decay pulls on every weight; the masked conv
    /// weights must still be exactly zero after each step.
    @Test func convMasksStayZeroThroughSGDWithMomentumAndWeightDecay() {
        let network = smallVGG(seed: 5)
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: true)
        takeSGDSteps(network, optimizer, steps: 2)
        MagnitudePruning.prune(network, sparsity: 0.8, scope: .global, layers: .convolutions)
        let weights = MagnitudePruning.prunableWeights(of: network, layers: .convolutions)
        let indices = weights.map { weight in optimizer.parameters.firstIndex { $0 === weight }! }
        // Non-vacuous: momentum would move pruned entries if nothing held them at zero.
        var pushed = 0
        for (weight, index) in zip(weights, indices) {
            let velocity = optimizer.velocity[index]!
            for i in 0..<weight.value.count where weight.mask![flat: i] == 0 && velocity[flat: i] != 0 { pushed += 1 }
        }
        #expect(pushed > 1000)
        let before = weights.map { $0.value.copy() }
        takeSGDSteps(network, optimizer, steps: 3, seed: 70)
        var moved = 0
        for (weight, old) in zip(weights, before) {
            for i in 0..<old.count {
                if weight.mask![flat: i] == 0 { #expect(weight.value[flat: i] == 0) }
                else if weight.value[flat: i] != old[flat: i] { moved += 1 }
            }
        }
        #expect(moved > 1000)
        #expect(abs(SparsityReport(network, layers: .convolutions).overallSparsity - 0.8) < 1e-4)
    }

    @Test func scratchCarriesTheMaskOnFreshWeights() {
        let pruned = smallVGG(seed: 6)
        MagnitudePruning.prune(pruned, sparsity: 0.75, scope: .layerwise, layers: .convolutions)
        let scaled = MagnitudePruning.scratch(from: pruned, seed: 9)
        let plain = MagnitudePruning.scratch(from: pruned, seed: 9, initialisation: .model)
        let fresh = pruned.reinitialized(seed: 9)
        for (index, source) in pruned.parameters.enumerated() {
            let (a, b, f) = (scaled.parameters[index], plain.parameters[index], fresh.parameters[index])
            guard let mask = source.mask else {
                #expect(a.mask == nil && b.mask == nil)
                #expect(a.value.values == f.value.values && b.value.values == f.value.values)
                continue
            }
            #expect(a.mask!.values == mask.values && b.mask!.values == mask.values)
            var keptDiffer = 0
            for i in 0..<mask.count {
                if mask[flat: i] == 0 {
                    #expect(a.value[flat: i] == 0 && b.value[flat: i] == 0)
                } else {
                    #expect(b.value[flat: i] == f.value[flat: i])   // `.model`: the fresh init, masked
                    if a.value[flat: i] != source.value[flat: i] { keptDiffer += 1 }
                }
            }
            #expect(keptDiffer == Int(mask.sum()))
        }
        // Density-scaled: std √(2/n), n = kept / in-channels = ¼ of the dense fan-out, so the
        // surviving weights are twice as spread as the model's Kaiming init.
        let conv = scaled.parameters.first { $0.name == "feature.25.weight" }!   // 64 → 64, 3×3
        let dense = plain.parameters.first { $0.name == "feature.25.weight" }!
        func keptStd(_ p: Parameter) -> Double {
            let kept = (0..<p.value.count).filter { p.mask![flat: $0] != 0 }.map { Double(p.value[flat: $0]) }
            return (kept.reduce(0) { $0 + $1 * $1 } / Double(kept.count)).squareRoot()
        }
        let expected = (2 / (Double(conv.mask!.sum()) / 64)).squareRoot()
        #expect(abs(keptStd(conv) / expected - 1) < 0.05)
        #expect(abs(keptStd(conv) / keptStd(dense) - 2) < 0.15)
    }
}
