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

    private var normalized: Tensor?   // x̂, kept for backward
    private var inverseStd: [Float] = []
    private var trainedForward = false

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
        precondition(input.shape.count == 4 && input.shape[1] == channels,
                     "BatchNorm2d expects N×\(channels)×H×W, got \(input.shape)")
        let (n, c) = (input.shape[0], channels)
        let plane = input.shape[2] * input.shape[3]
        let m = n * plane
        let output = Tensor(uninitializedShape: input.shape)
        let xhat = training ? reusable(normalized, input.shape) : output
        var invStd = [Float](repeating: 0, count: c)
        let (x, y, xh) = (input.data, output.data, xhat.data)
        let (gamma, beta) = (weight.value.data, bias.value.data)
        let (rMean, rVar) = (runningMean.value.data, runningVar.value.data)
        let (mom, eps) = (momentum, eps)
        invStd.withUnsafeMutableBufferPointer { invStdBuffer in
            let inv = invStdBuffer.baseAddress!
            parallelFor(c) { channelRange in
                for ch in channelRange {
                    var mean: Float, variance: Float
                    if training {
                        var s = 0.0
                        for img in 0..<n { s += Tensors.sum(plane, x + (img * c + ch) * plane) }
                        let mu = s / Double(m)
                        var sq = 0.0
                        for img in 0..<n {
                            let p = x + (img * c + ch) * plane
                            for i in 0..<plane { let d = Double(p[i]) - mu; sq += d * d }
                        }
                        mean = Float(mu)
                        variance = Float(sq / Double(m))
                        let unbiased = m > 1 ? Float(sq / Double(m - 1)) : variance
                        rMean[ch] = (1 - mom) * rMean[ch] + mom * mean
                        rVar[ch] = (1 - mom) * rVar[ch] + mom * unbiased
                    } else {
                        mean = rMean[ch]
                        variance = rVar[ch]
                    }
                    let istd = 1 / (variance + eps).squareRoot()
                    inv[ch] = istd
                    let (g, b) = (gamma[ch], beta[ch])
                    for img in 0..<n {
                        let offset = (img * c + ch) * plane
                        let (xp, yp, hp) = (x + offset, y + offset, xh + offset)
                        for i in 0..<plane {
                            let h = (xp[i] - mean) * istd
                            hp[i] = h
                            yp[i] = g * h + b
                        }
                    }
                }
            }
        }
        inverseStd = invStd
        trainedForward = training
        normalized = training ? xhat : nil
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard trainedForward, let xhat = normalized else { fatalError("BatchNorm2d.backward called before a training forward") }
        let (n, c) = (gradOutput.shape[0], channels)
        let plane = gradOutput.shape[2] * gradOutput.shape[3]
        let m = Float(n * plane)
        let gradInput = Tensor(uninitializedShape: gradOutput.shape)
        let (dy, xh, dx) = (gradOutput.data, xhat.data, gradInput.data)
        let (gamma, dGamma, dBeta) = (weight.value.data, weight.grad.data, bias.grad.data)
        inverseStd.withUnsafeBufferPointer { invBuffer in
            let inv = invBuffer.baseAddress!
            parallelFor(c) { channelRange in
                for ch in channelRange {
                    var sumDy = 0.0, sumDyXhat = 0.0
                    for img in 0..<n {
                        let offset = (img * c + ch) * plane
                        let (d, h) = (dy + offset, xh + offset)
                        for i in 0..<plane { sumDy += Double(d[i]); sumDyXhat += Double(d[i] * h[i]) }
                    }
                    dGamma[ch] += Float(sumDyXhat)
                    dBeta[ch] += Float(sumDy)
                    let scale = gamma[ch] * inv[ch]
                    let meanDy = Float(sumDy) / m, meanDyXhat = Float(sumDyXhat) / m
                    for img in 0..<n {
                        let offset = (img * c + ch) * plane
                        let (d, h, g) = (dy + offset, xh + offset, dx + offset)
                        for i in 0..<plane { g[i] = scale * (d[i] - meanDy - h[i] * meanDyXhat) }
                    }
                }
            }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }
}
