import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// BatchNorm → ReLU in one pass in training, in a `Sequential` (VGG's conv → BN → ReLU) and in
/// ResNet's `BasicBlock` (BN1 → ReLU), against the same layers run one by one (fresh ReLUs):
/// the outputs are equal, the gradients equal within rounding.
extension KernelLayerTests {
    /// The parameter gradients of `layers`, then zeroed for the next pass.
    private func takeGradients(_ layers: [any Layer]) -> [[Float]] {
        layers.flatMap(\.parameters).map { p in defer { p.grad.zero() }; return p.grad.values }
    }

    @Test(arguments: [(2, 3, 8, 8), (3, 5, 7, 7), (1, 4, 32, 32)])
    func sequentialFusesBatchNormReLUInTraining(_ shape: (n: Int, c: Int, h: Int, w: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.n * 100 + shape.h))
        let (conv1, bn1) = (Conv2d(shape.c, 6, kernel: 3, padding: 1, bias: false, rng: &rng), BatchNorm2d(6, gamma: 0.5))
        let (conv2, bn2) = (Conv2d(6, 5, kernel: 3, padding: 1, rng: &rng), BatchNorm2d(5))
        for bn in [bn1, bn2] {
            for ch in 0..<bn.channels { bn.weight.value[ch] = rng.uniform(0.5, 1.5); bn.bias.value[ch] = rng.uniform(-0.5, 0.5) }
        }
        // BN → ReLU twice, and a BatchNorm followed by something else (not fused).
        let bn3 = BatchNorm2d(5)
        let layers: [any Layer] = [conv1, bn1, ReLU(), conv2, bn2, ReLU(), MaxPool2d(2), bn3]
        let sequence = Sequential(layers)
        let x = Tensor.normal([shape.n, shape.c, shape.h, shape.w], using: &rng)
        let y = sequence.forward(x, training: true)
        let dy = Tensor.normal(y.shape, using: &rng)
        let dx = sequence.backward(dy)
        let grads = takeGradients(layers)

        let reference: [any Layer] = [conv1, bn1, ReLU(), conv2, bn2, ReLU(), MaxPool2d(2), bn3]
        var yRef = x
        for layer in reference { yRef = layer.forward(yRef, training: true) }
        var dxRef = dy
        for layer in reference.reversed() { dxRef = layer.backward(dxRef) }
        let gradsRef = takeGradients(reference)
        #expect(y.values == yRef.values)
        #expect(relativeError(dx.values, dxRef.values) <= 1e-5)
        for (g, r) in zip(grads, gradsRef) { #expect(relativeError(g, r) <= 1e-5) }
    }

    @Test(arguments: [(8, 8, 1), (8, 16, 2), (12, 12, 1)])
    func basicBlockFusesBatchNormReLUInTraining(_ shape: (c: Int, out: Int, stride: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.c * 10 + shape.out))
        let block = BasicBlock(inputChannels: shape.c, innerChannels: 7, outputChannels: shape.out, stride: shape.stride,
                               name: "b", rng: &rng)
        for bn in [block.bn1, block.bn2] {
            for ch in 0..<bn.channels { bn.weight.value[ch] = rng.uniform(0.5, 1.5); bn.bias.value[ch] = rng.uniform(-0.5, 0.5) }
        }
        let x = Tensor.normal([3, shape.c, 8, 8], using: &rng)
        let y = block.forward(x, training: true)
        let dy = Tensor.normal(y.shape, using: &rng)
        let dx = block.backward(dy)
        let parts: [any Layer] = [block.conv1, block.bn1, block.conv2, block.bn2]
        let grads = takeGradients(parts)

        let (innerReLU, outputReLU) = (ReLU(), ReLU())
        var main = x
        for layer: any Layer in [block.conv1, block.bn1, innerReLU, block.conv2, block.bn2] {
            main = layer.forward(main, training: true)
        }
        let yRef = outputReLU.forward(residualSum(main, block.shortcut?.forward(x, training: true) ?? x), training: true)
        let gradSum = outputReLU.backward(dy)
        var g = gradSum
        for layer: any Layer in [block.bn2, block.conv2, innerReLU, block.bn1, block.conv1] { g = layer.backward(g) }
        let dxRef = residualSum(g, block.shortcut?.backward(gradSum) ?? gradSum)
        let gradsRef = takeGradients(parts)
        #expect(y.values == yRef.values)
        #expect(relativeError(dx.values, dxRef.values) <= 1e-5)
        for (g, r) in zip(grads, gradsRef) { #expect(relativeError(g, r) <= 1e-5) }
    }
}
