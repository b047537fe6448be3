/// Direct 3×3 convolution with stride 1 and padding 1, one NCHW image at a time.
///
/// Why not im2col here: for a 3×3 layer im2col writes nine copies of the input, and the GEMM
/// then copies them once more into its own packed panels; at 16–64 channels that copying
/// costs as much as the arithmetic. These kernels read the input in place instead: the image
/// is first copied once into a plane with a zero border (so no position needs a bounds test),
/// then 8 neighbouring output pixels of 4 filters are accumulated in registers over every
/// channel and the nine taps. They serve the forward pass, the input gradient (the same
/// convolution of ∂Y with the weights transposed and flipped) and the weight gradient.
///
/// These kernels need an output width that is a multiple of 8; the filter-vectorised ones
/// below take any width. They are the `simd8` variant; `Convolution3x3Variants.swift` chooses
/// between them and the AVX-512 ones.
public enum Conv3x3 {
    /// Filters accumulated together: each input vector loaded is used for this many filters.
    public static let filterBlock = 4

    /// Whether the direct kernels handle this layer: 3×3, stride 1, padding 1.
    public static func supports(kernel: Int, stride: Int, padding: Int) -> Bool {
        kernel == 3 && stride == 1 && padding == 1
    }

    /// Whether a plane of this width runs on the pixel-vectorised kernels (else the filter-vectorised
    /// ones), in every kernel variant: whole vectors of 8 pixels must fill each row.
    public static func vectorisesPixels(width: Int) -> Bool {
        width % 8 == 0
    }

    /// Filters per block of the packed weights the kernels for this width read.
    public static func packingLanes(width: Int) -> Int {
        vectorisesPixels(width: width) ? filterBlock : filterVectorLanes
    }

    /// Floats of one zero-bordered copy of a C×H×W image.
    public static func paddedCount(channels: Int, height: Int, width: Int) -> Int {
        channels * (height + 2) * (width + 2)
    }

    /// Floats of the packed weights for `filters` outputs over `channels` inputs, in blocks of `lanes` filters.
    public static func packedCount(filters: Int, channels: Int, lanes: Int = filterBlock) -> Int {
        (filters + lanes - 1) / lanes * channels * 9 * lanes
    }

    /// Packs a weight W[F][C][3][3] as [F/lanes][C][9 taps][lanes filters], so the weights that
    /// multiply one input value sit side by side; missing filters of the last block are zero.
    /// `transposedAndFlipped` packs the weight of the input gradient instead: filters and
    /// channels swapped and each 3×3 kernel rotated by 180° (∂X = ∂Y ⋆ Wᵀ flipped).
    public static func packWeights(_ w: UnsafePointer<Float>, filters: Int, channels: Int, lanes: Int = filterBlock,
                                   transposedAndFlipped: Bool = false, into packed: UnsafeMutablePointer<Float>) {
        // The convolution these weights run: `outs` outputs over `ins` inputs.
        let (outs, ins) = transposedAndFlipped ? (channels, filters) : (filters, channels)
        let blocks = (outs + lanes - 1) / lanes
        for block in 0..<blocks {
            for i in 0..<ins {
                for tap in 0..<9 {
                    let d = packed + ((block * ins + i) * 9 + tap) * lanes
                    for lane in 0..<lanes {
                        let o = block * lanes + lane
                        if o >= outs { d[lane] = 0; continue }
                        d[lane] = transposedAndFlipped ? w[(i * channels + o) * 9 + 8 - tap] : w[(o * channels + i) * 9 + tap]
                    }
                }
            }
        }
    }

    /// Copies a C×H×W image into C×(H+2)×(W+2) with a zero border.
    public static func pad(_ image: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                           into padded: UnsafeMutablePointer<Float>) {
        let rowLength = width + 2
        for c in 0..<channels {
            let dst = padded + c * (height + 2) * rowLength
            let src = image + c * height * width
            dst.update(repeating: 0, count: rowLength)
            for y in 0..<height {
                let row = dst + (y + 1) * rowLength
                row[0] = 0
                (row + 1).update(from: src + y * width, count: width)
                row[width + 1] = 0
            }
            (dst + (height + 1) * rowLength).update(repeating: 0, count: rowLength)
        }
    }

