import Tensors

/// 2-D convolution over N×C×H×W with a square kernel, as `torch.nn.Conv2d`.
///
/// The whole batch is unfolded by `im2col` into cols[C·k·k, N·P] (P = output positions),
/// so forward is one GEMM: Y[F, N·P] = W[F, C·k·k] · cols. Backward:
/// ∂W = ∂Y · colsᵀ, ∂cols = Wᵀ · ∂Y, and `col2im` folds ∂cols back into ∂x.
public final class Conv2d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    private var geometry: ConvGeometry?
    private var columns: Tensor?  // kept from forward for ∂W

    public var inChannels: Int { weight.shape[1] }
    public var outChannels: Int { weight.shape[0] }

    /// PyTorch's default initialisation: U(−1/√fan_in, 1/√fan_in), fan_in = C·k·k.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout SeededGenerator) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
        let bound = 1 / Float(inChannels * kernel * kernel).squareRoot()
        weight = Parameter(.uniform([outChannels, inChannels, kernel, kernel], low: -bound, high: bound, using: &rng),
                           name: "weight")
        self.bias = bias ? Parameter(.uniform([outChannels], low: -bound, high: bound, using: &rng), name: "bias") : nil
    }

    public var summary: String {
        "Conv2d(\(inChannels), \(outChannels), kernel=\(kernel), stride=\(stride), padding=\(padding)\(bias == nil ? ", bias=False" : ""))"
    }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// Re-initialises the weight with Kaiming normal (fan_out, ReLU gain), as the reference models do.
    public func kaimingNormalInit(rng: inout SeededGenerator) {
        let std = (2 / Float(outChannels * kernel * kernel)).squareRoot()
        weight.value = .normal(weight.shape, std: std, using: &rng)
        bias?.value.zero()
    }

    private func geometry(for shape: [Int]) -> ConvGeometry {
        precondition(shape.count == 4 && shape[1] == inChannels,
                     "Conv2d expects N×\(inChannels)×H×W input, got \(shape)")
        return ConvGeometry(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                            kernel: kernel, stride: stride, padding: padding)
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: input.shape)
        let (f, plane, n) = (outChannels, g.outPlane, g.batch)
        // A 1×1 convolution with stride 1 and no padding reads the input as it is.
        let cols: Tensor
        if kernel == 1 && stride == 1 && padding == 0 && n == 1 {
            cols = input.reshaped([g.columnRows, g.columnCols])
        } else {
            cols = reusable(columns, [g.columnRows, g.columnCols])
            im2col(input.data, g, into: cols.data)
        }
        let product = Tensor(uninitializedShape: [f, n * plane])
        gemm(.none, .none, m: f, n: n * plane, k: g.columnRows,
             a: weight.value.data, b: cols.data, c: product.data)
        // [F, N, P] → [N, F, P], adding the bias on the way.
        let output = Tensor(uninitializedShape: [n, f, g.outHeight, g.outWidth])
        let (src, dst, b) = (product.data, output.data, bias?.value.data)
        parallelFor(n * f, minimumPerWorker: 64) { range in
            for job in range {
                let (image, filter) = (job / f, job % f)
                let s = src + (filter * n + image) * plane
                let d = dst + job * plane
                if let b {
                    let v = b[filter]
                    for i in 0..<plane { d[i] = s[i] + v }
                } else {
                    d.update(from: s, count: plane)
                }
            }
        }
        if training { geometry = g; columns = cols } else { columns = nil }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let g = geometry, let cols = columns else { fatalError("Conv2d.backward called before a training forward") }
        let (f, plane, n) = (outChannels, g.outPlane, g.batch)
        // [N, F, P] → [F, N, P] so the batch is one GEMM operand.
        let dy = Tensor(uninitializedShape: [f, n * plane])
        let (src, dst) = (gradOutput.data, dy.data)
        parallelFor(n * f, minimumPerWorker: 64) { range in
            for job in range {
                let (image, filter) = (job / f, job % f)
                (dst + (filter * n + image) * plane).update(from: src + job * plane, count: plane)
            }
        }
        gemm(.none, .transposed, m: f, n: g.columnRows, k: n * plane,
             a: dy.data, b: cols.data, beta: 1, c: weight.grad.data)
        if let bias {
            for filter in 0..<f { bias.grad.data[filter] += Float(sum(n * plane, dy.data + filter * n * plane)) }
        }
        let gradCols = Tensor(uninitializedShape: [g.columnRows, g.columnCols])
        gemm(.transposed, .none, m: g.columnRows, n: n * plane, k: f,
             a: weight.value.data, b: dy.data, c: gradCols.data)
        let gradInput = Tensor(shape: [n, g.channels, g.height, g.width])
        col2im(gradCols.data, g, into: gradInput.data)
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [g.batch, outChannels, g.outHeight, g.outWidth]
    }
}

/// Returns `existing` when it already has `shape` (reusing its memory), otherwise a new tensor.
@inline(__always)
func reusable(_ existing: Tensor?, _ shape: [Int]) -> Tensor {
    if let existing, existing.shape == shape { return existing }
    return Tensor(uninitializedShape: shape)
}
