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
            // Inference: Conv2d (→ BatchNorm2d) (→ ReLU) in one pass where the conv can fuse them.
            if !training, let conv = layers[i] as? Conv2d {
                var next = i + 1
                let batchNorm = next < layers.count ? layers[next] as? BatchNorm2d : nil
                if batchNorm != nil { next += 1 }
                let relu = next < layers.count ? layers[next] as? ReLU : nil
                if relu != nil { next += 1 }
                x = inferConvBatchNorm(x, conv, batchNorm, relu)
                i = next
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
