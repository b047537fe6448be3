import Networks

/// A container whose children do not run one after another (a residual block) can tell the
/// cost counter the input shape of each child, in `children` order.
///
/// Without it the counter guesses (see `ModelCost`); conform a block when the guess is wrong.
public protocol ShapeTracing: Layer {
    /// Input shape of each child (same order as `children`) for an input of `inputShape`.
    func childInputShapes(for inputShape: [Int]) -> [[Int]]
}

/// The cost of one Conv2d or Linear layer (or another layer with parameters) for one sample.
public struct LayerCost: Sendable, Codable, Equatable {
    /// The weight's name without `.weight` (e.g. `conv2`), or the layer's position (`body.3`).
    public var name: String
    public var summary: String
    /// Input and output shapes with a batch of 1.
    public var inputShape: [Int]
    public var outputShape: [Int]
    /// Multiply-accumulates: Conv2d H_out·W_out·C_out·C_in·k·k; Linear in·out; others 0.
    public var multiplyAccumulates: Int
    /// Learnable scalars of the layer itself (weights, biases, BN γ and β).
    public var parameters: Int
}

/// Multiply-accumulates and parameters of a model for one input sample.
///
/// Convention (as the papers' tables): MACs of Conv2d and Linear layers only; bias additions,
/// BatchNorm, ReLU, pooling and residual additions are not counted (they are a small fraction
/// and network-slimming's reported numbers leave them out too). FLOPs are often quoted as
/// 2·MACs; this counts MACs. Parameters are every learnable scalar (running statistics
/// excluded), as `sum(p.numel() for p in model.parameters())`.
///
/// Shapes are traced from `network.inputShape` with a batch of 1: through a `Sequential` child
/// by child; through a `ShapeTracing` container as it says; through any other container the
/// children are walked in order and each child gets the previous child's output if its input
/// channel count fits, otherwise the container's input (so a residual block's main path is
/// followed and its shortcut conv sees the block input). The guess fails only for a shortcut
/// whose channel count equals the main path's output while its spatial size differs; such
/// a block should conform to `ShapeTracing`. The total parameter count never depends on it.
public struct ModelCost: Sendable, Codable, Equatable {
    /// One entry per layer that has parameters or MACs, in network order.
    public var layers: [LayerCost]

    public var multiplyAccumulates: Int { layers.reduce(0) { $0 + $1.multiplyAccumulates } }
    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }

    /// Traces `network` with one sample and counts MACs and parameters.
    public init(_ network: Network) {
        var counter = CostCounter()
        _ = counter.walk(network.body, input: [1] + network.inputShape, path: "body")
        layers = counter.layers
    }
}

private struct CostCounter {
    var layers: [LayerCost] = []

    mutating func walk(_ layer: any Layer, input: [Int], path: String) -> [Int] {
        let children = layer.children
        if children.isEmpty {
            let output = layer.outputShape(for: input)
            record(layer, input: input, output: output, path: path)
            return output
        }
        let ownParameters = layer.parameters.reduce(0) { $0 + $1.value.count }
        if ownParameters > 0 {
            layers.append(LayerCost(name: path, summary: layer.summary, inputShape: input,
                                    outputShape: layer.outputShape(for: input), multiplyAccumulates: 0,
                                    parameters: ownParameters))
        }
        if layer is Sequential {
            var x = input
            for (i, child) in children.enumerated() { x = walk(child, input: x, path: "\(path).\(i)") }
            return x
        }
        if let traced = layer as? any ShapeTracing {
            let shapes = traced.childInputShapes(for: input)
            precondition(shapes.count == children.count, "\(layer.summary): childInputShapes gave \(shapes.count) shapes for \(children.count) children")
            for (i, (child, shape)) in zip(children, shapes).enumerated() { _ = walk(child, input: shape, path: "\(path).\(i)") }
            return layer.outputShape(for: input)
        }
        var running = input
        for (i, child) in children.enumerated() {
            let x = accepts(child, running) ? running : input
            running = walk(child, input: x, path: "\(path).\(i)")
        }
        return layer.outputShape(for: input)
    }

    mutating func record(_ layer: any Layer, input: [Int], output: [Int], path: String) {
        let parameters = layer.parameters.reduce(0) { $0 + $1.value.count }
        var macs = 0
        var name = path
        if let conv = layer as? Conv2d {
            macs = output[2] * output[3] * conv.outChannels * conv.inChannels * conv.kernel * conv.kernel
            name = baseName(conv.weight.name) ?? path
        } else if let linear = layer as? Linear {
            macs = linear.inFeatures * linear.outFeatures
            name = baseName(linear.weight.name) ?? path
        } else if let norm = layer as? BatchNorm2d {
            name = baseName(norm.weight.name) ?? path
        }
        guard macs > 0 || parameters > 0 else { return }
        layers.append(LayerCost(name: name, summary: layer.summary, inputShape: input, outputShape: output,
                                multiplyAccumulates: macs, parameters: parameters))
    }

    /// Whether `layer` can take an input of `shape` (by its first channel-sensitive layer).
    func accepts(_ layer: any Layer, _ shape: [Int]) -> Bool {
        guard let expected = expectedInput(layer) else { return true }
        switch expected {
        case .channels(let c): return shape.count == 4 && shape[1] == c
        case .features(let f): return shape.dropFirst().reduce(1, *) == f
        }
    }

    enum Expected { case channels(Int), features(Int) }

    func expectedInput(_ layer: any Layer) -> Expected? {
        if let conv = layer as? Conv2d { return .channels(conv.inChannels) }
        if let norm = layer as? BatchNorm2d { return .channels(norm.channels) }
        if let selection = layer as? ChannelSelection { return .channels(selection.inputChannels) }
        if let linear = layer as? Linear { return .features(linear.inFeatures) }
        for child in layer.children { if let e = expectedInput(child) { return e } }
        return nil
    }

    func baseName(_ parameterName: String) -> String? {
        guard !parameterName.isEmpty, parameterName != "weight" else { return nil }
        return parameterName.hasSuffix(".weight") ? String(parameterName.dropLast(7)) : parameterName
    }
}