    /// out[F][H][W] = Σ_c Σ_taps W[f][c][tap] · padded[c][y + ki][x + kj], finished by `epilogue`
    /// (a bias, or an inference BatchNorm and ReLU).
    ///
    /// `padded` comes from `pad`, `packed` from `packWeights` (for `filters` × `channels`).
    public static func convolve(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                packed: UnsafePointer<Float>, filters: Int, epilogue: Epilogue = Epilogue(),
                                into output: UnsafeMutablePointer<Float>) {
        let vectorsPerRow = width / 8
        let units = height * vectorsPerRow
        let rowLength = width + 2
        let plane = height * width
        // Where output vector u reads (top-left tap, in the padded plane) and writes.
        @inline(__always) func inputOffset(_ u: Int) -> Int { (u / vectorsPerRow) * rowLength + (u % vectorsPerRow) * 8 }
        @inline(__always) func outputOffset(_ u: Int) -> Int { (u / vectorsPerRow) * width + (u % vectorsPerRow) * 8 }
        let context = Context(channels: channels, rowLength: rowLength, planeLength: (height + 2) * rowLength)
        for block in 0..<(filters + filterBlock - 1) / filterBlock {
            let weights = packed + block * channels * 9 * filterBlock
            let first = block * filterBlock
            let store = Store(output: output + first * plane, plane: plane, filters: min(filterBlock, filters - first),
                              epilogue: epilogue.from(filter: first))
            // Three vectors at a time; at the end of the plane the last one is repeated (it is
            // computed again and stored again with the same values).
            for u in stride(from: 0, to: units, by: 3) {
                let (b, c) = (min(u + 1, units - 1), min(u + 2, units - 1))
                context.fourFiltersThreeVectors(padded, inputOffset(u), inputOffset(b), inputOffset(c), weights,
                                                store, outputOffset(u), outputOffset(b), outputOffset(c))
            }
        }
    }

