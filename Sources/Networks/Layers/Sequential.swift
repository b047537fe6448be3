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

    /// The BatchNorm2d → ReLU outputs of the latest training forward, by the BatchNorm's index:
    /// a BatchNorm directly followed by a ReLU runs both in one pass (`forward(_:training:relu:)`),
    /// and backward runs their two backward passes as one. Nothing else in a sequence reads the
    /// BatchNorm's output, so the result is the layers' one by one (up to rounding in backward).
    private var fusedActivations: [Int: Tensor] = [:]

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var x = input
        var i = 0
        fusedActivations = [:]
        while i < layers.count {
            if training, i + 1 < layers.count, let batchNorm = layers[i] as? BatchNorm2d, layers[i + 1] is ReLU {
                x = batchNorm.forward(x, training: true, relu: true)
                fusedActivations[i] = x
                i += 2
                continue
            }
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
        var i = layers.count - 1
        while i >= 0 {
            if i >= 1, let activation = fusedActivations[i - 1], let batchNorm = layers[i - 1] as? BatchNorm2d {
                g = batchNorm.backward(g, reluOutput: activation, adding: nil)
                i -= 2
                continue
            }
            g = layers[i].backward(g)
            i -= 1
        }
        return g
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        layers.reduce(inputShape) { $1.outputShape(for: $0) }
    }
}
