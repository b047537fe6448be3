/// The geometry of a 2-D convolution or pooling window over an N×C×H×W batch.
public struct ConvGeometry: Sendable, Equatable {
    public let batch, channels, height, width: Int
    public let kernel, stride, padding: Int

    public init(batch: Int, channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        self.batch = batch; self.channels = channels; self.height = height; self.width = width
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }

    /// Output height: ⌊(H + 2p − k) / s⌋ + 1, as PyTorch.
    public var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    public var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Output positions per image.
    public var outPlane: Int { outHeight * outWidth }
    /// Rows of the column matrix: one per (input channel, kernel row, kernel column).
    public var columnRows: Int { channels * kernel * kernel }
    /// Columns of the column matrix: one per (image, output position), the whole batch at once.
    public var columnCols: Int { batch * outPlane }
}

/// Unfolds a whole batch into one column matrix `[C·k·k, N·OH·OW]`, so a convolution
/// becomes a single GEMM `W[F, C·k·k] × cols`. Padding positions read as zero.
public func im2col(_ input: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>) {
    let (k, s, p) = (g.kernel, g.stride, g.padding)
    let (oh, ow, h, w) = (g.outHeight, g.outWidth, g.height, g.width)
    let plane = g.outPlane, rowLength = g.columnCols
    parallelFor(g.columnRows, minimumPerWorker: 4) { rows in
        for row in rows {
            let c = row / (k * k), ki = (row / k) % k, kj = row % k
            let dstRow = cols + row * rowLength
            for n in 0..<g.batch {
                let src = input + (n * g.channels + c) * h * w
                let dst = dstRow + n * plane
                for y in 0..<oh {
                    let iy = y * s - p + ki
                    let d = dst + y * ow
                    if iy < 0 || iy >= h {
                        d.update(repeating: 0, count: ow)
                        continue
                    }
                    let srcRow = src + iy * w
                    if s == 1 {
                        // Contiguous run; only the ends can fall into padding.
                        var x = 0
                        while x < ow && x - p + kj < 0 { d[x] = 0; x += 1 }
                        var xEnd = ow
                        while xEnd > x && xEnd - 1 - p + kj >= w { xEnd -= 1; d[xEnd] = 0 }
                        if xEnd > x { (d + x).update(from: srcRow + (x - p + kj), count: xEnd - x) }
                    } else {
                        for x in 0..<ow {
                            let ix = x * s - p + kj
                            d[x] = (ix >= 0 && ix < w) ? srcRow[ix] : 0
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column entry back to the input position it came
/// from. `output` must be zeroed by the caller (it accumulates).
public func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into output: UnsafeMutablePointer<Float>) {
    let (k, s, p) = (g.kernel, g.stride, g.padding)
    let (oh, ow, h, w) = (g.outHeight, g.outWidth, g.height, g.width)
    let plane = g.outPlane, rowLength = g.columnCols
    // Each input channel receives only from its own k·k rows: channels are independent.
    parallelFor(g.channels) { channels in
        for c in channels {
            for ki in 0..<k {
                for kj in 0..<k {
                    let srcRow = cols + ((c * k + ki) * k + kj) * rowLength
                    for n in 0..<g.batch {
                        let dst = output + (n * g.channels + c) * h * w
                        let src = srcRow + n * plane
                        for y in 0..<oh {
                            let iy = y * s - p + ki
                            if iy < 0 || iy >= h { continue }
                            let d = dst + iy * w
                            let srow = src + y * ow
                            for x in 0..<ow {
                                let ix = x * s - p + kj
                                if ix >= 0 && ix < w { d[ix] += srow[x] }
                            }
                        }
                    }
                }
            }
        }
    }
}
