import Tensors

/// 2-D convolution over N×C×H×W with a square kernel, as `torch.nn.Conv2d`.
///
/// A group of G images at a time (G = 1 for large outputs, more for small ones), `im2col`
/// unfolds the input into cols[C·k·k, G·P] (P = output positions), so forward is one GEMM
/// per group: Y[F, G·P] = W[F, C·k·k] · cols (with G = 1 written straight into the N×F×H×W
/// output). Backward, per group: ∂W += ∂Y · colsᵀ, ∂cols = Wᵀ · ∂Y, and `col2im` folds
/// ∂cols back into ∂x. Groups are shared out over the cores; each core unfolds into its own
/// small buffer, which stays in cache for the GEMM, and the columns are recomputed in
/// backward rather than kept for the whole batch (that would cost C·k·k·N·P floats per
/// layer). A 1×1 convolution with stride 1 and no padding reads a single image as it is.
/// 3×3 "same" convolutions run on the direct kernels of `Conv3x3` (on planes of 2×2 and smaller
/// as one product over the batch, `usesPlaneProduct`), and 1×1 convolutions without padding on
/// the AVX-512 variant on those of `Conv1x1` (no im2col, no packing).
public final class Conv2d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    private var input: Tensor?  // kept from a training forward for ∂W

    /// When this is the network's first layer nobody needs ∂L/∂input (the data is not learned):
    /// set true and backward skips that product and returns zeros, as PyTorch skips it for an
    /// input that does not require a gradient. The parameter gradients are unchanged.
    public var skipsInputGradient = false

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

    /// Images unfolded side by side into one GEMM: one image when its output plane is large,
    /// more when it is small (deep layers), so each product still has a few hundred columns
    /// and the weight is not re-read from memory for every image.
    private func imagesPerGroup(_ g: ConvGeometry) -> Int {
        max(1, min(g.batch, 256 / max(g.outPlane, 1)))
    }

    /// Groups handed to a core at a time: enough GEMM work to hide the hand-out cost.
    private func groupsPerChunk(_ g: ConvGeometry, group: Int) -> Int {
        let work = outChannels * g.columnRows * g.outPlane * group
        return max(1, min(8, 2_000_000 / max(work, 1)))
    }

    /// How forward and backward cut a batch: groups of images, chunks of groups per core.
    private struct BatchPlan {
        let group, groups, chunk, workers: Int
        /// GEMM columns of a full group.
        let span: Int
        /// A 1×1 convolution with stride 1 and no padding reads a single image as it is.
        let inputIsColumns: Bool
    }

    private func batchPlan(_ g: ConvGeometry) -> BatchPlan {
        let group = imagesPerGroup(g)
        let groups = (g.batch + group - 1) / group
        let chunk = groupsPerChunk(g, group: group)
        return BatchPlan(group: group, groups: groups, chunk: chunk, workers: chunkWorkers(groups, chunkSize: chunk),
                         span: group * g.outPlane,
                         inputIsColumns: kernel == 1 && stride == 1 && padding == 0 && group == 1)
    }

    /// The columns of images first..<first+count: unfolded into `cols`, or the input itself
    /// when the plan reads it as it is (`cols` is nil).
    private func groupColumns(_ x: UnsafePointer<Float>, _ g: ConvGeometry, first: Int, count: Int,
                              into cols: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        let imageSize = g.channels * g.height * g.width
        guard let cols else { return x + first * imageSize }
        for i in 0..<count {
            im2colImage(x + (first + i) * imageSize, g, into: cols + i * g.outPlane, rowLength: count * g.outPlane)
        }
        return UnsafePointer(cols)
    }

    /// The input shape of the latest forward call (per-layer profiling reads it).
    public private(set) var lastInputShape: [Int]?

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: input.shape)
        lastInputShape = input.shape
        if usesPlaneProduct(g) {
            self.input = training ? input : nil
            return forwardPlaneProduct(input, g, training: training)
        }
        if usesDirectKernels(g) {
            self.input = training ? input : nil
            return forwardDirect(input, g, training: training)
        }
        if usesDirect1x1(g) {
            self.input = training ? input : nil
            return forward1x1(input, g)
        }

        let (f, plane, n, rows) = (outChannels, g.outPlane, g.batch, g.columnRows)
        let output = Tensor(uninitializedShape: [n, f, g.outHeight, g.outWidth])
        let plan = batchPlan(g)
        let (group, groups, chunk, workers, span) = (plan.group, plan.groups, plan.chunk, plan.workers, plan.span)
        let inputIsColumns = plan.inputIsColumns
        let cols = inputIsColumns ? nil : Tensor(uninitializedShape: [workers, rows * span])
        let products = group == 1 ? nil : Tensor(uninitializedShape: [workers, f * span])
        let (x, y, w, b) = (input.data, output.data, weight.value.data, bias?.value.data)
        let variant = kernelVariant
        parallelChunks(groups, chunkSize: chunk) { worker, groupRange in
            let myCols = cols.map { $0.data + worker * rows * span }
            let myProduct = products.map { $0.data + worker * f * span }
            for groupIndex in groupRange {
                let first = groupIndex * group
                let count = min(group, n - first)
                let width = count * plane
                let columns = groupColumns(x, g, first: first, count: count, into: myCols)
                if let myProduct {
                    // [F, count·P] → the images' N×F×P blocks, adding the bias on the way.
                    gemm(.none, .none, m: f, n: width, k: rows, a: w, b: columns, c: myProduct, parallel: workers == 1, variant: variant)
                    for i in 0..<count {
                        for filter in 0..<f {
                            let (s, d) = (myProduct + filter * width + i * plane, y + ((first + i) * f + filter) * plane)
                            if let b {
                                let v = b[filter]
                                for j in 0..<plane { d[j] = s[j] + v }
                            } else {
                                d.update(from: s, count: plane)
                            }
                        }
                    }
                } else {
                    let yImage = y + first * f * plane
                    if let b {
                        for filter in 0..<f { (yImage + filter * plane).update(repeating: b[filter], count: plane) }
                    }
                    gemm(.none, .none, m: f, n: plane, k: rows, a: w, b: columns,
                         beta: b == nil ? 0 : 1, c: yImage, parallel: workers == 1, variant: variant)
                }
            }
        }
        self.input = training ? input : nil
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let input else { fatalError("Conv2d.backward called before a training forward") }
        let g = geometry(for: input.shape)
        if usesPlaneProduct(g) { return backwardPlaneProduct(input, gradOutput, g) }
        let winogradInput = !skipsInputGradient && algorithm(.inputGradient, g) == .winograd
        let winogradWeight = algorithm(.weightGradient, g) == .winograd
        if winogradInput || winogradWeight {
            return backwardWinograd(input, gradOutput, g, inputGradient: winogradInput, weightGradient: winogradWeight)
        }
        if usesDirectBackward(g) { return backwardDirect(input, gradOutput, g) }
        if usesDirect1x1(g) { return backward1x1(input, gradOutput, g) }
        return backwardIm2col(input, gradOutput, g)
    }

    /// Backward on im2col + GEMM: ∂b, and ∂W and ∂X unless told not to (Winograd computes them).
    private func backwardIm2col(_ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry,
                                inputGradient: Bool = true, weightGradient: Bool = true) -> Tensor {
        let (f, plane, n, rows) = (outChannels, g.outPlane, g.batch, g.columnRows)
        let imageSize = g.channels * g.height * g.width
        let skip = skipsInputGradient || !inputGradient
        let gradInput = skip ? Tensor(shape: input.shape) : Tensor(uninitializedShape: input.shape)
        let plan = batchPlan(g)
        let (group, groups, chunk, workers, span) = (plan.group, plan.groups, plan.chunk, plan.workers, plan.span)
        let inputIsColumns = plan.inputIsColumns
        // Per core: the group's columns, their gradient, the group's ∂Y side by side, and a
        // partial ∂W and ∂b (core 0 adds straight into the parameter's gradient).
        let cols = inputIsColumns ? nil : Tensor(uninitializedShape: [workers, rows * span])
        let gradCols = inputIsColumns || skip ? nil : Tensor(uninitializedShape: [workers, rows * span])
        let gathered = group == 1 ? nil : Tensor(uninitializedShape: [workers, f * span])
        let partials = PartialGradients(workers: workers, weight: weight, filters: f)
        let (x, dy, dx, w) = (input.data, gradOutput.data, gradInput.data, weight.value.data)
        let variant = kernelVariant
        let hasBias = bias != nil
        parallelChunks(groups, chunkSize: chunk) { worker, groupRange in
            let myCols = cols.map { $0.data + worker * rows * span }
            let myGradCols = gradCols.map { $0.data + worker * rows * span }
            let myGathered = gathered.map { $0.data + worker * f * span }
            let (myWeight, myBias) = (partials.weight(for: worker), partials.bias(for: worker))
            let parallel = workers == 1
            for groupIndex in groupRange {
                let first = groupIndex * group
                let count = min(group, n - first)
                let width = count * plane
                // ∂Y of the group as [F, count·P].
                let dyGroup: UnsafePointer<Float>
                if let myGathered {
                    for i in 0..<count {
                        for filter in 0..<f {
                            (myGathered + filter * width + i * plane)
                                .update(from: dy + ((first + i) * f + filter) * plane, count: plane)
                        }
                    }
                    dyGroup = UnsafePointer(myGathered)
                } else {
                    dyGroup = UnsafePointer(dy + first * f * plane)
                }
                if weightGradient {
                    let columns = groupColumns(x, g, first: first, count: count, into: myCols)
                    gemm(.none, .transposed, m: f, n: rows, k: width, a: dyGroup, b: columns,
                         beta: 1, c: myWeight, parallel: parallel, variant: variant)
                }
                if hasBias {
                    for filter in 0..<f { myBias[filter] += vectorSum(width, dyGroup + filter * width) }
                }
                if skip { continue }
                if let myGradCols {
                    gemm(.transposed, .none, m: rows, n: width, k: f, a: w, b: dyGroup, c: myGradCols, parallel: parallel, variant: variant)
                    for i in 0..<count {
                        let dxImage = dx + (first + i) * imageSize
                        dxImage.update(repeating: 0, count: imageSize)
                        col2imImage(myGradCols + i * plane, g, into: dxImage, rowLength: width)
                    }
                } else {
                    gemm(.transposed, .none, m: rows, n: plane, k: f, a: w, b: dyGroup,
                         c: dx + first * imageSize, parallel: parallel, variant: variant)
                }
            }
        }
        partials.addUp(bias: bias)
        return gradInput
    }

    // MARK: 3×3 "same" convolutions without im2col

    /// Whether this layer may run on the direct 3×3 kernels (`Conv3x3`) where they apply;
    /// `false` forces im2col + GEMM, which tests use as the reference.
    public var allowsDirectKernels = true

    /// The implementation of the direct kernels and of the GEMMs of the im2col path (see
    /// `GEMMKernel`): the fastest this CPU runs unless `PRUNELAB_KERNELS` says otherwise; tests
    /// and `bench --layers` set it to compare variants.
    public var kernelVariant = KernelVariant.preferred

    func usesDirectKernels(_ g: ConvGeometry) -> Bool {
        guard allowsDirectKernels && Conv3x3.supports(kernel: kernel, stride: stride, padding: padding) else { return false }
        // The filter-vectorised kernels store 16 filters of a pixel one by one; with fewer
        // than 8 input channels (a first layer on 28×28) that costs more than the arithmetic.
        return Conv3x3.vectorisesPixels(width: g.width) || inChannels >= 8
    }

    /// Whether backward runs on the direct kernels too. On small planes (8×8 and below) with
    /// many channels the weight gradient is a large GEMM (F × 9C × images·H·W) that OpenBLAS
    /// does faster; everywhere else the direct kernels win. The AVX-512 kernels win on more:
    /// on every 8×8 plane with an even height (two rows per register) and up to 4× the channel
    /// product elsewhere (`bench --layers` on VGG-11 at width 0.25 and VGG-19: at 4×4, 256 → 512
    /// channels ran at 260 GFLOP/s direct against 177 on GEMM, 512 → 512 at 156 against 169).
    func usesDirectBackward(_ g: ConvGeometry) -> Bool {
        guard usesDirectKernels(g) && (Conv3x3.vectorisesPixels(width: g.width) || outChannels >= 8) else { return false }
        if g.width > 8 { return true }
        switch kernelVariant {
        case .simd8:
            return inChannels * outChannels <= Self.directBackwardMaxChannelProduct
        case .avx512:
            return Conv3x3.avx512VectorisesPixels(width: g.width, height: g.height)
                || inChannels * outChannels <= 4 * Self.directBackwardMaxChannelProduct
        }
    }

    /// Largest C·F for which a 3×3 layer on a plane of width 8 or less takes its gradients
    /// from the 8-wide direct kernels rather than im2col + GEMM.
    public static let directBackwardMaxChannelProduct = 128 * 128

    /// Images handed to a core at a time by the direct kernels.
    private func imagesPerChunk(_ g: ConvGeometry) -> Int {
        groupsPerChunk(g, group: 1)
    }

    /// Inference's forms of the weight: the Winograd transform, and the direct kernels' packing
    /// (by its lanes).
    private let winogradWeightCache = DerivedWeightCache<Int, Tensor>()
    private let packedWeightCache = DerivedWeightCache<Int, Tensor>()

    /// Packs the weight for the direct kernels: as it is for forward, transposed and flipped
    /// for the input gradient; in blocks of 4 filters for the pixel-vectorised kernels, 16 for
    /// the filter-vectorised ones.
    private func packedWeight(width: Int, forInputGradient: Bool) -> Tensor {
        let (f, c) = (outChannels, inChannels)
        let lanes = Conv3x3.packingLanes(width: width)
        let outputs = forInputGradient ? c : f
        let packed = Tensor(uninitializedShape: [Conv3x3.packedCount(filters: outputs, channels: forInputGradient ? f : c, lanes: lanes)])
        Conv3x3.packWeights(weight.value.data, filters: f, channels: c, lanes: lanes,
                            transposedAndFlipped: forInputGradient, into: packed.data)
        return packed
    }

    /// One image's 3×3 "same" convolution on the kernel that suits its width.
    private func convolveDirect(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                packed: UnsafePointer<Float>, filters: Int, epilogue: Epilogue,
                                into output: UnsafeMutablePointer<Float>) {
        Conv3x3.convolve(padded: padded, channels: channels, height: height, width: width, packed: packed,
                         filters: filters, epilogue: epilogue, variant: kernelVariant, into: output)
    }

    /// Inference of this convolution followed by `batchNorm` (running statistics, if any) and,
    /// with `relu`, a ReLU, in one pass: the direct kernels apply the BatchNorm's scale and
    /// shift (or the bias) and the ReLU to each sum before storing it. Nil when this layer does
    /// not run on the direct kernels (the caller then runs the layers one by one). The result
    /// equals the layers run one by one up to rounding.
    public func forwardFused(_ input: Tensor, batchNorm: BatchNorm2d?, relu: Bool) -> Tensor? {
        let g = geometry(for: input.shape)
        guard !usesPlaneProduct(g), usesDirectKernels(g), batchNorm.map({ $0.channels == outChannels }) ?? true else {
            return nil
        }
        lastInputShape = input.shape
        self.input = nil
        let bias = self.bias?.value.values ?? [Float](repeating: 0, count: outChannels)
        guard let batchNorm else {
            return bias.withUnsafeBufferPointer { shift in
                forwardDirect(input, g, epilogue: Epilogue(shift: shift.baseAddress, relu: relu), training: false)
            }
        }
        var (scale, shift) = batchNorm.inferenceScaleAndShift()
        for f in 0..<outChannels { shift[f] += bias[f] * scale[f] }  // BN(conv + b) = conv·scale + (shift + b·scale)
        return scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                forwardDirect(input, g, epilogue: Epilogue(scale: scale.baseAddress, shift: shift.baseAddress, relu: relu),
                              training: false)
            }
        }
    }

    private func forwardDirect(_ input: Tensor, _ g: ConvGeometry, training: Bool) -> Tensor {
        if let bias {
            return forwardDirect(input, g, epilogue: Epilogue(shift: UnsafePointer(bias.value.data)), training: training)
        }
        return forwardDirect(input, g, epilogue: Epilogue(), training: training)
    }

    private func forwardDirect(_ input: Tensor, _ g: ConvGeometry, epilogue: Epilogue, training: Bool) -> Tensor {
        let (f, c, h, w, n) = (outChannels, g.channels, g.height, g.width, g.batch)
        let output = Tensor(uninitializedShape: [n, f, h, w])
        if algorithm(.forward, g) == .winograd {
            // In inference the weight stays as it is from call to call: transform it once.
            let transform = { Winograd.transformWeights(self.weight.value.data, filters: f, channels: c, forInputGradient: false) }
            let u = training ? transform() : winogradWeightCache.value(of: weight.value, settings: 0, transform)
            Winograd.convolve(input.data, images: n, channels: c, height: h, width: w, transformedWeights: u.data,
                              filters: f, epilogue: epilogue, into: output.data)
            return output
        }
        let pack = { self.packedWeight(width: w, forInputGradient: false) }
        let packed = training ? pack() : packedWeightCache.value(of: weight.value, settings: Conv3x3.packingLanes(width: w), pack)
        let chunk = imagesPerChunk(g)
        let paddedCount = Conv3x3.paddedCount(channels: c, height: h, width: w)
        let padded = Tensor(uninitializedShape: [chunkWorkers(n, chunkSize: chunk), paddedCount])
        let (x, y) = (input.data, output.data)
        parallelChunks(n, chunkSize: chunk) { worker, images in
            let myPadded = padded.data + worker * paddedCount
            for image in images {
                Conv3x3.pad(x + image * c * h * w, channels: c, height: h, width: w, into: myPadded)
                convolveDirect(padded: myPadded, channels: c, height: h, width: w, packed: packed.data,
                               filters: f, epilogue: epilogue, into: y + image * f * h * w)
            }
        }
        return output
    }

    /// Backward on the direct kernels: ∂b, and ∂W and ∂X unless told not to (Winograd computes them).
    private func backwardDirect(_ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry,
                                inputGradient: Bool = true, weightGradient: Bool = true) -> Tensor {
        let (f, c, h, w, n) = (outChannels, g.channels, g.height, g.width, g.batch)
        let plane = h * w
        let skip = skipsInputGradient || !inputGradient
        let variant = kernelVariant
        let byPixels = Conv3x3.vectorisesPixels(width: w)
        let gradInput = skip ? Tensor(shape: input.shape) : Tensor(uninitializedShape: input.shape)
        // The input gradient is the same convolution of ∂Y with Wᵀ, each kernel rotated by 180°.
        let packed = skip ? nil : packedWeight(width: w, forInputGradient: true)
        // Images whose ∂W contributions are summed in one pass (small planes: each ∂W entry is
        // then read and written once per group, not once per image).
        let group = max(1, min(n, 256 / plane))
        let groups = (n + group - 1) / group
        let chunk = max(1, imagesPerChunk(g) / group)
        let workers = chunkWorkers(groups, chunkSize: chunk)
        // Per core: the group's padded inputs, one padded ∂Y, and (filter-vectorised) the
        // group's ∂Y by pixel.
        let paddedInput = Conv3x3.paddedCount(channels: c, height: h, width: w)
        let paddedGrad = Conv3x3.paddedCount(channels: f, height: h, width: w)
        let lanes = Conv3x3.filterVectorLanes
        let gradByPixel = byPixels ? 0 : plane * ((f + lanes - 1) / lanes * lanes)
        let perWorker = group * paddedInput + paddedGrad + group * gradByPixel
        let scratch = Tensor(uninitializedShape: [workers, perWorker])
        let partials = PartialGradients(workers: workers, weight: weight, filters: f)
        let (x, dy, dx) = (input.data, gradOutput.data, gradInput.data)
        let hasBias = bias != nil
        parallelChunks(groups, chunkSize: chunk) { worker, groupRange in
            let myPaddedInputs = scratch.data + worker * perWorker
            let myPaddedGrad = myPaddedInputs + group * paddedInput
            let myGradByPixel = myPaddedGrad + paddedGrad
            let (myWeight, myBias) = (partials.weight(for: worker), partials.bias(for: worker))
            for groupIndex in groupRange {
                let first = groupIndex * group
                let count = min(group, n - first)
                let dyGroup = dy + first * f * plane
                if weightGradient {
                    for i in 0..<count {
                        Conv3x3.pad(x + (first + i) * c * plane, channels: c, height: h, width: w,
                                    into: myPaddedInputs + i * paddedInput)
                        if !byPixels {
                            Conv3x3.transposeByPixel(dyGroup + i * f * plane, filters: f, plane: plane,
                                                     into: myGradByPixel + i * gradByPixel)
                        }
                    }
                    Conv3x3.accumulateWeightGradient(padded: myPaddedInputs, channels: c, height: h, width: w, images: count,
                                                     gradOutput: dyGroup, gradOutputByPixel: myGradByPixel, filters: f,
                                                     variant: variant, into: myWeight)
                }
                if hasBias {
                    for filter in 0..<(count * f) { myBias[filter % f] += vectorSum(plane, dyGroup + filter * plane) }
                }
                guard let packed else { continue }
                for i in 0..<count {
                    Conv3x3.pad(dyGroup + i * f * plane, channels: f, height: h, width: w, into: myPaddedGrad)
                    convolveDirect(padded: myPaddedGrad, channels: f, height: h, width: w, packed: packed.data,
                                   filters: c, epilogue: Epilogue(), into: dx + (first + i) * c * plane)
                }
            }
        }
        partials.addUp(bias: bias)
        return gradInput
    }

    // MARK: 3×3 "same" convolutions by Winograd F(4×4, 3×3)

    /// The algorithm this layer's 3×3 "same" convolutions use for every pass, whatever the shape
    /// rule of `Conv3x3Algorithm.choose` says (nil: the rule decides). `PRUNELAB_CONV3X3` sets it
    /// for every layer; tests and `bench --algorithms` set it per layer.
    public var conv3x3Algorithm: Conv3x3Algorithm? = Conv3x3Algorithm.forced

    /// Winograd or the direct kernels for `pass`: only layers on the direct kernels (3×3, stride 1,
    /// padding 1, planes above 2×2) are candidates, and `Conv3x3Algorithm.choose` decides.
    func algorithm(_ pass: Conv3x3Algorithm.Pass, _ g: ConvGeometry) -> Conv3x3Algorithm {
        guard usesDirectKernels(g) && !usesPlaneProduct(g) else { return .direct }
        return Conv3x3Algorithm.choose(pass, channels: inChannels, filters: outChannels, height: g.height, width: g.width,
                                       variant: kernelVariant, forced: conv3x3Algorithm)
    }

    /// Backward with Winograd for ∂X (`inputGradient`: ∂Y convolved with the weight rotated by
    /// 180° and transposed, as on the direct kernels) and/or ∂W; what Winograd does not compute
    /// (and ∂b) runs on the path the layer takes otherwise.
    private func backwardWinograd(_ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry,
                                  inputGradient: Bool, weightGradient: Bool) -> Tensor {
        let (f, c, h, w, n) = (outChannels, g.channels, g.height, g.width, g.batch)
        let (x, dy) = (input.data, gradOutput.data)
        let gradInput: Tensor
        if (!inputGradient && !skipsInputGradient) || !weightGradient {
            gradInput = usesDirectBackward(g)
                ? backwardDirect(input, gradOutput, g, inputGradient: !inputGradient, weightGradient: !weightGradient)
                : backwardIm2col(input, gradOutput, g, inputGradient: !inputGradient, weightGradient: !weightGradient)
        } else {
            gradInput = skipsInputGradient ? Tensor(shape: input.shape) : Tensor(uninitializedShape: input.shape)
            if let bias {
                let db = bias.grad.data
                for index in 0..<(n * f) { db[index % f] += vectorSum(h * w, dy + index * h * w) }
            }
        }
        if weightGradient {
            Winograd.accumulateWeightGradient(x, gradOutput: dy, images: n, channels: c, height: h, width: w, filters: f,
                                              into: weight.grad.data)
        }
        if inputGradient {
            let u = Winograd.transformWeights(weight.value.data, filters: f, channels: c, forInputGradient: true)
            Winograd.convolve(dy, images: n, channels: f, height: h, width: w, transformedWeights: u.data, filters: c,
                              into: gradInput.data)
        }
        return gradInput
    }

    // MARK: 3×3 convolutions on planes of 2×2 and smaller, as one product

    /// Whether this layer runs as one dense product over the batch: a 3×3 "same" convolution
    /// (stride 1, padding 1) on a plane of at most 2×2 pixels, such as VGG's last stage on
    /// 32×32 inputs. There every pixel of the plane is within one step of every output pixel, so
    /// the layer is the linear map X[N, C·P] → Y[N, F·P] (P = H·W) with the matrix
    /// M[f·P + p, c·P + q] = W[f, c, 1 + q_y − p_y, 1 + q_x − p_x]: 16·C·F multiply-adds per
    /// 2×2 image where the direct kernels compute 36·C·F, 20 of them on padding.
    func usesPlaneProduct(_ g: ConvGeometry) -> Bool {
        allowsDirectKernels && kernel == 3 && stride == 1 && padding == 1 && g.height <= 2 && g.width <= 2
    }

    /// M of `usesPlaneProduct` for this weight, kept from a training forward for backward.
    private var planeMatrixFromForward: Tensor?

    private func planeMatrix(_ g: ConvGeometry) -> Tensor {
        let matrix = Tensor(uninitializedShape: [outChannels * g.height * g.width, inChannels * g.height * g.width])
        mapPlaneMatrix(g, matrix: matrix.data, weights: weight.value.data, toMatrix: true)
        return matrix
    }

    /// Copies the weight's taps into M (`toMatrix`), or adds M's entries back onto the taps they
    /// were copied from (backward's ∂M onto ∂W); filters shared out over the cores.
    private func mapPlaneMatrix(_ g: ConvGeometry, matrix: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>,
                                toMatrix: Bool) {
        let (f, c, plane) = (outChannels, inChannels, g.height * g.width)
        let taps = planeTaps(g)
        let row = c * plane
        parallelChunks(f, chunkSize: max(1, f / (2 * parallelWorkers))) { _, filters in
            for filter in filters {
                for channel in 0..<c {
                    let kernel = weights + (filter * c + channel) * 9
                    for p in 0..<plane {
                        let entries = matrix + (filter * plane + p) * row + channel * plane
                        for q in 0..<plane {
                            if toMatrix { entries[q] = kernel[taps[p * plane + q]] } else { kernel[taps[p * plane + q]] += entries[q] }
                        }
                    }
                }
            }
        }
    }

    /// The weight tap that links output pixel p to input pixel q of the plane: taps[p·P + q].
    private func planeTaps(_ g: ConvGeometry) -> [Int] {
        let (plane, w) = (g.height * g.width, g.width)
        return (0..<(plane * plane)).map { index in
            let (p, q) = (index / plane, index % plane)
            return (1 + q / w - p / w) * 3 + 1 + q % w - p % w
        }
    }

    private func forwardPlaneProduct(_ input: Tensor, _ g: ConvGeometry, training: Bool) -> Tensor {
        let (f, c, n, plane) = (outChannels, inChannels, g.batch, g.height * g.width)
        let matrix = planeMatrix(g)
        planeMatrixFromForward = training ? matrix : nil
        let output = Tensor(uninitializedShape: [n, f, g.height, g.width])
        if let bias {
            let b = bias.value.data
            for index in 0..<(n * f) { (output.data + index * plane).update(repeating: b[index % f], count: plane) }
        }
        // Y[N, F·P] = X[N, C·P] · Mᵀ
        gemm(.none, .transposed, m: n, n: f * plane, k: c * plane, a: input.data, b: matrix.data,
             beta: bias == nil ? 0 : 1, c: output.data, variant: kernelVariant)
        return output
    }

    private func backwardPlaneProduct(_ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry) -> Tensor {
        let (f, c, n, plane) = (outChannels, inChannels, g.batch, g.height * g.width)
        let matrix = planeMatrixFromForward ?? planeMatrix(g)
        planeMatrixFromForward = nil
        let (x, dy) = (input.data, gradOutput.data)
        // ∂M[F·P, C·P] = ∂Yᵀ · X, then each entry goes back to the weight tap it was copied from.
        let gradMatrix = Tensor(uninitializedShape: [f * plane, c * plane])
        gemm(.transposed, .none, m: f * plane, n: c * plane, k: n, a: dy, b: x, c: gradMatrix.data, variant: kernelVariant)
        mapPlaneMatrix(g, matrix: gradMatrix.data, weights: weight.grad.data, toMatrix: false)
        if let bias {
            let db = bias.grad.data
            for index in 0..<(n * f) { db[index % f] += vectorSum(plane, dy + index * plane) }
        }
        guard !skipsInputGradient else { return Tensor(shape: input.shape) }
        // ∂X[N, C·P] = ∂Y[N, F·P] · M
        let gradInput = Tensor(uninitializedShape: input.shape)
        gemm(.none, .none, m: n, n: c * plane, k: f * plane, a: dy, b: matrix.data, c: gradInput.data, variant: kernelVariant)
        return gradInput
    }

    // MARK: 1×1 convolutions without packing

    /// Whether this layer runs on the direct 1×1 kernels (`Conv1x1`): a 1×1 convolution without
    /// padding (any stride) on the AVX-512 variant, with at most `direct1x1MaxChannels` input
    /// and output channels (the narrow layers whose GEMMs spend as long packing as multiplying).
    /// Elsewhere, and on `.simd8`, im2col + GEMM as before.
    func usesDirect1x1(_ g: ConvGeometry) -> Bool {
        allowsDirectKernels && kernel == 1 && padding == 0 && Conv1x1.supports(kernelVariant)
            && inChannels <= Self.direct1x1MaxChannels && outChannels <= Self.direct1x1MaxChannels
    }

    /// Widest 1×1 layer (input or output channels) that runs on the direct 1×1 kernels.
    public static let direct1x1MaxChannels = 256

    /// Images whose ∂W sums one call of the 1×1 weight-gradient kernel keeps in its registers:
    /// as many as keep the group's inputs and ∂Y within about 256 KiB (L2), so each sum is
    /// reduced across its lanes once per group rather than once per image.
    private func imagesPerWeightGradientCall(_ g: ConvGeometry) -> Int {
        max(1, min(g.batch, 65_536 / max(1, (inChannels + outChannels) * g.outPlane)))
    }

    /// `forward(input, training:)` + `residual` (a residual block's shortcut, shaped as the
    /// output), equal to `residualSum` of the two up to rounding: on the direct 1×1 kernels the
    /// sums start from the residual, so the addition costs no pass of its own.
    public func forward(_ input: Tensor, training: Bool, adding residual: Tensor) -> Tensor {
        let g = geometry(for: input.shape)
        precondition(residual.shape == [g.batch, outChannels, g.outHeight, g.outWidth],
                     "cannot add \(residual.shape) to the output of \(summary) on \(input.shape)")
        guard usesDirect1x1(g) else { return residualSum(forward(input, training: training), residual) }
        lastInputShape = input.shape
        self.input = training ? input : nil
        return forward1x1(input, g, adding: residual)
    }

    private func forward1x1(_ input: Tensor, _ g: ConvGeometry, adding residual: Tensor? = nil) -> Tensor {
        let (f, c, n, plane) = (outChannels, g.channels, g.batch, g.outPlane)
        let output = Tensor(uninitializedShape: [n, f, g.outHeight, g.outWidth])
        let chunk = imagesPerChunk(g)
        let strided = stride != 1
        let compact = strided ? Tensor(uninitializedShape: [chunkWorkers(n, chunkSize: chunk), c * plane]) : nil
        let (x, y, w, b) = (input.data, output.data, weight.value.data, bias.map { UnsafePointer($0.value.data) })
        let r = residual.map { UnsafePointer($0.data) }
        let imageSize = c * g.height * g.width
        let (h, width, s) = (g.height, g.width, stride)
        parallelChunks(n, chunkSize: chunk) { worker, images in
            if let compact {
                let buffer = compact.data + worker * c * plane
                for image in images {
                    Conv1x1.subsample(x + image * imageSize, images: 1, channels: c, height: h, width: width,
                                      stride: s, into: buffer)
                    Conv1x1.forward(buffer, channels: c, plane: plane, images: 1, weight: w, filters: f, bias: b,
                                    adding: r.map { $0 + image * f * plane }, into: y + image * f * plane)
                }
            } else {
                Conv1x1.forward(x + images.lowerBound * imageSize, channels: c, plane: plane, images: images.count,
                                weight: w, filters: f, bias: b, adding: r.map { $0 + images.lowerBound * f * plane },
                                into: y + images.lowerBound * f * plane)
            }
        }
        return output
    }

    private func backward1x1(_ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry) -> Tensor {
        let (f, c, n, plane) = (outChannels, g.channels, g.batch, g.outPlane)
        let skip = skipsInputGradient
        let strided = stride != 1
        let gradInput = skip ? Tensor(shape: input.shape) : Tensor(uninitializedShape: input.shape)
        let group = imagesPerWeightGradientCall(g)
        let groups = (n + group - 1) / group
        let chunk = max(1, imagesPerChunk(g) / group)
        let workers = chunkWorkers(groups, chunkSize: chunk)
        // Per core, with a stride: the group's subsampled inputs and one compact ∂X.
        let perWorker = strided ? group * c * plane + c * plane : 0
        let scratch = strided ? Tensor(uninitializedShape: [workers, perWorker]) : nil
        let partials = PartialGradients(workers: workers, weight: weight, filters: f)
        let (x, dy, dx, w) = (input.data, gradOutput.data, gradInput.data, weight.value.data)
        let imageSize = c * g.height * g.width
        let (h, width, s) = (g.height, g.width, stride)
        let hasBias = bias != nil
        parallelChunks(groups, chunkSize: chunk) { worker, groupRange in
            let (myWeight, myBias) = (partials.weight(for: worker), partials.bias(for: worker))
            let myScratch = scratch.map { $0.data + worker * perWorker }
            for groupIndex in groupRange {
                let first = groupIndex * group
                let count = min(group, n - first)
                let dyGroup = dy + first * f * plane
                var columns = UnsafePointer(x + first * imageSize)
                if let myScratch {
                    Conv1x1.subsample(columns, images: count, channels: c, height: h, width: width, stride: s,
                                      into: myScratch)
                    columns = UnsafePointer(myScratch)
                }
                Conv1x1.accumulateWeightGradient(columns, channels: c, plane: plane, images: count,
                                                 gradOutput: dyGroup, filters: f, into: myWeight)
                if hasBias {
                    for filter in 0..<(count * f) { myBias[filter % f] += vectorSum(plane, dyGroup + filter * plane) }
                }
                if skip { continue }
                if let myScratch {
                    let compact = myScratch + group * c * plane
                    for i in 0..<count {
                        Conv1x1.inputGradient(dyGroup + i * f * plane, filters: f, plane: plane, images: 1, weight: w,
                                              channels: c, into: compact)
                        Conv1x1.scatter(compact, images: 1, channels: c, height: h, width: width, stride: s,
                                        into: dx + (first + i) * imageSize)
                    }
                } else {
                    Conv1x1.inputGradient(dyGroup, filters: f, plane: plane, images: count, weight: w, channels: c,
                                          into: dx + first * imageSize)
                }
            }
        }
        partials.addUp(bias: bias)
        return gradInput
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [g.batch, outChannels, g.outHeight, g.outWidth]
    }
}

