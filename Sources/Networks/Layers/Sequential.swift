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
        var i = 0
        while i < layers.count {
            // Inference: Conv2d → BatchNorm2d (→ ReLU) in one pass where the conv can fuse them.
            if !training, let conv = layers[i] as? Conv2d, i + 1 < layers.count,
               let batchNorm = layers[i + 1] as? BatchNorm2d {
                let relu = i + 2 < layers.count ? layers[i + 2] as? ReLU : nil
                x = inferConvBatchNorm(x, conv, batchNorm, relu)
                i += relu == nil ? 2 : 3
                continue
            }
            x = layers[i].forward(x, training: training)
            i += 1
        }
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
