import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// The MLP and the SmallCNN against PyTorch: with PyTorch's initial weights loaded by name,
/// logits, loss, gradients, and the weights after two SGD steps (lr 0.1, momentum 0.9,
/// weight decay 5e-4; plain and Nesterov) agree within 1e-4 relative.
@Suite struct PyTorchModelTests {
    static let cases: [(name: String, nesterov: Bool)] = [("mlp", false), ("mlp", true), ("smallcnn", false)]

    func makeNetwork(_ name: String) -> Network {
        name == "mlp" ? .mlp(cfg: [16, 12, 10], inputShape: [1, 6, 6], seed: 0) : .smallCNN(cfg: [4, 6, 8], seed: 0)
    }

    @Test(arguments: ["mlp", "smallcnn"])
    func forwardAndBackward(_ name: String) throws {
        let fixture = try Fixture.load(name)
        let network = makeNetwork(name)
        // Every PyTorch parameter has a Swift counterpart of the same name, and vice versa.
        let names = Set(network.parameters.map(\.name))
        #expect(Set(fixture.tensors.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }) == names)
        try fixture.load(into: network.parameters)
        let logits = network.forward(try fixture.tensor("x1"), training: true)
        try expectMatch(logits, fixture, "logits")
        let result = crossEntropy(logits: logits, labels: try fixture.ints("labels1"))
        let expectedLoss = try fixture.scalar("loss")
        #expect(abs(Double(result.loss) - expectedLoss) < 1e-4 * expectedLoss)
        for p in network.parameters { p.grad.zero() }
        network.backward(result.gradient)
        for p in network.parameters { try expectMatch(p.grad, fixture, "grad." + p.name) }
    }

    @Test(arguments: cases)
    func twoSGDSteps(_ c: (name: String, nesterov: Bool)) throws {
        let fixture = try Fixture.load(c.name), sgdFixture = try Fixture.load(c.name + "_sgd")
        let network = makeNetwork(c.name)
        try fixture.load(into: network.parameters)
        let initial = network.parameters.map { $0.value.copy() }
        let optimizer = SGD(parameters: network.parameters, learningRate: Float(try sgdFixture.scalar("lr")),
                            momentum: Float(try sgdFixture.scalar("momentum")),
                            weightDecay: Float(try sgdFixture.scalar("weight_decay")), nesterov: c.nesterov)
        let batches = [(try fixture.tensor("x1"), try fixture.ints("labels1")),
                       (try sgdFixture.tensor("x2"), try sgdFixture.ints("labels2"))]
        for (step, (x, labels)) in batches.enumerated() {
            optimizer.zeroGradients()
            network.backward(crossEntropy(logits: network.forward(x, training: true), labels: labels).gradient)
            optimizer.step()
            let prefix = (c.nesterov ? "nesterov_" : "") + "step\(step + 1)."
            guard c.nesterov == false || step == 1 else { continue }
            for (p, start) in zip(network.parameters, initial) {
                try expectMatch(p.value, sgdFixture, prefix + p.name)
                // The distance moved, too: a wrong update hides in the weights' own size.
                let moved = p.value.copy(); moved.add(start, scaledBy: -1)
                let expected = try sgdFixture.tensor(prefix + p.name); expected.add(start, scaledBy: -1)
                let error = relativeError(moved.values, expected.values)
                #expect(error < 1e-3, "\(prefix + p.name): update differs from PyTorch's by \(error) relative")
            }
        }
    }
}
