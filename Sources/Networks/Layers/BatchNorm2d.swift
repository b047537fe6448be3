import Tensors

/// Batch normalisation over N×C×H×W, as `torch.nn.BatchNorm2d` (momentum 0.1, eps 1e-5).
///
/// Training: x̂ = (x − μ_B)/√(σ²_B + ε) with the biased batch variance, y = γ·x̂ + β, and
/// running statistics updated with the unbiased variance. Evaluation uses the running ones.
/// Backward (m = N·H·W values per channel):
/// ∂γ = Σ dy·x̂, ∂β = Σ dy, ∂x = γ/√(σ²+ε) · (dy − mean(dy) − x̂·mean(dy·x̂)).
/// γ is the "channel scaling factor" that network slimming drives to zero.
public final class BatchNorm2d: Layer {
    public let weight: Parameter      // γ
    public let bias: Parameter        // β
    public let runningMean: Parameter
    public let runningVar: Parameter
    public var momentum: Float = 0.1
    public var eps: Float = 1e-5

    // Kept from a training forward for backward: the input and the batch statistics
    // (x̂ = (x − μ)·istd is recomputed there, which saves writing it out in forward).
    private var input: Tensor?
    private var batchMean: [Float] = []
    private var inverseStd: [Float] = []

    public var channels: Int { weight.shape[0] }

    public init(_ channels: Int, gamma: Float = 1) {
        weight = Parameter(Tensor(shape: [channels], repeating: gamma), name: "weight")
        bias = Parameter(Tensor(shape: [channels]), name: "bias")
        runningMean = Parameter(Tensor(shape: [channels]), name: "running_mean", trainable: false)
        runningVar = Parameter(Tensor(shape: [channels], repeating: 1), name: "running_var", trainable: false)
    }

