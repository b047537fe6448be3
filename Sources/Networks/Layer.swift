import Tensors

/// The contract every layer follows: an explicit forward and backward, as in llm.c.
///
/// `forward` caches what `backward` needs; `backward` takes ∂L/∂output, accumulates
/// ∂L/∂parameters into each parameter's `grad`, and returns ∂L/∂input.
public protocol Layer: AnyObject {
    /// Short PyTorch-like description, e.g. `Conv2d(3, 16, kernel=3, stride=1, padding=1)`.
    var summary: String { get }
    func forward(_ input: Tensor, training: Bool) -> Tensor
    func backward(_ gradOutput: Tensor) -> Tensor
    /// Learnable parameters of this layer only (containers list their children's).
    var parameters: [Parameter] { get }
    /// Non-learned state saved with the model (BatchNorm running statistics).
    var buffers: [Parameter] { get }
    /// Sub-layers, for containers; empty for a leaf layer.
    var children: [any Layer] { get }
    /// Shape of the output for an input of the given shape (batch dimension included).
    func outputShape(for inputShape: [Int]) -> [Int]
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [Parameter] { [] }
    public var children: [any Layer] { [] }

    /// Every learnable parameter in this layer and below, in a fixed order.
    public var allParameters: [Parameter] { parameters + children.flatMap { $0.allParameters } }
    /// Every buffer in this layer and below.
    public var allBuffers: [Parameter] { buffers + children.flatMap { $0.allBuffers } }
    /// This layer and every layer below it, depth first.
    public var allLayers: [any Layer] { [self] + children.flatMap { $0.allLayers } }
}