/// The per-core partial ∂W and ∂b of one backward pass. Core 0 adds straight into the weight's
/// gradient, the others into their own buffers; `addUp` then adds those in worker order, so
/// the same seed gives bit-identical gradients on every run.
private struct PartialGradients {
    let weightGradient: UnsafeMutablePointer<Float>
    let weightCount: Int
    let workers: Int
    /// ∂W of cores 1, 2, … (nil on one core) and ∂b of every core.
    let otherWeights: Tensor?
    let biases: Tensor

    init(workers: Int, weight: Parameter, filters: Int) {
        self.workers = workers
        weightGradient = weight.grad.data
        weightCount = weight.grad.count
        otherWeights = workers > 1 ? Tensor(shape: [workers - 1, weightCount]) : nil
        biases = Tensor(shape: [workers, filters])
    }

    func weight(for worker: Int) -> UnsafeMutablePointer<Float> {
        worker == 0 ? weightGradient : otherWeights!.data + (worker - 1) * weightCount
    }

    func bias(for worker: Int) -> UnsafeMutablePointer<Float> {
        biases.data + worker * biases.shape[1]
    }

    /// Adds the other cores' ∂W into the weight's gradient and every core's ∂b into `bias`.
    func addUp(bias: Parameter?) {
        if let otherWeights {
            for worker in 0..<(workers - 1) {
                axpy(weightCount, alpha: 1, otherWeights.data + worker * weightCount, weightGradient)
            }
        }
        if let bias {
            for worker in 0..<workers { axpy(biases.shape[1], alpha: 1, self.bias(for: worker), bias.grad.data) }
        }
    }
}
