/// A matrix stored by its nonzero entries, row by row (compressed sparse rows, CSR).
///
/// Built from a dense row-major matrix when few of its entries are nonzero (a Linear layer's
/// weight after unstructured pruning), it multiplies with only those entries: at 95 % zeros
/// that is a twentieth of the dense work.
public struct SparseRows {
    public let rows: Int
    public let columns: Int
    /// Entries of row r are at rowStart[r] ..< rowStart[r + 1] of `columnIndex` and `values`.
    public private(set) var rowStart: [Int32]
    public private(set) var columnIndex: [Int32]
    public private(set) var values: [Float]

    /// Number of stored (nonzero) entries.
    public var nonzeroCount: Int { values.count }

    /// The nonzero entries of the dense `rows`×`columns` matrix at `dense`; nil when more than
    /// `maxDensity` of the entries are nonzero (then the dense product is the faster one).
    public init?(nonzerosOf dense: UnsafePointer<Float>, rows: Int, columns: Int, maxDensity: Double = 1) {
        self.rows = rows
        self.columns = columns
        // First pass: count, so the arrays are allocated once at their exact size.
        var starts = [Int32](repeating: 0, count: rows + 1)
        let zero = SIMD8<Float>(repeating: 0)
        var total = 0
        for r in 0..<rows {
            let row = dense + r * columns
            var c = 0
            while c + 8 <= columns {
                let nonzero = load8(row + c) .!= zero
                if any(nonzero) { for lane in 0..<8 where nonzero[lane] { total += 1 } }
                c += 8
            }
            while c < columns { if row[c] != 0 { total += 1 }; c += 1 }
            starts[r + 1] = Int32(total)
        }
        if Double(total) > maxDensity * Double(rows * columns) { return nil }
        var indices = [Int32](repeating: 0, count: total)
        var entries = [Float](repeating: 0, count: total)
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            entries.withUnsafeMutableBufferPointer { entryBuffer in
                let (index, entry) = (indexBuffer.baseAddress!, entryBuffer.baseAddress!)
                for r in 0..<rows {
                    let row = dense + r * columns
                    var k = Int(starts[r])
                    var c = 0
                    // Skip eight zeros at a time; most entries of a pruned weight are zero.
                    while c + 8 <= columns {
                        if any(load8(row + c) .!= zero) {
                            for j in c..<(c + 8) where row[j] != 0 { index[k] = Int32(j); entry[k] = row[j]; k += 1 }
                        }
                        c += 8
                    }
                    while c < columns {
                        if row[c] != 0 { index[k] = Int32(c); entry[k] = row[c]; k += 1 }
                        c += 1
                    }
                }
            }
        }
        rowStart = starts
        columnIndex = indices
        values = entries
    }

    /// y = x · Aᵀ (+ bias), with x of shape [batch, columns] and y [batch, rows] (row-major):
    /// the forward product of a Linear layer whose weight is this matrix. y is overwritten.
    ///
    /// The batch is cut into blocks of `imageBlock` images. Each block of x is transposed to
    /// [columns, block] (small enough to stay in cache), so every nonzero a[r, j] adds a·xᵀ[j, :]
    /// to the block's sums held in registers; the block's result is transposed back into y.
    /// Images per block: 64 where AVX gives 16 registers (eight sums of 8), else 32.
    #if PRUNELAB_FMA
    public static let imageBlock = 64
    #else
    public static let imageBlock = 32
    #endif

    public func multiplyTransposed(_ x: UnsafePointer<Float>, batch: Int, bias: UnsafePointer<Float>?,
                                   into y: UnsafeMutablePointer<Float>, imageBlock block: Int = imageBlock) {
        precondition((1...64).contains(block), "sparse product: image blocks hold 1 to 64 images")
        let blocks = (batch + block - 1) / block
        let (rows, columns) = (self.rows, self.columns)
        let workers = nonzeroCount * batch >= 1_500_000 ? min(parallelWorkers, blocks) : 1
        let scratch = Tensor(uninitializedShape: [workers, (columns + rows) * block])
        rowStart.withUnsafeBufferPointer { startBuffer in
            columnIndex.withUnsafeBufferPointer { indexBuffer in
                values.withUnsafeBufferPointer { valueBuffer in
                    let (starts, index, value) = (startBuffer.baseAddress!, indexBuffer.baseAddress!, valueBuffer.baseAddress!)
                    let run = { (worker: Int, blockRange: Range<Int>) in
                        let xT = scratch.data + worker * (columns + rows) * block
                        let yT = xT + columns * block
                        for blockIndex in blockRange {
                            let first = blockIndex * block
                            let width = min(block, batch - first)
                            transpose(x + first * columns, rows: width, columns: columns, into: xT)
                            sparseTimesDense(starts, index, value, rows: rows, xT, width: width, into: yT)
                            transpose(yT, rows: rows, columns: width, into: y + first * rows)
                        }
                    }
                    if workers == 1 {
                        run(0, 0..<blocks)
                    } else {
                        parallelChunks(blocks, chunkSize: 1) { worker, range in run(worker, range) }
                    }
                }
            }
        }
        if let bias {
            for image in 0..<batch {
                let row = y + image * rows
                for r in 0..<rows { row[r] += bias[r] }
            }
        }
    }
}