    /// ∂W[f][c][tap] += Σ_(image,y,x) ∂Y[f][y][x] · padded[c][y + ki][x + kj], over `images`
    /// consecutive images (padded copies `paddedCount` apart, ∂Y images F·H·W apart).
    ///
    /// For each channel and kernel row, 4 filters × 3 kernel columns are summed in 12 registers.
    /// Several images are summed in one go so that, on small planes, each ∂W entry is
    /// read and written once per group rather than once per image.
    public static func accumulateWeightGradient(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                                images: Int = 1,
                                                gradOutput: UnsafePointer<Float>, filters: Int,
                                                into gradWeight: UnsafeMutablePointer<Float>) {
        let vectorsPerRow = width / 8
        let rowLength = width + 2
        let plane = height * width
        let planeLength = (height + 2) * rowLength
        let (paddedImage, gradImage) = (channels * planeLength, filters * plane)
        // Filter blocks outermost: the block's ∂Y (4 filters of the group) stays in L1 while
        // every channel and kernel row passes over it.
        var first = 0
        while first < filters {
            let count = min(filterBlock, filters - first)
            // Rows of ∂Y for the block; a missing filter reads filter `first` again (ignored).
            let dy0 = gradOutput + first * plane
            let dy1 = gradOutput + (first + min(1, count - 1)) * plane
            let dy2 = gradOutput + (first + min(2, count - 1)) * plane
            let dy3 = gradOutput + (first + min(3, count - 1)) * plane
            for c in 0..<channels {
                for ki in 0..<3 {
                    let xRows = padded + c * planeLength + ki * rowLength
                    var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>()
                    var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>()
                    var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s22 = SIMD8<Float>()
                    var s30 = SIMD8<Float>(), s31 = SIMD8<Float>(), s32 = SIMD8<Float>()
                    // One flat loop over the group's 8-pixel vectors (nested loops made the
                    // compiler spill the sums): x walks the padded rows, o the ∂Y planes.
                    var x = xRows, o = 0, v = 0, y = 0
                    for _ in 0..<(images * height * vectorsPerRow) {
                        let x0 = load8(x), x1 = load8(x + 1), x2 = load8(x + 2)
                        // One ∂Y vector at a time: 12 sums + 3 inputs + 1 ∂Y fill the 16 registers.
                        var d = load8(dy0 + o)
                        s00 = multiplyAdd(s00, d, x0); s01 = multiplyAdd(s01, d, x1); s02 = multiplyAdd(s02, d, x2)
                        d = load8(dy1 + o)
                        s10 = multiplyAdd(s10, d, x0); s11 = multiplyAdd(s11, d, x1); s12 = multiplyAdd(s12, d, x2)
                        d = load8(dy2 + o)
                        s20 = multiplyAdd(s20, d, x0); s21 = multiplyAdd(s21, d, x1); s22 = multiplyAdd(s22, d, x2)
                        d = load8(dy3 + o)
                        s30 = multiplyAdd(s30, d, x0); s31 = multiplyAdd(s31, d, x1); s32 = multiplyAdd(s32, d, x2)
                        x += 8; o += 8; v += 1
                        if v == vectorsPerRow {
                            v = 0; x += 2; y += 1
                            if y == height { y = 0; x += paddedImage - height * rowLength; o += gradImage - plane }
                        }
                    }
                    // Filter lane's three taps of this kernel row.
                    @inline(__always) func add(_ lane: Int, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>) {
                        guard lane < count else { return }
                        let dst = gradWeight + ((first + lane) * channels + c) * 9 + ki * 3
                        dst[0] += t0.sum(); dst[1] += t1.sum(); dst[2] += t2.sum()
                    }
                    add(0, s00, s01, s02); add(1, s10, s11, s12); add(2, s20, s21, s22); add(3, s30, s31, s32)
                }
            }
            first += filterBlock
        }
    }

    /// Sizes the inner kernels need, fixed for one layer.
    struct Context {
        let channels, rowLength, planeLength: Int

        /// Sums for 4 filters × 3 output vectors (filter-major), inputs at offsets a, b, c.
        @inline(__always)
        func fourFiltersThreeVectors(_ padded: UnsafePointer<Float>, _ a: Int, _ b: Int, _ c: Int,
                                     _ weights: UnsafePointer<Float>,
                                     _ store: Store, _ outA: Int, _ outB: Int, _ outC: Int) {
            var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>()
            var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>()
            var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s22 = SIMD8<Float>()
            var s30 = SIMD8<Float>(), s31 = SIMD8<Float>(), s32 = SIMD8<Float>()
            var w = weights
            var plane = padded
            for _ in 0..<channels {
                for ki in 0..<3 {
                    let row = plane + ki * rowLength
                    for kj in 0..<3 {
                        let xa = load8(row + a + kj), xb = load8(row + b + kj), xc = load8(row + c + kj)
                        let w0 = SIMD8<Float>(repeating: w[0]), w1 = SIMD8<Float>(repeating: w[1])
                        let w2 = SIMD8<Float>(repeating: w[2]), w3 = SIMD8<Float>(repeating: w[3])
                        s00 = multiplyAdd(s00, xa, w0); s01 = multiplyAdd(s01, xb, w0); s02 = multiplyAdd(s02, xc, w0)
                        s10 = multiplyAdd(s10, xa, w1); s11 = multiplyAdd(s11, xb, w1); s12 = multiplyAdd(s12, xc, w1)
                        s20 = multiplyAdd(s20, xa, w2); s21 = multiplyAdd(s21, xb, w2); s22 = multiplyAdd(s22, xc, w2)
                        s30 = multiplyAdd(s30, xa, w3); s31 = multiplyAdd(s31, xb, w3); s32 = multiplyAdd(s32, xc, w3)
                        w += 4
                    }
                }
                plane += planeLength
            }
            store.write(0, s00, outA); store.write(0, s01, outB); store.write(0, s02, outC)
            store.write(1, s10, outA); store.write(1, s11, outB); store.write(1, s12, outC)
            store.write(2, s20, outA); store.write(2, s21, outB); store.write(2, s22, outC)
            store.write(3, s30, outA); store.write(3, s31, outB); store.write(3, s32, outC)
        }
    }

