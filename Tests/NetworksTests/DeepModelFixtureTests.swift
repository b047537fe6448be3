import Foundation
import Networks
import Tensors
import Testing
import TestSupport

/// One training step of each deep family against PyTorch (tools/make_deep_fixtures.py):
/// forward, loss, every gradient, one SGD step (lr 0.1, momentum 0.9, weight decay 1e-4),
/// a second forward in training and in eval mode, and the running statistics.
@Suite("Deep models against PyTorch")
struct DeepModelFixtureTests {
    static let tolerance = 1e-4

    @Test(arguments: ["deep_vgg11", "deep_resnet14", "deep_preresnet11", "deep_densenet10"])
    func oneTrainingStepMatchesPyTorch(_ name: String) throws {
        let fixture = try DeepModelFixture.load(name)
        let network = fixture.makeNetwork()
        #expect(network.cfg == fixture.cfg)

        // The state loads by name, and the names are exactly PyTorch's state-dict keys.
        let state = Dictionary(uniqueKeysWithValues: network.state.map { ($0.name, $0) })
        #expect(state.count == network.state.count, "parameter names are not unique")
        #expect(Set(state.keys) == Set(fixture.state.keys),
                "names differ: \(Set(state.keys).symmetricDifference(fixture.state.keys).sorted())")
        for (key, encoded) in fixture.state {
            guard let parameter = state[key] else { continue }
            #expect(parameter.shape == encoded.shape, "\(key): \(parameter.shape) vs \(encoded.shape)")
            if parameter.shape == encoded.shape { parameter.value.assign(DeepModelFixture.tensor(encoded)) }
        }
        if let selections = fixture.selections {
            let selectionLayers = Self.selectionsByName(network)
            #expect(Set(selectionLayers.keys) == Set(selections.keys))
            for (key, indices) in selections { selectionLayers[key]?.indices = indices }
        }

        let input = DeepModelFixture.tensor(fixture.input)
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4)
        optimizer.zeroGradients()
        let logits = network.forward(input, training: true)
        let result = crossEntropy(logits: logits, labels: fixture.labels)
        network.backward(result.gradient)
        Self.expectClose(logits.values, fixture.logits, "logits")
        #expect(abs(Double(result.loss) - fixture.loss) <= 1e-4 * max(1, abs(fixture.loss)))
        for parameter in network.parameters {
            Self.expectClose(parameter.grad.values, fixture.grads[parameter.name], "gradient of \(parameter.name)")
        }

        optimizer.step()
        for parameter in network.parameters {
            Self.expectClose(parameter.value.values, fixture.afterStep[parameter.name], "\(parameter.name) after the step")
        }
        let logitsAfter = network.forward(input, training: true)
        Self.expectClose(logitsAfter.values, fixture.logitsAfterStep, "logits after the step")
        let lossAfter = crossEntropy(logits: logitsAfter, labels: fixture.labels).loss
        #expect(abs(Double(lossAfter) - fixture.lossAfterStep) <= 1e-4 * max(1, abs(fixture.lossAfterStep)))
        Self.expectClose(network.forward(input, training: false).values, fixture.evalLogitsAfterStep, "eval logits")
        for (key, encoded) in fixture.buffersAfter {
            Self.expectClose(state[key]?.value.values ?? [], encoded, "\(key) at the end")
        }
    }

    static func expectClose(_ actual: [Float], _ expected: String?, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected else {
            Issue.record("the fixture has no \(what)", sourceLocation: sourceLocation)
            return
        }
        let values = DeepModelFixture.floats(expected)
        guard values.count == actual.count else {
            Issue.record("\(what): \(actual.count) values, the fixture has \(values.count)", sourceLocation: sourceLocation)
            return
        }
        let error = relativeError(actual, values)
        #expect(error <= tolerance, "\(what): relative error \(error)", sourceLocation: sourceLocation)
    }

    /// The channel selections of a pre-activation ResNet or a DenseNet by their state-dict
    /// prefix (`layer1.0.select`, `dense1.0.select`, `trans1.select`, …, `select`).
    static func selectionsByName(_ network: Network) -> [String: ChannelSelection] {
        var result: [String: ChannelSelection] = [:]
        for layer in network.body.allLayers {
            if let block = layer as? Bottleneck {
                result[String(block.bn1.weight.name.dropLast(".bn1.weight".count)) + ".select"] = block.select
            } else if let dense = layer as? DenseLayer {
                result["\(dense.name).select"] = dense.select
            } else if let transition = layer as? DenseTransition {
                result["\(transition.name).select"] = transition.select
            }
        }
        if let last = network.body.layers.compactMap({ $0 as? ChannelSelection }).last { result["select"] = last }
        return result
    }
}