/// yT[r, 0..<width] = Σ over row r's nonzeros of value · xT[column, 0..<width], with xT and
/// yT row-major with rows `width` long (width ≤ 64).
@inline(never)
private func sparseTimesDense(_ starts: UnsafePointer<Int32>, _ index: UnsafePointer<Int32>, _ value: UnsafePointer<Float>,
                              rows: Int, _ xT: UnsafePointer<Float>, width: Int, into yT: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let (begin, end) = (Int(starts[r]), Int(starts[r + 1]))
        let out = yT + r * width
        var b = 0
        if width == 64 {
            // Eight eight-lane sums: half the AVX registers, one broadcast feeds eight FMAs.
            var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
            for e in begin..<end {
                let w = SIMD8<Float>(repeating: value[e])
                let src = xT + Int(index[e]) * 64
                a0 = multiplyAdd(a0, w, load8(src)); a1 = multiplyAdd(a1, w, load8(src + 8))
                a2 = multiplyAdd(a2, w, load8(src + 16)); a3 = multiplyAdd(a3, w, load8(src + 24))
                a4 = multiplyAdd(a4, w, load8(src + 32)); a5 = multiplyAdd(a5, w, load8(src + 40))
                a6 = multiplyAdd(a6, w, load8(src + 48)); a7 = multiplyAdd(a7, w, load8(src + 56))
            }
            store8(a0, out); store8(a1, out + 8); store8(a2, out + 16); store8(a3, out + 24)
            store8(a4, out + 32); store8(a5, out + 40); store8(a6, out + 48); store8(a7, out + 56)
            continue
        }
        if width == 32 {
            // Four eight-lane sums (eight SSE registers, or four AVX ones), so nothing spills.
            var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
            for e in begin..<end {
                let w = SIMD8<Float>(repeating: value[e])
                let src = xT + Int(index[e]) * 32
                a0 = multiplyAdd(a0, w, load8(src)); a1 = multiplyAdd(a1, w, load8(src + 8))
                a2 = multiplyAdd(a2, w, load8(src + 16)); a3 = multiplyAdd(a3, w, load8(src + 24))
            }
            store8(a0, out); store8(a1, out + 8); store8(a2, out + 16); store8(a3, out + 24)
            continue
        }
        while b + 8 <= width {
            var a = SIMD8<Float>(repeating: 0)
            for e in begin..<end { a = multiplyAdd(a, SIMD8<Float>(repeating: value[e]), load8(xT + Int(index[e]) * width + b)) }
            store8(a, out + b)
            b += 8
        }
        while b < width {
            var a: Float = 0
            for e in begin..<end { a += value[e] * xT[Int(index[e]) * width + b] }
            out[b] = a
            b += 1
        }
    }
}

/// Writes the transpose of the row-major `rows`×`columns` matrix `a` into `result`
/// (`columns`×`rows`): 4×4 blocks through SIMD registers, inside 32×32 tiles that stay in cache.
@inline(never)
public func transpose(_ a: UnsafePointer<Float>, rows: Int, columns: Int, into result: UnsafeMutablePointer<Float>) {
    let tile = 32
    for r0 in stride(from: 0, to: rows, by: tile) {
        let r1 = min(rows, r0 + tile)
        for c0 in stride(from: 0, to: columns, by: tile) {
            let c1 = min(columns, c0 + tile)
            var r = r0
            while r + 4 <= r1 {
                var c = c0
                while c + 4 <= c1 {
                    let p = a + r * columns + c
                    let x0 = load4(p), x1 = load4(p + columns), x2 = load4(p + 2 * columns), x3 = load4(p + 3 * columns)
                    let q = result + c * rows + r
                    store4(SIMD4(x0[0], x1[0], x2[0], x3[0]), q)
                    store4(SIMD4(x0[1], x1[1], x2[1], x3[1]), q + rows)
                    store4(SIMD4(x0[2], x1[2], x2[2], x3[2]), q + 2 * rows)
                    store4(SIMD4(x0[3], x1[3], x2[3], x3[3]), q + 3 * rows)
                    c += 4
                }
                for cc in c..<c1 {
                    for rr in r..<(r + 4) { result[cc * rows + rr] = a[rr * columns + cc] }
                }
                r += 4
            }
            for rr in r..<r1 {
                for cc in c0..<c1 { result[cc * rows + rr] = a[rr * columns + cc] }
            }
        }
    }
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
private func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}
