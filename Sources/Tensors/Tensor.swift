/// The memory behind one or more tensors: a contiguous block of Float32.
///
/// Reshaping shares storage instead of copying, so `Flatten` costs nothing.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}

/// A dense Float32 tensor in row-major (C) order, as PyTorch's contiguous tensors.
///
/// A tensor is a reference type: layers cache their inputs for backward without copies,
/// and optimisers update parameters in place. Use `copy()` when you need a separate value.
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The size of each dimension, outermost first (e.g. `[N, C, H, W]`).
    public let shape: [Int]
    public let storage: TensorStorage

    /// Number of elements.
    public var count: Int { storage.count }
    /// Raw pointer to the first element; valid while this tensor is alive.
    public var data: UnsafeMutablePointer<Float> { storage.pointer }
    /// The elements as a buffer, for tight loops.
    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: storage.pointer, count: storage.count) }

    /// A tensor of the given shape filled with `value` (zeros by default).
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor dimensions must be non-negative: \(shape)")
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *))
        if value != 0 { storage.pointer.update(repeating: value, count: storage.count) }
    }

    /// A tensor holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        let n = shape.reduce(1, *)
        precondition(values.count == n, "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        storage = TensorStorage(count: n)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: n) }
    }

    /// A view with another shape over the same storage (element count must match).
    public init(reshaping other: Tensor, to shape: [Int]) {
        precondition(shape.reduce(1, *) == other.count, "cannot reshape \(other.shape) to \(shape)")
        self.shape = shape
        storage = other.storage
    }

    /// A view of this tensor with a new shape; no data is copied.
    public func reshaped(_ shape: [Int]) -> Tensor { Tensor(reshaping: self, to: shape) }

    /// A new tensor with its own copy of the data.
    public func copy() -> Tensor {
        let result = Tensor(shape: shape)
        result.data.update(from: data, count: count)
        return result
    }

    /// The elements as an array (for tests and reports, not hot loops).
    public var values: [Float] { Array(buffer) }

    /// Element at a flat index.
    public subscript(flat index: Int) -> Float {
        get { data[index] }
        set { data[index] = newValue }
    }

    /// Element at a multi-dimensional index.
    public subscript(_ index: Int...) -> Float {
        get { data[flatIndex(index)] }
        set { data[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, dim) in zip(index, shape) { flat = flat * dim + i }
        return flat
    }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Copies the elements of `other` (same element count) into this tensor.
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "assign: \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    public var description: String {
        let preview = values.prefix(8).map { String(format: "%.4f", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}

import Foundation
