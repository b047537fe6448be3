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
    // Four independent accumulators (32 values a step): one would wait on the latency of each add.
    var (a0, a1, a2, a3) = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
    var i = 0
    while i + 32 <= count {
        a0 += load8(x + i); a1 += load8(x + i + 8); a2 += load8(x + i + 16); a3 += load8(x + i + 24); i += 32
    }
    while i + 8 <= count { a0 += load8(x + i); i += 8 }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < count { s += x[i]; i += 1 }
    return s
}

/// Σ (x[i] − shift)² over `count` elements (the centred second moment when shift is the mean).
@inline(__always)
public func vectorShiftedSquares(_ count: Int, _ x: UnsafePointer<Float>, shift: Float) -> Float {
    var (a0, a1) = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
    let m = SIMD8<Float>(repeating: shift)
    var i = 0
    while i + 16 <= count {
        let d0 = load8(x + i) - m, d1 = load8(x + i + 8) - m
        a0 += d0 * d0; a1 += d1 * d1; i += 16
    }
    while i + 8 <= count { let d = load8(x + i) - m; a0 += d * d; i += 8 }
    var s = (a0 + a1).sum()
    while i < count { let d = x[i] - shift; s += d * d; i += 1 }
    return s
}

/// (Σ dy[i], Σ dy[i]·(x[i] − shift)): the two sums of a BatchNorm backward pass.
@inline(__always)
public func vectorSumAndShiftedDot(_ count: Int, _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                   shift: Float) -> (sum: Float, dot: Float) {
    var s8 = SIMD8<Float>(repeating: 0), d8 = SIMD8<Float>(repeating: 0)
    var t8 = SIMD8<Float>(repeating: 0), e8 = SIMD8<Float>(repeating: 0)
    let m = SIMD8<Float>(repeating: shift)
    var i = 0
    while i + 16 <= count {
        let g = load8(dy + i), h = load8(dy + i + 8)
        s8 += g; t8 += h
        d8 += g * (load8(x + i) - m); e8 += h * (load8(x + i + 8) - m)
        i += 16
    }
    while i + 8 <= count {
        let g = load8(dy + i)
        s8 += g
        d8 += g * (load8(x + i) - m)
        i += 8
    }
    var s = (s8 + t8).sum(), d = (d8 + e8).sum()
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

/// y[i] = (x[i] − mean)·scale + shift over `count` elements, then max(0, ·) when `relu`: a
/// BatchNorm's training output (followed by its ReLU).
@inline(__always)
public func normalizePlane(_ count: Int, _ x: UnsafePointer<Float>, mean: Float, scale: Float, shift: Float, relu: Bool,
                           into y: UnsafeMutablePointer<Float>) {
    let (m, a, b) = (SIMD8<Float>(repeating: mean), SIMD8<Float>(repeating: scale), SIMD8<Float>(repeating: shift))
    var i = 0
    while i + 8 <= count {
        var v = (load8(x + i) - m) * a + b
        if relu { v.replace(with: 0, where: v .< 0) }
        store8(v, y + i)
        i += 8
    }
    while i < count {
        let v = (x[i] - mean) * scale + shift
        y[i] = relu ? max(v, 0) : v
        i += 1
    }
}

/// (Σ g[i], Σ g[i]·(x[i] − shift)) with g[i] = dy[i] where mask[i] > 0, else 0: the two sums of
/// a BatchNorm backward pass behind a ReLU whose output is `mask` (`vectorSumAndShiftedDot` of
/// the ReLU's input gradient, without writing it).
@inline(__always)
public func vectorMaskedSumAndShiftedDot(_ count: Int, _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                         shift: Float, mask: UnsafePointer<Float>) -> (sum: Float, dot: Float) {
    var s8 = SIMD8<Float>(repeating: 0), d8 = SIMD8<Float>(repeating: 0)
    var t8 = SIMD8<Float>(repeating: 0), e8 = SIMD8<Float>(repeating: 0)
    let (m, zero) = (SIMD8<Float>(repeating: shift), SIMD8<Float>(repeating: 0))
    var i = 0
    while i + 16 <= count {
        let g = load8(dy + i).replacing(with: zero, where: load8(mask + i) .<= zero)
        let h = load8(dy + i + 8).replacing(with: zero, where: load8(mask + i + 8) .<= zero)
        s8 += g; t8 += h
        d8 += g * (load8(x + i) - m); e8 += h * (load8(x + i + 8) - m)
        i += 16
    }
    while i + 8 <= count {
        let g = load8(dy + i).replacing(with: zero, where: load8(mask + i) .<= zero)
        s8 += g
        d8 += g * (load8(x + i) - m)
        i += 8
    }
    var s = (s8 + t8).sum(), d = (d8 + e8).sum()
    while i < count {
        let g = mask[i] > 0 ? dy[i] : 0
        s += g; d += g * (x[i] - shift); i += 1
    }
    return (s, d)
}

/// dx[i] = scale·(g[i] − meanDy − (x[i] − mean)·slope) (+ adding[i]), with g = dy, or dy where
/// mask > 0 and 0 elsewhere: the input gradient of a BatchNorm (behind a ReLU whose output is
/// `mask`), plus another gradient of the same input.
@inline(__always)
public func batchNormGradientPlane(_ count: Int, _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                   mask: UnsafePointer<Float>?, adding: UnsafePointer<Float>?,
                                   scale: Float, meanDy: Float, mean: Float, slope: Float,
                                   into dx: UnsafeMutablePointer<Float>) {
    let (a, md, m, k) = (SIMD8<Float>(repeating: scale), SIMD8<Float>(repeating: meanDy),
                         SIMD8<Float>(repeating: mean), SIMD8<Float>(repeating: slope))
    let zero = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
        var g = load8(dy + i)
        if let mask { g.replace(with: zero, where: load8(mask + i) .<= zero) }
        var v = a * (g - md - (load8(x + i) - m) * k)
        if let adding { v += load8(adding + i) }
        store8(v, dx + i)
        i += 8
    }
    while i < count {
        let g = mask.map { $0[i] > 0 ? dy[i] : 0 } ?? dy[i]
        let v = scale * (g - meanDy - (x[i] - mean) * slope)
        dx[i] = adding.map { v + $0[i] } ?? v
        i += 1
    }
}
