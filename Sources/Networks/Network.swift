import Foundation
import Tensors

/// A model: a layer stack plus what is needed to rebuild, prune and describe it.
public final class Network {
    public let family: ModelFamily
    /// Channel/width list the model was built from; structural pruning updates it.
    public var cfg: [Int]
    /// Shape of one input sample, e.g. `[1, 28, 28]`.
    public let inputShape: [Int]
    public let classCount: Int
    public let body: Sequential
    /// Groups of slices that structural pruning may shrink (see `ChannelGroup`).
    public let channelGroups: [ChannelGroup]
    /// Depth of a deep family (VGG, ResNet, PreResNet, DenseNet), part of its `spec`.
    public var depth: Int?
    /// Width multiplier of a deep family, part of its `spec`.
    public var widthMultiplier: Double = 1

    public init(family: ModelFamily, cfg: [Int], inputShape: [Int], classCount: Int,
                body: Sequential, channelGroups: [ChannelGroup]) {
        self.family = family; self.cfg = cfg; self.inputShape = inputShape
        self.classCount = classCount; self.body = body; self.channelGroups = channelGroups
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor { body.forward(input, training: training) }
    @discardableResult
    public func backward(_ gradOutput: Tensor) -> Tensor { body.backward(gradOutput) }

    /// Stops the first Conv2d or Linear layer from computing ∂L/∂input, which training never
    /// uses (the images are not learned; PyTorch skips it too, as its input needs no gradient).
    /// `Trainer.fit` calls it; `backward` then returns zeros for the network's input, and the
    /// parameter gradients are unchanged.
    public func skipInputGradient() {
        for layer in body.allLayers {
            if let conv = layer as? Conv2d { conv.skipsInputGradient = true; return }
            if let linear = layer as? Linear { linear.skipsInputGradient = true; return }
        }
    }

    /// Learnable parameters, in a fixed order.
    public var parameters: [Parameter] { body.allParameters }
    /// Learnable parameters and buffers (everything a checkpoint saves).
    public var state: [Parameter] { body.allParameters + body.allBuffers }
    /// Every BatchNorm layer, in order (network slimming regularises their γ).
    public var batchNorms: [BatchNorm2d] { body.allLayers.compactMap { $0 as? BatchNorm2d } }

    /// Number of learnable scalars (masked entries included, as PyTorch counts).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
    /// Number of learnable scalars that are not masked away.
    public var nonzeroParameterCount: Int {
        parameters.reduce(0) { $0 + ($1.mask.map { Int($0.sum()) } ?? $1.value.count) }
    }

    /// Every ChannelSelection layer, in order.
    public var channelSelections: [ChannelSelection] { body.allLayers.compactMap { $0 as? ChannelSelection } }

    /// A new network of the same architecture (cfg and channel selections) with fresh random
    /// weights: the "train the pruned architecture from scratch" baseline.
    public func reinitialized(seed: UInt64) -> Network {
        // The spec of a live network always builds (it was built from it).
        let copy = try! Network.build(spec, seed: seed)
        for (target, source) in zip(copy.channelSelections, channelSelections) { target.indices = source.indices }
        return copy
    }

    /// An independent copy with the same weights, buffers, masks and channel selections.
    public func clone() -> Network {
        let copy = reinitialized(seed: 0)
        let (sources, targets) = (state, copy.state)
        precondition(sources.count == targets.count, "clone: parameter lists differ")
        for (target, source) in zip(targets, sources) {
            precondition(target.shape == source.shape, "clone: \(source.name) has shape \(source.shape), rebuilt \(target.shape)")
            target.value.assign(source.value)
            target.mask = source.mask?.copy()
        }
        return copy
    }

    /// A PyTorch-like table of layers, output shapes (for one sample) and parameter counts.
    public func summary() -> String {
        var rows: [(name: String, shape: String, count: String)] = []
        func count(_ layer: any Layer) -> Int { layer.allParameters.reduce(0) { $0 + $1.value.count } }
        func describe(_ layer: any Layer, input: [Int], depth: Int) -> [Int] {
            let output = layer.outputShape(for: input)
            let shape = "[" + output.dropFirst().map(String.init).joined(separator: ", ") + "]"
            rows.append((String(repeating: "  ", count: depth) + layer.summary, shape, "\(count(layer))"))
            if let sequential = layer as? Sequential {
                var x = input
                for child in sequential.layers { x = describe(child, input: x, depth: depth + 1) }
            }
            return output
        }
        var x = [1] + inputShape
        for layer in body.layers { x = describe(layer, input: x, depth: 0) }
        let nameWidth = max(5, rows.map(\.name.count).max() ?? 0) + 2
        let shapeWidth = max(12, rows.map(\.shape.count).max() ?? 0) + 2
        func line(_ a: String, _ b: String, _ c: String) -> String {
            a.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + b.padding(toLength: shapeWidth, withPad: " ", startingAt: 0) + c
        }
        let rule = String(repeating: "=", count: nameWidth + shapeWidth + 10)
        var lines = [line("Layer", "Output shape", "Param #"), rule]
        lines += rows.map { line($0.name, $0.shape, $0.count) }
        lines += [rule, "Total params: \(parameterCount)   cfg: \(cfg)"]
        return lines.joined(separator: "\n")
    }
}