    /// Where one block of filters writes: lane l is filter `first + l` of the output.
    struct Store {
        let output: UnsafeMutablePointer<Float>
        let plane: Int
        /// Filters of the block that exist (the last block may have fewer than 4).
        let filters: Int
        /// Applied to the sums of filters first, first + 1, … (lane 0, 1, …).
        let epilogue: Epilogue

        @inline(__always)
        func write(_ lane: Int, _ sum: SIMD8<Float>, _ offset: Int) {
            guard lane < filters else { return }
            store8(epilogue.apply(sum, lane), output + lane * plane + offset)
        }
    }
}

/// The same 3×3 "same" convolution for planes of any width, vectorised over filters instead
/// of pixels: 6 output pixels × 16 filters are accumulated in 12 registers, each input value
/// broadcast and multiplied by 16 packed weights. This suits small planes (14×14, 7×7, 4×4,
/// 2×2) with many channels, where the pixel-vectorised kernels have no 8 pixels in a row.
extension Conv3x3 {
    /// Filters per block of the filter-vectorised kernels (two vectors of 8).
    public static let filterVectorLanes = 16

    /// out[F][H][W], finished by `epilogue`, from a padded image and weights packed with `lanes: 16`.
    public static func convolveByFilters(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                         packed: UnsafePointer<Float>, filters: Int, epilogue: Epilogue = Epilogue(),
                                         into output: UnsafeMutablePointer<Float>) {
        let lanes = filterVectorLanes
        let rowLength = width + 2, planeLength = (height + 2) * rowLength
        let plane = height * width
        let taps = (0..<9).map { ($0 / 3) * rowLength + $0 % 3 }
        let (t0, t1, t2, t3, t4, t5, t6, t7, t8) = (taps[0], taps[1], taps[2], taps[3], taps[4], taps[5], taps[6], taps[7], taps[8])
        for block in 0..<(filters + lanes - 1) / lanes {
            let first = block * lanes
            let valid = min(lanes, filters - first)
            let weights = packed + block * channels * 9 * lanes
            var q = 0
            while q < plane {
                // Six pixels; past the end of the plane the last one is repeated (and not stored).
                let count = min(6, plane - q)
                @inline(__always) func offset(_ i: Int) -> Int {
                    let p = q + min(i, count - 1)
                    return (p / width) * rowLength + p % width
                }
                let (o0, o1, o2, o3, o4, o5) = (offset(0), offset(1), offset(2), offset(3), offset(4), offset(5))
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
                var a3 = SIMD8<Float>(), a4 = SIMD8<Float>(), a5 = SIMD8<Float>()
                var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>()
                var b3 = SIMD8<Float>(), b4 = SIMD8<Float>(), b5 = SIMD8<Float>()
                var w = weights
                var x = padded
                @inline(__always) func tap(_ t: Int) {
                    let (wa, wb) = (load8(w), load8(w + 8))
                    var v = SIMD8<Float>(repeating: x[o0 + t]); a0 = multiplyAdd(a0, v, wa); b0 = multiplyAdd(b0, v, wb)
                    v = SIMD8<Float>(repeating: x[o1 + t]); a1 = multiplyAdd(a1, v, wa); b1 = multiplyAdd(b1, v, wb)
                    v = SIMD8<Float>(repeating: x[o2 + t]); a2 = multiplyAdd(a2, v, wa); b2 = multiplyAdd(b2, v, wb)
                    v = SIMD8<Float>(repeating: x[o3 + t]); a3 = multiplyAdd(a3, v, wa); b3 = multiplyAdd(b3, v, wb)
                    v = SIMD8<Float>(repeating: x[o4 + t]); a4 = multiplyAdd(a4, v, wa); b4 = multiplyAdd(b4, v, wb)
                    v = SIMD8<Float>(repeating: x[o5 + t]); a5 = multiplyAdd(a5, v, wa); b5 = multiplyAdd(b5, v, wb)
                    w += 16
                }
                for _ in 0..<channels {
                    tap(t0); tap(t1); tap(t2); tap(t3); tap(t4); tap(t5); tap(t6); tap(t7); tap(t8)
                    x += planeLength
                }
                // Pixel i's 16 sums go to 16 filter planes.
                @inline(__always) func store(_ i: Int, _ low: SIMD8<Float>, _ high: SIMD8<Float>) {
                    guard i < count else { return }
                    let out = output + first * plane + q + i
                    for lane in 0..<min(8, valid) { out[lane * plane] = epilogue.apply(low[lane], first + lane) }
                    if valid > 8 {
                        for lane in 8..<valid { out[lane * plane] = epilogue.apply(high[lane - 8], first + lane) }
                    }
                }
                store(0, a0, b0); store(1, a1, b1); store(2, a2, b2); store(3, a3, b3); store(4, a4, b4); store(5, a5, b5)
                q += 6
            }
        }
    }