    public var summary: String { "BatchNorm2d(\(channels))" }
    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [Parameter] { [runningMean, runningVar] }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        forward(input, training: training, relu: false)
    }

    /// BatchNorm followed, with `relu`, by max(0, ·) in the same pass over the data: what a
    /// BatchNorm → ReLU pair computes, with the output written once. After a training forward
    /// with `relu`, pass the returned tensor to `backward(_:reluOutput:adding:)`.
    public func forward(_ input: Tensor, training: Bool, relu: Bool) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == channels,
                     "BatchNorm2d expects N×\(channels)×H×W, got \(input.shape)")
        if !training {
            self.input = nil
            return inferenceForward(input, relu: relu)
        }
        let (n, c) = (input.shape[0], channels)
        let plane = input.shape[2] * input.shape[3]
        let m = n * plane
        let output = Tensor(uninitializedShape: input.shape)
        var means = [Float](repeating: 0, count: c)
        var invStd = [Float](repeating: 0, count: c)
        let (x, y) = (input.data, output.data)
        let (gamma, beta) = (weight.value.data, bias.value.data)
        let (rMean, rVar) = (runningMean.value.data, runningVar.value.data)
        let (mom, eps) = (momentum, eps)
        means.withUnsafeMutableBufferPointer { meanBuffer in
            invStd.withUnsafeMutableBufferPointer { invStdBuffer in
                let (meanOut, inv) = (meanBuffer.baseAddress!, invStdBuffer.baseAddress!)
                parallelFor(c) { channelRange in
                    for ch in channelRange {
                        // Two passes (mean, then centred squares), each plane summed in
                        // SIMD Float and the planes in Double.
                        var s = 0.0
                        for img in 0..<n { s += Double(vectorSum(plane, x + (img * c + ch) * plane)) }
                        let mean = Float(s / Double(m))
                        var sq = 0.0
                        for img in 0..<n {
                            sq += Double(vectorShiftedSquares(plane, x + (img * c + ch) * plane, shift: mean))
                        }
                        let variance = Float(sq / Double(m))
                        let unbiased = m > 1 ? Float(sq / Double(m - 1)) : variance
                        rMean[ch] = (1 - mom) * rMean[ch] + mom * mean
                        rVar[ch] = (1 - mom) * rVar[ch] + mom * unbiased
                        let istd = 1 / (variance + eps).squareRoot()
                        meanOut[ch] = mean
                        inv[ch] = istd
                        let (scale, b) = (gamma[ch] * istd, beta[ch])
                        for img in 0..<n {
                            let offset = (img * c + ch) * plane
                            normalizePlane(plane, x + offset, mean: mean, scale: scale, shift: b, relu: relu, into: y + offset)
                        }
                    }
                }
            }
        }
        batchMean = means
        inverseStd = invStd
        self.input = input
        return output
    }

    /// Inference as one affine map per channel, y = x·scale + shift with scale = γ/√(running
    /// variance + ε) and shift = β − running mean·scale: what a preceding convolution can apply
    /// as it stores its output (`Conv2d.forwardFused`).
    public func inferenceScaleAndShift() -> (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for ch in 0..<channels {
            scale[ch] = weight.value[ch] / (runningVar.value[ch] + eps).squareRoot()
            shift[ch] = bias.value[ch] - runningMean.value[ch] * scale[ch]
        }
        return (scale, shift)
    }

    /// Inference in one pass over the data: y = x·scale + shift per channel (running
    /// statistics), followed by max(0, y) when `relu` (a ReLU layer that comes next).
    public func inferenceForward(_ input: Tensor, relu: Bool) -> Tensor {
        let (n, c) = (input.shape[0], channels)
        let plane = input.shape[2] * input.shape[3]
        let output = Tensor(uninitializedShape: input.shape)
        let (scale, shift) = inferenceScaleAndShift()
        let (x, y) = (input.data, output.data)
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                parallelFor(n * c, minimumPerWorker: max(1, (1 << 14) / max(plane, 1))) { planes in
                    for p in planes {
                        let ch = p % c
                        affinePlane(plane, x + p * plane, scale: scale[ch], shift: shift[ch], relu: relu, into: y + p * plane)
                    }
                }
            }
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        backward(gradOutput, reluOutput: nil, adding: nil)
    }

    /// The backward pass of BatchNorm → ReLU run by `forward(_:training:relu: true)`, given that
    /// forward's output (`reluOutput`): ∂L/∂(BN output) is `gradOutput` where the output is
    /// positive, else 0, as `ReLU.backward` would give, without writing it out. With `adding`,
    /// ∂L/∂x + the first C channels of each image of `adding` (N×C′×H×W, C′ ≥ C): the sum a
    /// DenseNet layer (the concatenation's gradient) or a residual block (the shortcut's) needs,
    /// in the same pass. Equal to the separate layers up to rounding.
    public func backward(_ gradOutput: Tensor, reluOutput: Tensor?, adding: Tensor?) -> Tensor {
        guard let input else { fatalError("BatchNorm2d.backward called before a training forward") }
        precondition(reluOutput.map { $0.shape == gradOutput.shape } ?? true, "ReLU output and gradient shapes differ")
        let (n, c) = (gradOutput.shape[0], channels)
        let plane = gradOutput.shape[2] * gradOutput.shape[3]
        if let adding {
            precondition(adding.shape.count == 4 && adding.shape[0] == n && adding.shape[1] >= c
                         && adding.shape[2] * adding.shape[3] == plane, "cannot add \(adding.shape) to \(gradOutput.shape)")
        }
        let addImage = adding.map { $0.shape[1] * plane } ?? 0
        let add = adding?.data
        let mask = reluOutput?.data
        let m = Float(n * plane)
        let gradInput = Tensor(uninitializedShape: gradOutput.shape)
        let (dy, x, dx) = (gradOutput.data, input.data, gradInput.data)
        let (gamma, dGamma, dBeta) = (weight.value.data, weight.grad.data, bias.grad.data)
        batchMean.withUnsafeBufferPointer { meanBuffer in
            inverseStd.withUnsafeBufferPointer { invBuffer in
                let (means, inv) = (meanBuffer.baseAddress!, invBuffer.baseAddress!)
                parallelFor(c) { channelRange in
                    for ch in channelRange {
                        let (mean, istd) = (means[ch], inv[ch])
                        var sumDy = 0.0, sumDyCentred = 0.0
                        for img in 0..<n {
                            let offset = (img * c + ch) * plane
                            let (s, d) = mask.map { vectorMaskedSumAndShiftedDot(plane, dy + offset, x + offset, shift: mean,
                                                                                 mask: $0 + offset) }
                                ?? vectorSumAndShiftedDot(plane, dy + offset, x + offset, shift: mean)
                            sumDy += Double(s)
                            sumDyCentred += Double(d)
                        }
                        let sumDyXhat = sumDyCentred * Double(istd)
                        dGamma[ch] += Float(sumDyXhat)
                        dBeta[ch] += Float(sumDy)
                        // ∂x = scale·(dy − mean(dy) − x̂·mean(dy·x̂)), with x̂ = (x − μ)·istd.
                        let scale = gamma[ch] * istd
                        let meanDy = Float(sumDy) / m
                        let slope = istd * Float(sumDyXhat) / m
                        for img in 0..<n {
                            let offset = (img * c + ch) * plane
                            batchNormGradientPlane(plane, dy + offset, x + offset, mask: mask.map { $0 + offset },
                                                   adding: add.map { $0 + img * addImage + ch * plane },
                                                   scale: scale, meanDy: meanDy, mean: mean, slope: slope, into: dx + offset)
                        }
                    }
                }
            }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }
}
