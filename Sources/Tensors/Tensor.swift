/// The memory behind one or more tensors: a contiguous block of Float32.
///
/// Reshaping shares storage instead of copying, so `Flatten` costs nothing.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Memory for `count` floats: zero-filled, or left as is when `zeroed` is false
    /// (for results that the caller overwrites completely).
    init(count: Int, zeroed: Bool = true) {
        self.count = count
        pointer = MemoryPool.shared.take(count)
        if zeroed { pointer.update(repeating: 0, count: max(count, 1)) }
    }

    deinit { MemoryPool.shared.give(pointer, count) }
}

/// Keeps freed tensor memory for reuse, so a training step does not ask the kernel for
/// fresh (page-faulting, zero-filled) pages on every batch. Blocks are reused by exact size:
/// a network allocates the same shapes every step.
final class MemoryPool: @unchecked Sendable {
    static let shared = MemoryPool()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var pooledFloats = 0
    private let lock = NSLock()
    /// At most this many floats (256 MiB) wait in the pool; beyond that memory is released.
    /// A training step's temporaries (per-core GEMM buffers, gradients on the way back) fit
    /// well within it; the activations kept for backward are live tensors, not pooled ones.
    private let limit = 64 << 20

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let size = max(count, 1)
        lock.lock()
        if let block = free[size]?.popLast() {
            pooledFloats -= size
            lock.unlock()
            return block
        }
        lock.unlock()
        return .allocate(capacity: size)
    }

    /// Returns every pooled block to the system (e.g. between two models of different shapes).
    func releaseAll() {
        lock.lock()
        let blocks = free
        free = [:]
        pooledFloats = 0
        lock.unlock()
        for (_, pointers) in blocks { for pointer in pointers { pointer.deallocate() } }
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) {
        let size = max(count, 1)
        lock.lock()
        if size >= 1024 && pooledFloats + size <= limit {
            free[size, default: []].append(pointer)
            pooledFloats += size
            lock.unlock()
        } else {
            lock.unlock()
            pointer.deallocate()
        }
    }
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
        storage = TensorStorage(count: shape.reduce(1, *), zeroed: value == 0)
        if value != 0 { storage.pointer.update(repeating: value, count: storage.count) }
    }

    /// A tensor whose elements are not initialised: only for results the caller overwrites
    /// entirely (it saves the zero-fill on hot paths).
    public init(uninitializedShape shape: [Int]) {
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *), zeroed: false)
    }

    /// A tensor holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        let n = shape.reduce(1, *)
        precondition(values.count == n, "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        storage = TensorStorage(count: n, zeroed: false)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: n) }
    }

    /// Gives the memory of freed tensors, which is kept for reuse by tensors of the same size,
    /// back to the system: call it after finishing with a model whose shapes will not recur.
    public static func releasePooledMemory() { MemoryPool.shared.releaseAll() }

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
        let result = Tensor(uninitializedShape: shape)
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
