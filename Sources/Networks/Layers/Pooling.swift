import Tensors

/// Max pooling with a square window of `kernel` and the same stride, as `torch.nn.MaxPool2d(k)`.
/// Backward routes each gradient to the position that held the maximum.
public final class MaxPool2d: Layer {
    public let kernel: Int
    private var argmax: [Int32] = []
    private var inputShape: [Int] = []

    public init(_ kernel: Int = 2) { self.kernel = kernel }
    public var summary: String { "MaxPool2d(kernel=\(kernel), stride=\(kernel))" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let outShape = outputShape(for: input.shape)
        let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow, k) = (outShape[2], outShape[3], kernel)
        let output = Tensor(uninitializedShape: outShape)
        if argmax.count != output.count { argmax = [Int32](repeating: 0, count: output.count) }
        let (x, y) = (input.data, output.data)
        argmax.withUnsafeMutableBufferPointer { idx in
            let idx = idx.baseAddress!
            parallelFor(planes, minimumPerWorker: 16) { range in
                for p in range {
                    let src = x + p * h * w
                    for oy in 0..<oh {
                        // 2×2 windows, 8 outputs at a time; the scalar loop below finishes the row.
                        let vectorEnd = k == 2 ? ow / 8 * 8 : 0
                        for ox in stride(from: 0, to: vectorEnd, by: 8) {
                            let o = (p * oh + oy) * ow + ox
                            maxPool2x2(src, rowStart: 2 * oy * w, width: w, column: 2 * ox, into: y + o, argmax: idx + o)
                        }
                        for ox in vectorEnd..<ow {
                            var best = (oy * k) * w + ox * k
                            var bestValue = src[best]
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let i = (oy * k + ky) * w + ox * k + kx
                                    if src[i] > bestValue { bestValue = src[i]; best = i }
                                }
                            }
                            let o = (p * oh + oy) * ow + ox
                            y[o] = bestValue
                            idx[o] = Int32(best)
                        }
                    }
                }
            }
        }
        inputShape = input.shape
        return output
    }

    /// Eight 2×2 windows side by side: the windows' four values are compared in the order the
    /// scalar loop visits them (strictly greater wins, so the first maximum is kept).
    @inline(__always)
    private func maxPool2x2(_ src: UnsafePointer<Float>, rowStart: Int, width: Int, column: Int,
                            into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let top = src + rowStart + column, bottom = top + width
        let upper = UnsafeRawPointer(top).loadUnaligned(as: SIMD16<Float>.self)
        let lower = UnsafeRawPointer(bottom).loadUnaligned(as: SIMD16<Float>.self)
        let first = Int32(rowStart + column)
        let base = SIMD8<Int32>(first, first + 2, first + 4, first + 6, first + 8, first + 10, first + 12, first + 14)
        var best = upper.evenHalf, index = base
        @inline(__always) func consider(_ candidate: SIMD8<Float>, _ offset: Int32) {
            let better = candidate .> best
            best.replace(with: candidate, where: better)
            index.replace(with: base &+ offset, where: better)
        }
        consider(upper.oddHalf, 1)
        consider(lower.evenHalf, Int32(width))
        consider(lower.oddHalf, Int32(width + 1))
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(argmax).storeBytes(of: index, as: SIMD8<Int32>.self)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let gradInput = Tensor(shape: inputShape)
        let (planes, plane) = (inputShape[0] * inputShape[1], inputShape[2] * inputShape[3])
        let outPlane = gradOutput.count / max(planes, 1)
        let (dy, dx) = (gradOutput.data, gradInput.data)
        argmax.withUnsafeBufferPointer { idx in
            for p in 0..<planes {
                for o in 0..<outPlane {
                    let j = p * outPlane + o
                    dx[p * plane + Int(idx[j])] += dy[j]
                }
            }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], inputShape[1], inputShape[2] / kernel, inputShape[3] / kernel]
    }
}

/// Average pooling with a square window of `kernel` and the same stride, as
/// `torch.nn.AvgPool2d(k)`; with `kernel` equal to the input size it is global pooling.
/// Backward spreads each gradient evenly over its window.
public final class AvgPool2d: Layer {
    public let kernel: Int
    private var inputShape: [Int] = []

    public init(_ kernel: Int) { self.kernel = kernel }
    public var summary: String { "AvgPool2d(kernel=\(kernel), stride=\(kernel))" }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let outShape = outputShape(for: input.shape)
        let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow, k) = (outShape[2], outShape[3], kernel)
        let scale = 1 / Float(k * k)
        let output = Tensor(uninitializedShape: outShape)
        let (x, y) = (input.data, output.data)
        parallelFor(planes, minimumPerWorker: 16) { range in
            for p in range {
                let src = x + p * h * w
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var s: Float = 0
                        for ky in 0..<k {
                            let row = src + (oy * k + ky) * w + ox * k
                            for kx in 0..<k { s += row[kx] }
                        }
                        y[(p * oh + oy) * ow + ox] = s * scale
                    }
                }
            }
        }
        inputShape = input.shape
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let gradInput = Tensor(shape: inputShape)
        let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
        let (oh, ow, k) = (gradOutput.shape[2], gradOutput.shape[3], kernel)
        let scale = 1 / Float(k * k)
        let (dy, dx) = (gradOutput.data, gradInput.data)
        parallelFor(planes, minimumPerWorker: 16) { range in
            for p in range {
                let dst = dx + p * h * w
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let g = dy[(p * oh + oy) * ow + ox] * scale
                        for ky in 0..<k {
                            let row = dst + (oy * k + ky) * w + ox * k
                            for kx in 0..<k { row[kx] += g }
                        }
                    }
                }
            }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        [inputShape[0], inputShape[1], inputShape[2] / kernel, inputShape[3] / kernel]
    }
}