    /// ∂W[f][c][tap] += Σ_(image,y,x) ∂Y[f][y][x] · padded[c][y + ki][x + kj] over `images`
    /// consecutive images (padded copies `paddedCount` apart), with ∂Y given transposed as
    /// [images·H·W][F rounded up to 16] (zeros beyond F): 16 filters × 6 (channel, tap) pairs
    /// are summed in 12 registers.
    public static func accumulateWeightGradientByFilters(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                                         images: Int = 1,
                                                         gradOutputByPixel dyT: UnsafePointer<Float>, filters: Int,
                                                         into gradWeight: UnsafeMutablePointer<Float>) {
        let lanes = filterVectorLanes
        let stride = (filters + lanes - 1) / lanes * lanes  // row length of dyT
        let rowLength = width + 2, planeLength = (height + 2) * rowLength
        let pairs = channels * 9  // (channel, tap) = one column of ∂W[F][C·9]
        for block in 0..<stride / lanes {
            let first = block * lanes
            let valid = min(lanes, filters - first)
            var r = 0
            while r < pairs {
                let count = min(6, pairs - r)
                @inline(__always) func offset(_ i: Int) -> Int {
                    let pair = r + min(i, count - 1)
                    let (c, tap) = (pair / 9, pair % 9)
                    return c * planeLength + (tap / 3) * rowLength + tap % 3
                }
                let (o0, o1, o2, o3, o4, o5) = (offset(0), offset(1), offset(2), offset(3), offset(4), offset(5))
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
                var a3 = SIMD8<Float>(), a4 = SIMD8<Float>(), a5 = SIMD8<Float>()
                var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>()
                var b3 = SIMD8<Float>(), b4 = SIMD8<Float>(), b5 = SIMD8<Float>()
                // One flat loop over the group's pixels (nested loops made the compiler spill
                // the sums): d walks ∂Y by pixel, x the padded rows.
                var d = dyT + first, x = padded, column = 0, y = 0
                for _ in 0..<(images * height * width) {
                    let (da, db) = (load8(d), load8(d + 8))
                    var v = SIMD8<Float>(repeating: x[o0]); a0 = multiplyAdd(a0, v, da); b0 = multiplyAdd(b0, v, db)
                    v = SIMD8<Float>(repeating: x[o1]); a1 = multiplyAdd(a1, v, da); b1 = multiplyAdd(b1, v, db)
                    v = SIMD8<Float>(repeating: x[o2]); a2 = multiplyAdd(a2, v, da); b2 = multiplyAdd(b2, v, db)
                    v = SIMD8<Float>(repeating: x[o3]); a3 = multiplyAdd(a3, v, da); b3 = multiplyAdd(b3, v, db)
                    v = SIMD8<Float>(repeating: x[o4]); a4 = multiplyAdd(a4, v, da); b4 = multiplyAdd(b4, v, db)
                    v = SIMD8<Float>(repeating: x[o5]); a5 = multiplyAdd(a5, v, da); b5 = multiplyAdd(b5, v, db)
                    d += stride; x += 1; column += 1
                    if column == width {
                        column = 0; x += 2; y += 1
                        if y == height { y = 0; x += channels * planeLength - height * rowLength }
                    }
                }
                // Pair i's sums for 16 filters go to column r + i of ∂W.
                @inline(__always) func add(_ i: Int, _ low: SIMD8<Float>, _ high: SIMD8<Float>) {
                    guard i < count else { return }
                    let dst = gradWeight + first * pairs + r + i
                    for lane in 0..<min(8, valid) { dst[lane * pairs] += low[lane] }
                    if valid > 8 { for lane in 8..<valid { dst[lane * pairs] += high[lane - 8] } }
                }
                add(0, a0, b0); add(1, a1, b1); add(2, a2, b2); add(3, a3, b3); add(4, a4, b4); add(5, a5, b5)
                r += 6
            }
        }
    }

