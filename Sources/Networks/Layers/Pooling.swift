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
                        for ox in 0..<ow {
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
