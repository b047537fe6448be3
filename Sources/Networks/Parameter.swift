import Tensors

/// A learnable tensor with its gradient, or a non-learned buffer (BatchNorm running statistics).
///
/// A `mask` (1 = keep, 0 = pruned) makes pruning unstructured: the optimiser zeroes the
/// masked gradient entries and keeps the masked weights at zero through fine-tuning.
/// Structural surgery replaces `value` (and `grad`, `mask`) with smaller tensors in place,
/// so every layer that holds this parameter sees the new shape.
public final class Parameter: @unchecked Sendable {
    /// Name as in a PyTorch state dict (e.g. `features.0.weight`), set when the model is built.
    public var name: String
    public var value: Tensor
    public var grad: Tensor
    public var mask: Tensor?
    /// False for buffers that are not learned (running mean and variance).
    public let isTrainable: Bool

    public init(_ value: Tensor, name: String = "", trainable: Bool = true) {
        self.value = value
        self.grad = Tensor(shape: value.shape)
        self.name = name
        self.isTrainable = trainable
    }

    public var shape: [Int] { value.shape }

    /// Replaces the value (and resets grad; slices the mask the same way via `transform`).
    public func replace(with newValue: Tensor, mask newMask: Tensor? = nil) {
        value = newValue
        grad = Tensor(shape: newValue.shape)
        mask = newMask
    }

    /// Multiplies the value by the mask, if there is one (keeps pruned weights at exactly zero).
    public func applyMask() {
        guard let mask else { return }
        for i in 0..<value.count { value.data[i] *= mask.data[i] }
    }

    /// Fraction of entries the mask removes (0 without a mask).
    public var sparsity: Double {
        guard let mask else { return 0 }
        return 1 - Double(mask.sum()) / Double(max(mask.count, 1))
    }
}
