import Testing
@testable import Networks
@testable import Tensors

/// SGD step by step on one weight against torch.optim.SGD's update rule written out by hand,
/// and the masked and resized cases the pruning code relies on.
@Suite struct SGDTests {
    /// torch.optim.SGD for a scalar: d = g + λw; b = d (first) or μb + d; w −= lr·(nesterov ? d + μb : b).
    func reference(weight: Double, gradients: [Double], lr: Double, momentum: Double, decay: Double, nesterov: Bool) -> Double {
        var w = weight, b = 0.0
        for (step, g) in gradients.enumerated() {
            let d = g + decay * w
            b = step == 0 ? d : momentum * b + d
            w -= lr * (nesterov ? d + momentum * b : (momentum == 0 ? d : b))
        }
        return w
    }

    @Test(arguments: [(0.0, 0.0, false), (0.9, 0.0, false), (0.9, 5e-4, false), (0.9, 5e-4, true), (0.0, 1e-2, false)])
    func matchesTheUpdateRule(_ c: (momentum: Double, decay: Double, nesterov: Bool)) {
        let gradients = [0.5, -0.25, 1.0, 0.125]
        let parameter = Parameter(Tensor(shape: [1], values: [2]))
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: Float(c.momentum),
                            weightDecay: Float(c.decay), nesterov: c.nesterov)
        for g in gradients {
            optimizer.zeroGradients()
            parameter.grad[0] = Float(g)
            optimizer.step()
        }
        let expected = reference(weight: 2, gradients: gradients, lr: 0.1, momentum: c.momentum, decay: c.decay,
                                 nesterov: c.nesterov)
        #expect(abs(Double(parameter.value[0]) - expected) < 1e-6, "\(c): \(parameter.value[0]) vs \(expected)")
    }

    @Test func masksKeepPrunedWeightsAtZero() {
        let parameter = Parameter(Tensor(shape: [3], values: [1, 0, 3]))
        parameter.mask = Tensor(shape: [3], values: [1, 0, 1])
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3)
        for _ in 0..<3 {
            optimizer.zeroGradients()
            parameter.grad.fill(1)
            optimizer.step()
        }
        #expect(parameter.value[1] == 0)
        #expect(parameter.value[0] < 1 && parameter.value[2] < 3)
    }

    @Test func buffersAreNotUpdated() {
        let buffer = Parameter(Tensor(shape: [2], values: [1, 1]), trainable: false)
        let optimizer = SGD(parameters: [buffer], learningRate: 0.1)
        #expect(optimizer.parameters.isEmpty)
    }

    @Test func resizedParameterStartsAFreshMomentumBuffer() {
        // Structural surgery replaces a parameter's value with a smaller one between steps.
        let parameter = Parameter(Tensor(shape: [4], values: [1, 2, 3, 4]))
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9)
        parameter.grad.fill(1)
        optimizer.step()
        parameter.replace(with: Tensor(shape: [2], values: [5, 6]))
        parameter.grad.fill(2)
        optimizer.step()
        // A first step again: w −= lr·g.
        #expect(parameter.value.values == [5 - 0.2, 6 - 0.2])
    }
}
