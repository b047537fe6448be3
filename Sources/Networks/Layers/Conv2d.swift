import Tensors

/// 2-D convolution over N×C×H×W with a square kernel, as `torch.nn.Conv2d`.
///
/// Image by image, `im2col` unfolds the input into cols[C·k·k, P] (P = output positions),
/// so forward is one GEMM per image: Y[F, P] = W[F, C·k·k] · cols, written straight into
/// the N×F×H×W output. Backward, per image: ∂W += ∂Y · colsᵀ, ∂cols = Wᵀ · ∂Y, and
/// `col2im` folds ∂cols back into ∂x. The images are shared out over the cores; each core
/// unfolds into its own small buffer, which stays in cache for the GEMM, and the columns are
/// recomputed in backward rather than kept for the whole batch (that would cost C·k·k·N·P
/// floats per layer). A 1×1 convolution with stride 1 and no padding needs no unfolding.
public final class Conv2d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    private var input: Tensor?  // kept from a training forward for ∂W

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

    /// Whether the input is already its own column matrix (1×1 kernel, stride 1, no padding).
    private var readsInputDirectly: Bool { kernel == 1 && stride == 1 && padding == 0 }

    /// Images per chunk handed to a core: enough GEMM work per chunk to hide the hand-out cost.
    private func imagesPerChunk(_ g: ConvGeometry) -> Int {
        let work = outChannels * g.columnRows * g.outPlane
        return max(1, min(8, 2_000_000 / max(work, 1)))
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: input.shape)
        let (f, plane, n, rows) = (outChannels, g.outPlane, g.batch, g.columnRows)
        let imageSize = g.channels * g.height * g.width
        let output = Tensor(uninitializedShape: [n, f, g.outHeight, g.outWidth])
        let direct = readsInputDirectly
        let chunk = imagesPerChunk(g)
        let workers = chunkWorkers(n, chunkSize: chunk)
        let scratch = direct ? nil : Tensor(uninitializedShape: [workers, rows * plane])
        let (x, y, w, b) = (input.data, output.data, weight.value.data, bias?.value.data)
        parallelChunks(n, chunkSize: chunk) { worker, images in
            let cols = scratch.map { $0.data + worker * rows * plane }
            for image in images {
                let source = x + image * imageSize
                if let cols { im2colImage(source, g, into: cols) }
                let yImage = y + image * f * plane
                if let b {
                    for filter in 0..<f { (yImage + filter * plane).update(repeating: b[filter], count: plane) }
                }
                gemm(.none, .none, m: f, n: plane, k: rows, a: w, b: cols ?? source,
                     beta: b == nil ? 0 : 1, c: yImage, parallel: false)
            }
        }
        self.input = training ? input : nil
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let input else { fatalError("Conv2d.backward called before a training forward") }
        let g = geometry(for: input.shape)
        let (f, plane, n, rows) = (outChannels, g.outPlane, g.batch, g.columnRows)
        let imageSize = g.channels * g.height * g.width
        let gradInput = Tensor(uninitializedShape: input.shape)
        let direct = readsInputDirectly
        let chunk = imagesPerChunk(g)
        let workers = chunkWorkers(n, chunkSize: chunk)
        // Per core: the image's columns, their gradient, and a partial ∂W and ∂b (core 0 adds
        // straight into the parameter's gradient).
        let cols = direct ? nil : Tensor(uninitializedShape: [workers, rows * plane])
        let gradCols = direct ? nil : Tensor(uninitializedShape: [workers, rows * plane])
        let partialWeight = workers > 1 ? Tensor(shape: [workers - 1, f * rows]) : nil
        let partialBias = Tensor(shape: [workers, f])
        let (x, dy, dx, w) = (input.data, gradOutput.data, gradInput.data, weight.value.data)
        let dW = weight.grad.data
        let hasBias = bias != nil
        parallelChunks(n, chunkSize: chunk) { worker, images in
            let myCols = cols.map { $0.data + worker * rows * plane }
            let myGradCols = gradCols.map { $0.data + worker * rows * plane }
            let myWeight = worker == 0 ? dW : partialWeight!.data + (worker - 1) * f * rows
            let myBias = partialBias.data + worker * f
            for image in images {
                let source = x + image * imageSize
                let dyImage = dy + image * f * plane
                let dxImage = dx + image * imageSize
                if let myCols { im2colImage(source, g, into: myCols) }
                gemm(.none, .transposed, m: f, n: rows, k: plane, a: dyImage, b: myCols ?? source,
                     beta: 1, c: myWeight, parallel: false)
                if hasBias {
                    for filter in 0..<f { myBias[filter] += vectorSum(plane, dyImage + filter * plane) }
                }
                if let myGradCols {
                    gemm(.transposed, .none, m: rows, n: plane, k: f, a: w, b: dyImage, c: myGradCols, parallel: false)
                    dxImage.update(repeating: 0, count: imageSize)
                    col2imImage(myGradCols, g, into: dxImage)
                } else {
                    gemm(.transposed, .none, m: rows, n: plane, k: f, a: w, b: dyImage, c: dxImage, parallel: false)
                }
            }
        }
        if let partialWeight {
            for worker in 0..<(workers - 1) { axpy(f * rows, alpha: 1, partialWeight.data + worker * f * rows, dW) }
        }
        if let bias {
            for worker in 0..<workers { axpy(f, alpha: 1, partialBias.data + worker * f, bias.grad.data) }
        }
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [g.batch, outChannels, g.outHeight, g.outWidth]
    }
}
