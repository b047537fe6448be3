import Testing
@testable import Networks
@testable import Tensors

/// Each layer against PyTorch (fixtures from tools/make_fixtures.py): forward output, input
/// gradient and parameter gradients for a given upstream gradient, within 1e-4 relative.
@Suite struct PyTorchLayerTests {
    /// Runs forward and backward of `layer` on the fixture's x and dy and compares y, dx and grad.<name>.
    func compare(_ layer: any Layer, _ fixture: Fixture, training: Bool = true) throws {
        let y = layer.forward(try fixture.tensor("x"), training: training)
        try expectMatch(y, fixture, "y")
        for p in layer.parameters { p.grad.zero() }
        let dx = layer.backward(try fixture.tensor("dy"))
        try expectMatch(dx, fixture, "dx")
        for p in layer.parameters { try expectMatch(p.grad, fixture, "grad." + p.name) }
    }

    @Test(arguments: ["linear", "linear_nobias"])
    func linear(_ name: String) throws {
        let fixture = try Fixture.load(name)
        let weight = try fixture.tensor("weight")
        var rng = SeededGenerator(seed: 0)
        let layer = Linear(weight.shape[1], weight.shape[0], bias: fixture.tensors["bias"] != nil, rng: &rng)
        try fixture.load(into: layer.parameters)
        try compare(layer, fixture)
    }

    @Test(arguments: ["conv_k3s1p1", "conv_k3s2p1", "conv_k1s1p0"])
    func conv2d(_ name: String) throws {
        let fixture = try Fixture.load(name)
        let config = try fixture.ints("config")  // kernel, stride, padding, bias
        let weight = try fixture.tensor("weight")
        var rng = SeededGenerator(seed: 0)
        let layer = Conv2d(weight.shape[1], weight.shape[0], kernel: config[0], stride: config[1], padding: config[2],
                           bias: config[3] == 1, rng: &rng)
        try fixture.load(into: layer.parameters)
        try compare(layer, fixture)
    }

    @Test func batchNormTrainingStepAndEvaluation() throws {
        let fixture = try Fixture.load("batchnorm_train")
        let layer = BatchNorm2d(4)
        try fixture.load(into: layer.parameters)
        try compare(layer, fixture)
        try expectMatch(layer.runningMean.value, fixture, "running_mean")
        try expectMatch(layer.runningVar.value, fixture, "running_var")
        let yEval = layer.forward(try fixture.tensor("x_eval"), training: false)
        try expectMatch(yEval, fixture, "y_eval")
    }

    @Test func maxPool() throws {
        try compare(MaxPool2d(2), try Fixture.load("maxpool"))
    }

    @Test(arguments: ["avgpool", "avgpool_global"])
    func avgPool(_ name: String) throws {
        let fixture = try Fixture.load(name)
        try compare(AvgPool2d(try fixture.ints("kernel")[0]), fixture)
    }

    @Test func crossEntropyLoss() throws {
        let fixture = try Fixture.load("crossentropy")
        let result = crossEntropy(logits: try fixture.tensor("logits"), labels: try fixture.ints("labels"))
        let expected = try fixture.scalar("loss")
        #expect(abs(Double(result.loss) - expected) < 1e-4 * abs(expected))
        try expectMatch(result.gradient, fixture, "dlogits")
    }
}
