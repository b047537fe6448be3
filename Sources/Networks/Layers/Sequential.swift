import Tensors

/// Layers applied one after another; backward runs them in reverse.
public final class Sequential: Layer {
    public private(set) var layers: [any Layer]
    /// Optional label shown in the model summary (e.g. `layer1.0`).
    public var label: String

    public init(_ layers: [any Layer], label: String = "Sequential") {
        self.layers = layers
        self.label = label
    }

    public var summary: String { label }
    public var children: [any Layer] { layers }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var x = input
        for layer in layers { x = layer.forward(x, training: training) }
        return x
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        var g = gradOutput
        for layer in layers.reversed() { g = layer.backward(g) }
        return g
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        layers.reduce(inputShape) { $1.outputShape(for: $0) }
    }
}
