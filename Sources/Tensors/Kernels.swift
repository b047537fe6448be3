/// Element-wise and reduction kernels on raw buffers, shared by the layers.

/// y += alpha · x over `count` elements.
@inline(__always)
public func axpy(_ count: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { y[i] += alpha * x[i] }
}

/// Sum of `count` elements, accumulated in Double so long sums stay exact enough.
@inline(__always)
public func sum(_ count: Int, _ x: UnsafePointer<Float>) -> Double {
    var s0 = 0.0, s1 = 0.0
    var i = 0
    while i + 1 < count { s0 += Double(x[i]); s1 += Double(x[i + 1]); i += 2 }
    if i < count { s0 += Double(x[i]) }
    return s0 + s1
}

/// Sum of squares of `count` elements, in Double.
@inline(__always)
public func sumOfSquares(_ count: Int, _ x: UnsafePointer<Float>) -> Double {
    var s = 0.0
    for i in 0..<count { s += Double(x[i]) * Double(x[i]) }
    return s
}

extension Tensor {
    /// this += alpha · other (same element count).
    public func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(other.count == count, "add: \(other.shape) to \(shape)")
        axpy(count, alpha: alpha, other.data, data)
    }

    /// Multiplies every element by `factor`.
    public func scale(by factor: Float) {
        for i in 0..<count { data[i] *= factor }
    }

    /// Sum of all elements.
    public func sum() -> Float { Float(Tensors.sum(count, data)) }

    /// Sum of absolute values (the L1 norm).
    public func l1Norm() -> Float {
        var s = 0.0
        for i in 0..<count { s += Double(abs(data[i])) }
        return Float(s)
    }

    /// Largest absolute difference to another tensor of the same element count.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(other.count == count)
        var m: Float = 0
        for i in 0..<count { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }

    /// Index of the largest element in each row of a 2-D tensor (e.g. the predicted class).
    public func argmaxRows() -> [Int] {
        precondition(shape.count == 2)
        let (rows, cols) = (shape[0], shape[1])
        return (0..<rows).map { r in
            let row = data + r * cols
            var best = 0
            for c in 1..<max(cols, 1) where row[c] > row[best] { best = c }
            return best
        }
    }

    /// Copies the slices at `indices` along `axis` into a new tensor, keeping the order given.
    ///
    /// `blockSize` groups consecutive entries along that axis: a Linear layer after a
    /// flatten keeps whole H×W blocks per input channel (index i keeps entries i·b ..< (i+1)·b).
    public func gathering(_ indices: [Int], axis: Int, blockSize: Int = 1) -> Tensor {
        precondition(axis < shape.count, "gathering: axis \(axis) out of range for \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let dim = shape[axis]
        precondition(dim % blockSize == 0, "gathering: axis size \(dim) is not a multiple of block \(blockSize)")
        var newShape = shape
        newShape[axis] = indices.count * blockSize
        let result = Tensor(shape: newShape)
        let span = blockSize * inner
        for o in 0..<outer {
            let src = data + o * dim * inner
            let dst = result.data + o * newShape[axis] * inner
            for (j, index) in indices.enumerated() {
                precondition(index >= 0 && index * blockSize < dim, "gathering: index \(index) out of range")
                (dst + j * span).update(from: src + index * span, count: span)
            }
        }
        return result
    }
}
