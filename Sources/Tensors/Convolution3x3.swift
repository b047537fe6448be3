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
/// The output width must be a multiple of 8 (`Conv3x3.supports`); other layers use im2col.
public enum Conv3x3 {
    /// Filters accumulated together: each input vector loaded is used for this many filters.
    public static let filterBlock = 4

    /// Whether the direct kernels handle this layer: 3×3, stride 1, padding 1, width a multiple of 8.
    public static func supports(kernel: Int, stride: Int, padding: Int, width: Int) -> Bool {
        kernel == 3 && stride == 1 && padding == 1 && width % 8 == 0 && width > 0
    }

    /// Floats of one zero-bordered copy of a C×H×W image.
    public static func paddedCount(channels: Int, height: Int, width: Int) -> Int {
        channels * (height + 2) * (width + 2)
    }

    /// Floats of the packed weights for `filters` outputs over `channels` inputs.
    public static func packedCount(filters: Int, channels: Int) -> Int {
        (filters + filterBlock - 1) / filterBlock * channels * 9 * filterBlock
    }

    /// Packs a weight W[F][C][3][3] as [F/4][C][9 taps][4 filters], so the four weights that
    /// multiply one input vector sit side by side; missing filters of the last block are zero.
    /// `transposedAndFlipped` packs the weight of the input gradient instead: filters and
    /// channels swapped and each 3×3 kernel rotated by 180° (∂X = ∂Y ⋆ Wᵀ flipped).
    public static func packWeights(_ w: UnsafePointer<Float>, filters: Int, channels: Int,
                                   transposedAndFlipped: Bool = false, into packed: UnsafeMutablePointer<Float>) {
        // The convolution these weights run: `outs` outputs over `ins` inputs.
        let (outs, ins) = transposedAndFlipped ? (channels, filters) : (filters, channels)
        let blocks = (outs + filterBlock - 1) / filterBlock
        for block in 0..<blocks {
            for i in 0..<ins {
                for tap in 0..<9 {
                    let d = packed + ((block * ins + i) * 9 + tap) * filterBlock
                    for lane in 0..<filterBlock {
                        let o = block * filterBlock + lane
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

    /// out[F][H][W] = Σ_c Σ_taps W[f][c][tap] · padded[c][y + ki][x + kj] (+ bias[f]).
    ///
    /// `padded` comes from `pad`, `packed` from `packWeights` (for `filters` × `channels`).
    public static func convolve(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                packed: UnsafePointer<Float>, filters: Int, bias: UnsafePointer<Float>?,
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
                              bias: bias.map { $0 + first })
            var u = 0
            while u + 3 <= units {
                context.fourFiltersThreeVectors(padded, inputOffset(u), inputOffset(u + 1), inputOffset(u + 2), weights,
                                                store, outputOffset(u), outputOffset(u + 1), outputOffset(u + 2))
                u += 3
            }
            while u < units {
                context.fourFiltersOneVector(padded, inputOffset(u), weights, store, outputOffset(u))
                u += 1
            }
        }
    }

    /// ∂W[f][c][tap] += Σ_(y,x) ∂Y[f][y][x] · padded[c][y + ki][x + kj], for one image.
    ///
    /// For each channel and kernel row, 4 filters × 3 kernel columns are summed in 12 registers.
    public static func accumulateWeightGradient(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                                gradOutput: UnsafePointer<Float>, filters: Int,
                                                into gradWeight: UnsafeMutablePointer<Float>) {
        let vectorsPerRow = width / 8
        let rowLength = width + 2
        let plane = height * width
        let planeLength = (height + 2) * rowLength
        for c in 0..<channels {
            for ki in 0..<3 {
                let xRows = padded + c * planeLength + ki * rowLength
                var first = 0
                while first < filters {
                    let count = min(filterBlock, filters - first)
                    // Rows of ∂Y for the block; a missing filter reads filter `first` again (ignored).
                    let dy0 = gradOutput + first * plane
                    let dy1 = gradOutput + (first + min(1, count - 1)) * plane
                    let dy2 = gradOutput + (first + min(2, count - 1)) * plane
                    let dy3 = gradOutput + (first + min(3, count - 1)) * plane
                    var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>()
                    var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>()
                    var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s22 = SIMD8<Float>()
                    var s30 = SIMD8<Float>(), s31 = SIMD8<Float>(), s32 = SIMD8<Float>()
                    for y in 0..<height {
                        for v in 0..<vectorsPerRow {
                            let x = xRows + y * rowLength + v * 8
                            let x0 = load8(x), x1 = load8(x + 1), x2 = load8(x + 2)
                            let o = y * width + v * 8
                            let d0 = load8(dy0 + o), d1 = load8(dy1 + o), d2 = load8(dy2 + o), d3 = load8(dy3 + o)
                            s00 = multiplyAdd(s00, d0, x0); s01 = multiplyAdd(s01, d0, x1); s02 = multiplyAdd(s02, d0, x2)
                            s10 = multiplyAdd(s10, d1, x0); s11 = multiplyAdd(s11, d1, x1); s12 = multiplyAdd(s12, d1, x2)
                            s20 = multiplyAdd(s20, d2, x0); s21 = multiplyAdd(s21, d2, x1); s22 = multiplyAdd(s22, d2, x2)
                            s30 = multiplyAdd(s30, d3, x0); s31 = multiplyAdd(s31, d3, x1); s32 = multiplyAdd(s32, d3, x2)
                        }
                    }
                    // Filter lane's three taps of this kernel row.
                    @inline(__always) func add(_ lane: Int, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>) {
                        guard lane < count else { return }
                        let dst = gradWeight + ((first + lane) * channels + c) * 9 + ki * 3
                        dst[0] += t0.sum(); dst[1] += t1.sum(); dst[2] += t2.sum()
                    }
                    add(0, s00, s01, s02); add(1, s10, s11, s12); add(2, s20, s21, s22); add(3, s30, s31, s32)
                    first += filterBlock
                }
            }
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

        /// Sums for 4 filters × 1 output vector at offset a (the tail of a plane).
        @inline(__always)
        func fourFiltersOneVector(_ padded: UnsafePointer<Float>, _ a: Int, _ weights: UnsafePointer<Float>,
                                  _ store: Store, _ out: Int) {
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            var w = weights
            var plane = padded
            for _ in 0..<channels {
                for ki in 0..<3 {
                    let row = plane + ki * rowLength
                    for kj in 0..<3 {
                        let x = load8(row + a + kj)
                        s0 = multiplyAdd(s0, x, SIMD8<Float>(repeating: w[0]))
                        s1 = multiplyAdd(s1, x, SIMD8<Float>(repeating: w[1]))
                        s2 = multiplyAdd(s2, x, SIMD8<Float>(repeating: w[2]))
                        s3 = multiplyAdd(s3, x, SIMD8<Float>(repeating: w[3]))
                        w += 4
                    }
                }
                plane += planeLength
            }
            store.write(0, s0, out); store.write(1, s1, out); store.write(2, s2, out); store.write(3, s3, out)
        }
    }

    /// Where one block of filters writes: lane l is filter `first + l` of the output.
    struct Store {
        let output: UnsafeMutablePointer<Float>
        let plane: Int
        /// Filters of the block that exist (the last block may have fewer than 4).
        let filters: Int
        let bias: UnsafePointer<Float>?

        @inline(__always)
        func write(_ lane: Int, _ sum: SIMD8<Float>, _ offset: Int) {
            guard lane < filters else { return }
            let value = bias.map { sum + SIMD8<Float>(repeating: $0[lane]) } ?? sum
            store8(value, output + lane * plane + offset)
        }
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
