/// Reductions written with eight-lane SIMD accumulators.
///
/// The compiler does not reorder floating-point sums, so a plain `for` loop that adds into
/// one scalar runs one element per cycle; eight independent lanes let it use vector adds.
/// The layers call these on one image plane at a time (at most a few thousand values), so
/// Float lanes are accurate enough; callers add the per-plane results in Double.

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Σ x[i] over `count` elements.
@inline(__always)
public func vectorSum(_ count: Int, _ x: UnsafePointer<Float>) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count { acc += load8(x + i); i += 8 }
    var s = acc.sum()
    while i < count { s += x[i]; i += 1 }
    return s
}

/// Σ (x[i] − shift)² over `count` elements (the centred second moment when shift is the mean).
@inline(__always)
public func vectorShiftedSquares(_ count: Int, _ x: UnsafePointer<Float>, shift: Float) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let m = SIMD8<Float>(repeating: shift)
    var i = 0
    while i + 8 <= count { let d = load8(x + i) - m; acc += d * d; i += 8 }
    var s = acc.sum()
    while i < count { let d = x[i] - shift; s += d * d; i += 1 }
    return s
}

/// (Σ dy[i], Σ dy[i]·(x[i] − shift)): the two sums of a BatchNorm backward pass.
@inline(__always)
public func vectorSumAndShiftedDot(_ count: Int, _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                   shift: Float) -> (sum: Float, dot: Float) {
    var s8 = SIMD8<Float>(repeating: 0), d8 = SIMD8<Float>(repeating: 0)
    let m = SIMD8<Float>(repeating: shift)
    var i = 0
    while i + 8 <= count {
        let g = load8(dy + i)
        s8 += g
        d8 += g * (load8(x + i) - m)
        i += 8
    }
    var s = s8.sum(), d = d8.sum()
    while i < count { s += dy[i]; d += dy[i] * (x[i] - shift); i += 1 }
    return (s, d)
}

/// dx[i] = dy[i] where y[i] > 0, else 0: the backward pass of ReLU given its output.
@inline(__always)
public func reluBackward(_ count: Int, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>) {
    let zero = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
        store8(load8(dy + i).replacing(with: zero, where: load8(y + i) .<= zero), dx + i)
        i += 8
    }
    while i < count { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
}

/// y[i] = x[i]·scale + shift over `count` elements, then max(0, ·) when `relu`.
@inline(__always)
public func affinePlane(_ count: Int, _ x: UnsafePointer<Float>, scale: Float, shift: Float, relu: Bool,
                        into y: UnsafeMutablePointer<Float>) {
    let (a, b) = (SIMD8<Float>(repeating: scale), SIMD8<Float>(repeating: shift))
    var i = 0
    while i + 8 <= count {
        var v = load8(x + i) * a + b
        if relu { v.replace(with: 0, where: v .< 0) }
        store8(v, y + i)
        i += 8
    }
    while i < count {
        let v = x[i] * scale + shift
        y[i] = relu ? max(v, 0) : v
        i += 1
    }
}