    /// ∂Y of one image, [F][P] → [P][F rounded up to 16] with zeros in the extra filters.
    public static func transposeByPixel(_ dy: UnsafePointer<Float>, filters: Int, plane: Int,
                                        into dyT: UnsafeMutablePointer<Float>) {
        let stride = (filters + filterVectorLanes - 1) / filterVectorLanes * filterVectorLanes
        for p in 0..<plane {
            let row = dyT + p * stride
            for f in 0..<filters { row[f] = dy[f * plane + p] }
            for f in filters..<stride { row[f] = 0 }
        }
    }
}

/// What the direct kernels do to a finished sum of filter f before storing it:
/// out = sum · scale[f] + shift[f], then max(0, out) with `relu`. A bias is shift alone; in
/// inference a following BatchNorm is scale = γ/√(σ²+ε), shift = β − μ·scale, so Conv → BN → ReLU
/// write their output once instead of three times.
public struct Epilogue {
    public var scale: UnsafePointer<Float>?
    public var shift: UnsafePointer<Float>?
    public var relu: Bool

    public init(scale: UnsafePointer<Float>? = nil, shift: UnsafePointer<Float>? = nil, relu: Bool = false) {
        self.scale = scale; self.shift = shift; self.relu = relu
    }

    /// The same epilogue for filters first, first + 1, … (so filter `first` is index 0).
    func from(filter first: Int) -> Epilogue {
        Epilogue(scale: scale.map { $0 + first }, shift: shift.map { $0 + first }, relu: relu)
    }

    @inline(__always)
    func apply(_ sum: SIMD8<Float>, _ filter: Int) -> SIMD8<Float> {
        var value = sum
        if let scale { value *= SIMD8<Float>(repeating: scale[filter]) }
        if let shift { value += SIMD8<Float>(repeating: shift[filter]) }
        if relu { value.replace(with: 0, where: value .< 0) }
        return value
    }

    @inline(__always)
    func apply(_ sum: Float, _ filter: Int) -> Float {
        var value = sum
        if let scale { value *= scale[filter] }
        if let shift { value += shift[filter] }
        return relu ? max(value, 0) : value
    }
}

/// acc + a·b, as one fused multiply-add where the build targets FMA hardware (see Package.swift).
@inline(__always)
func multiplyAdd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if PRUNELAB_FMA
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}
