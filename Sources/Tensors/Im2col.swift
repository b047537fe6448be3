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

    /// The output columns x whose input column x·s − p + kj lies inside the image (others read padding).
    @inline(__always)
    func validColumns(kernelColumn kj: Int) -> Range<Int> {
        let (s, p) = (stride, padding)
        let first = p - kj <= 0 ? 0 : (p - kj + s - 1) / s
        let last = width - 1 + p - kj
        let end = last < 0 ? 0 : min(outWidth, last / s + 1)
        return first < end ? first..<end : 0..<0
    }
}

/// Unfolds a whole batch into one column matrix `[C·k·k, N·OH·OW]`, so a convolution
/// becomes a single GEMM `W[F, C·k·k] × cols`. Padding positions read as zero.
public func im2col(_ input: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>) {
    let imageSize = g.channels * g.height * g.width
    parallelFor(g.columnRows, minimumPerWorker: 4) { rows in
        for row in rows {
            for n in 0..<g.batch {
                unfoldRow(row, input + n * imageSize, g, into: cols + row * g.columnCols + n * g.outPlane)
            }
        }
    }
}

/// Unfolds one image (`g.batch` is ignored) into `[C·k·k, OH·OW]` on the calling thread:
/// the per-image building block of `Conv2d`, whose columns stay in cache for the GEMM.
/// Rows of `cols` are `rowLength` apart (default OH·OW), so several images can sit side by side.
public func im2colImage(_ image: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>,
                        rowLength: Int? = nil) {
    let rowLength = rowLength ?? g.outPlane
    for row in 0..<g.columnRows { unfoldRow(row, image, g, into: cols + row * rowLength) }
}

/// One row (input channel c, kernel offset ki, kj) of one image's column matrix: OH·OW values.
@inline(__always)
func unfoldRow(_ row: Int, _ image: UnsafePointer<Float>, _ g: ConvGeometry, into dst: UnsafeMutablePointer<Float>) {
    let (k, s, p) = (g.kernel, g.stride, g.padding)
    let (oh, ow, h, w) = (g.outHeight, g.outWidth, g.height, g.width)
    let c = row / (k * k), ki = (row / k) % k, kj = row % k
    let src = image + c * h * w
    let valid = g.validColumns(kernelColumn: kj)
    for y in 0..<oh {
        let iy = y * s - p + ki
        let d = dst + y * ow
        if iy < 0 || iy >= h || valid.isEmpty {
            d.update(repeating: 0, count: ow)
            continue
        }
        for x in 0..<valid.lowerBound { d[x] = 0 }
        for x in valid.upperBound..<ow { d[x] = 0 }
        let srcRow = src + iy * w - p + kj
        if s == 1 {
            // A short run (one image row): an inline loop beats a call to memmove.
            for x in valid { d[x] = srcRow[x] }
        } else {
            for x in valid { d[x] = srcRow[x * s] }
        }
    }
}

/// The adjoint of `im2col`: adds every column entry back to the input position it came
/// from. `output` must be zeroed by the caller (it accumulates).
public func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into output: UnsafeMutablePointer<Float>) {
    let imageSize = g.channels * g.height * g.width
    // Each input channel receives only from its own k·k rows: channels are independent.
    parallelFor(g.channels) { channels in
        for c in channels {
            for n in 0..<g.batch {
                foldChannel(c, cols + n * g.outPlane, rowLength: g.columnCols, g, into: output + n * imageSize)
            }
        }
    }
}

/// The adjoint of `im2colImage` for one image, on the calling thread: adds the columns
/// `[C·k·k, OH·OW]` (rows `rowLength` apart) into `image` (C×H×W), which the caller zeroes first.
public func col2imImage(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into image: UnsafeMutablePointer<Float>,
                        rowLength: Int? = nil) {
    for c in 0..<g.channels { foldChannel(c, cols, rowLength: rowLength ?? g.outPlane, g, into: image) }
}

/// Adds channel c's k·k column rows (rows `rowLength` apart) into that channel of one image.
@inline(__always)
func foldChannel(_ c: Int, _ cols: UnsafePointer<Float>, rowLength: Int, _ g: ConvGeometry,
                 into image: UnsafeMutablePointer<Float>) {
    let (k, s, p) = (g.kernel, g.stride, g.padding)
    let (oh, ow, h, w) = (g.outHeight, g.outWidth, g.height, g.width)
    let dst = image + c * h * w
    for ki in 0..<k {
        for kj in 0..<k {
            let srcRow = cols + ((c * k + ki) * k + kj) * rowLength
            let valid = g.validColumns(kernelColumn: kj)
            if valid.isEmpty { continue }
            for y in 0..<oh {
                let iy = y * s - p + ki
                if iy < 0 || iy >= h { continue }
                let d = dst + iy * w - p + kj
                let srow = srcRow + y * ow
                if s == 1 {
                    for x in valid { d[x] += srow[x] }
                } else {
                    for x in valid { d[x * s] += srow[x] }
                }
            }
        }
    }
}
