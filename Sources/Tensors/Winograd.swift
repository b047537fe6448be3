import Foundation
import KernelsAVX512

/// How a 3×3 "same" convolution (stride 1, padding 1) computes one of its three passes.
public enum Conv3x3Algorithm: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The direct kernels of `Conv3x3` (or whatever path the layer took before Winograd).
    case direct
    /// Winograd F(4×4, 3×3) (`Winograd`, AVX-512 only).
    case winograd

    public var description: String { rawValue }

    /// The pass of a layer that an algorithm is chosen for.
    public enum Pass: String, Sendable {
        case forward, inputGradient, weightGradient
    }

    /// The algorithm `PRUNELAB_CONV3X3` forces for every pass (nil: `choose` decides by shape).
    public static let forced: Conv3x3Algorithm? = (try? requested()) ?? nil

    /// The algorithm `PRUNELAB_CONV3X3` names (nil when it is unset or empty).
    public static func requested(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(Conv3x3AlgorithmError) -> Conv3x3Algorithm? {
        guard let name = environment["PRUNELAB_CONV3X3"], !name.isEmpty else { return nil }
        guard let algorithm = Conv3x3Algorithm(rawValue: name) else { throw Conv3x3AlgorithmError(requested: name) }
        return algorithm
    }

    /// Throws the one-sentence error when `PRUNELAB_CONV3X3` names no algorithm.
    public static func checkEnvironment() throws(Conv3x3AlgorithmError) {
        _ = try requested()
    }

    /// The one place that decides: Winograd or not for `pass` of a 3×3 "same" layer with
    /// `channels` inputs and `filters` outputs on H×W planes. Winograd runs only on the AVX-512
    /// variant (its kernels are AVX-512 C) and on planes of at least 4×4 (on 2×2 the layer is one
    /// product, `Conv2d.usesPlaneProduct`). Its tile transforms cost per channel what its products
    /// save per pair of channels, so it needs enough channels on both sides: at least 32 for the
    /// forward pass and the input gradient, at least 16 and 32 for the weight gradient (whose
    /// direct kernels are slower). Measured at one thread against the direct kernels (docs/speed.md):
    /// 16 → 16 on 32×32 lost (0.67× forward, 0.55× input gradient, 0.88× weight gradient), 16 → 32
    /// on 16×16 was even forward (1.05×), lost on its input gradient (0.69×: 32 → 16) and won on its
    /// weight gradient (1.30×); 32 → 32 on 16×16 won on all three (1.19–1.52×), wider layers by
    /// 1.3–3×. The 3-channel first layer stays direct (0.2–0.45×). `forced` (`PRUNELAB_CONV3X3`)
    /// overrides the shape rule, not the variant.
    public static func choose(_ pass: Pass, channels: Int, filters: Int, height: Int, width: Int,
                              variant: KernelVariant, forced: Conv3x3Algorithm? = Conv3x3Algorithm.forced) -> Conv3x3Algorithm {
        guard variant == .avx512, Winograd.fitsIndices(channels: channels, filters: filters, height: height, width: width)
        else { return .direct }
        if let forced { return forced }
        guard height >= 4 && width >= 4 else { return .direct }
        let (narrow, wide) = (min(channels, filters), max(channels, filters))
        switch pass {
        case .forward, .inputGradient:
            return narrow >= 32 ? .winograd : .direct
        case .weightGradient:
            return narrow >= 16 && wide >= 32 ? .winograd : .direct
        }
    }
}

/// `PRUNELAB_CONV3X3` names no algorithm.
public struct Conv3x3AlgorithmError: Error, CustomStringConvertible {
    public let requested: String

    public var description: String {
        "PRUNELAB_CONV3X3=\(requested) is not a 3×3 convolution algorithm; set it to "
            + Conv3x3Algorithm.allCases.map(\.rawValue).joined(separator: " or ") + ", or unset it to choose by layer shape."
    }
}

/// Winograd F(4×4, 3×3) for 3×3 convolutions with stride 1 and padding 1 (Lavin & Gray 2015):
/// each 4×4 block of outputs takes 36 multiplications per (filter, channel) instead of 144. The
/// transforms are the AVX-512 C functions `prunelab_winograd4_*` (`KernelsAVX512/WinogradAVX512.c`);
/// the 36 products of each chunk of tiles run on the AVX-512 sgemm with the channels as its
/// dimensions: M[ξ] (F × T) = U[ξ] (F × C) · V[ξ] (C × T), U stored transposed (C × F), which the
/// GEMM packs with plain loads (stored F × C it took 16 × 16 transposes: 10 % of a VGG-19 step).
///
/// The batch's tiles (numbered image by image) are cut into chunks of `ChunkPlan.tiles` tiles, so
/// a chunk's transformed tiles stay small enough to be read back from cache. With enough chunks,
/// each core runs whole chunks; otherwise (VGG's 4×4 layers have one or two chunks per batch) the
/// cores share each chunk's transforms by tiles and its products by position ξ. Chunks go to the
/// cores in a fixed order, so results are the same from run to run; the forward pass and the
/// input gradient also do not depend on the thread count (each output is summed in the same
/// order either way), the weight gradient does, as the direct kernels' does: with whole chunks
/// per core, each core sums its own ∂U and they are added in core order.
public enum Winograd {
    /// The 6×6 positions of a transformed tile.
    public static let positions = 36

    /// 4×4 output tiles of an H×W plane.
    public static func tiles(height: Int, width: Int) -> Int { (height + 3) / 4 * ((width + 3) / 4) }

    /// Largest chunk of tiles (the products' n).
    static let maximumChunkTiles = 256

    /// Whether the C kernels' 32-bit gather offsets reach every input of a chunk (at most
    /// `maximumChunkTiles` tiles, so at most that many images and one more).
    static func fitsIndices(channels: Int, filters: Int, height: Int, width: Int) -> Bool {
        let images = min(maximumChunkTiles, maximumChunkTiles / tiles(height: height, width: width) + 2)
        return images * max(channels, filters) * height * width < Int(Int32.max) && filters * channels * 9 < Int(Int32.max)
    }

    /// How a batch's tiles are cut into chunks and shared out over the cores.
    struct ChunkPlan {
        let tilesPerImage, total, tiles, chunks: Int
        /// Each core runs whole chunks (else the cores share each chunk).
        let outer: Bool
        let workers: Int

        init(images: Int, height: Int, width: Int, channels: Int, filters: Int) {
            tilesPerImage = Winograd.tiles(height: height, width: width)
            total = images * tilesPerImage
            tiles = min(total, Self.chunkTiles(channels: channels, filters: filters))
            chunks = (total + tiles - 1) / tiles
            outer = chunks >= 2 * parallelWorkers
            workers = outer ? chunkWorkers(chunks, chunkSize: 1) : 1
        }

        /// Tiles per chunk. Narrow layers (C + F ≤ 256): 32, so the chunk's V and M (36 · (C + F) · 32
        /// floats, at most 1.2 MB) are read back from L2. Wider ones cannot keep even 16 tiles there;
        /// they take 128, so each product has a wider n and each U[ξ] is packed for more columns.
        /// Measured on VGG-19's layers (docs/speed.md): 32 tiles against 256 gave 64 → 64 on 32×32
        /// 1.29× against 1.14× over the direct kernels forward, 128 against 32 gave 512 → 512 on
        /// 4×4 2.23× against 2.08×.
        static func chunkTiles(channels: Int, filters: Int) -> Int {
            channels + filters <= 256 ? 32 : 128
        }

        /// Chunk k: the image its tiles are numbered from, its first tile in that numbering, its tile count.
        func chunk(_ k: Int) -> (image: Int, first: Int, count: Int) {
            let start = k * tiles
            let image = start / tilesPerImage
            return (image, start - image * tilesPerImage, min(tiles, total - start))
        }
    }

    /// U[36][ins][outs] for a layer's weight W[F][C][3][3]: as it is for the forward pass (outs F,
    /// ins C), or rotated by 180° with filters and channels swapped for the input gradient.
    public static func transformWeights(_ weight: UnsafePointer<Float>, filters: Int, channels: Int,
                                        forInputGradient: Bool) -> Tensor {
        let kernels = filters * channels
        let u = Tensor(uninitializedShape: [positions, kernels])
        let groups = (kernels + 15) / 16
        parallelFor(groups, minimumPerWorker: 64) { range in
            let first = range.lowerBound * 16, end = min(kernels, range.upperBound * 16)
            prunelab_winograd4_weights(weight, filters, channels, forInputGradient ? 1 : 0, first, end - first, u.data)
        }
        return u
    }

    /// y = epilogue(3×3 "same" convolution of `images` C×H×W images at x), F×H×W each, from weights
    /// transformed by `transformWeights` (for `filters` outputs over `channels` inputs).
    public static func convolve(_ x: UnsafePointer<Float>, images: Int, channels: Int, height: Int, width: Int,
                                transformedWeights u: UnsafePointer<Float>, filters: Int, epilogue: Epilogue = Epilogue(),
                                into y: UnsafeMutablePointer<Float>) {
        let (c, f, plane) = (channels, filters, height * width)
        let plan = ChunkPlan(images: images, height: height, width: width, channels: c, filters: f)
        let scratchFloats = positions * plan.tiles * (c + f)
        let scratch = Tensor(uninitializedShape: [plan.workers, scratchFloats])
        let (scale, shift, relu) = (epilogue.scale, epilogue.shift, Int32(epilogue.relu ? 1 : 0))
        func run(chunk: Int, scratch: UnsafeMutablePointer<Float>, parallel: Bool) {
            let (image, first, t) = plan.chunk(chunk)
            let (v, m) = (scratch, scratch + positions * c * t)
            let (xChunk, yChunk) = (x + image * c * plane, y + image * f * plane)
            forTiles(t, parallel: parallel) { start, n in
                prunelab_winograd4_input(xChunk, c, height, width, first + start, n, t, v + start)
            }
            forPositions(parallel: parallel) { xi in
                gemm(.transposed, .none, m: f, n: t, k: c, a: u + xi * f * c, b: v + xi * c * t, c: m + xi * f * t,
                     parallel: false, variant: .avx512)
            }
            forTiles(t, parallel: parallel) { start, n in
                prunelab_winograd4_output(m + start, f, height, width, first + start, n, t, scale, shift, relu, yChunk)
            }
        }
        if plan.outer {
            parallelChunks(plan.chunks, chunkSize: 1) { worker, range in
                for chunk in range { run(chunk: chunk, scratch: scratch.data + worker * scratchFloats, parallel: false) }
            }
        } else {
            for chunk in 0..<plan.chunks { run(chunk: chunk, scratch: scratch.data, parallel: true) }
        }
    }

    /// ∂W[F][C][3][3] += the weight gradient of a 3×3 "same" convolution over `images` C×H×W
    /// images at x and their F×H×W output gradients at dy, through ∂U[ξ] = Σ_t (A ∂Y Aᵀ)[ξ] ⊙
    /// (Bᵀ X B)[ξ] (one product per position, summed over the batch) and ∂W += Gᵀ ∂U G.
    public static func accumulateWeightGradient(_ x: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>,
                                                images: Int, channels: Int, height: Int, width: Int, filters: Int,
                                                into gradWeight: UnsafeMutablePointer<Float>) {
        let (c, f, plane) = (channels, filters, height * width)
        let plan = ChunkPlan(images: images, height: height, width: width, channels: c, filters: f)
        let kernels = f * c
        // Per core: the chunk's V and ∂M̃, and its own ∂U (summed in worker order at the end), which
        // its first chunk overwrites (beta 0) and the others add to.
        let scratchFloats = positions * plan.tiles * (c + f)
        let scratch = Tensor(uninitializedShape: [plan.workers, scratchFloats])
        let gradU = Tensor(uninitializedShape: [plan.workers, positions * kernels])
        func run(chunk: Int, scratch: UnsafeMutablePointer<Float>, gradU: UnsafeMutablePointer<Float>, first isFirst: Bool,
                 parallel: Bool) {
            let (image, first, t) = plan.chunk(chunk)
            let (v, dm) = (scratch, scratch + positions * c * t)
            let (xChunk, dyChunk) = (x + image * c * plane, dy + image * f * plane)
            forTiles(t, parallel: parallel) { start, n in
                prunelab_winograd4_input(xChunk, c, height, width, first + start, n, t, v + start)
                prunelab_winograd4_grad_output(dyChunk, f, height, width, first + start, n, t, dm + start)
            }
            forPositions(parallel: parallel) { xi in
                gemm(.none, .transposed, m: f, n: c, k: t, a: dm + xi * f * t, b: v + xi * c * t,
                     beta: isFirst ? 0 : 1, c: gradU + xi * kernels, parallel: false, variant: .avx512)
            }
        }
        if plan.outer {
            parallelChunks(plan.chunks, chunkSize: 1) { worker, range in
                for chunk in range {  // worker w runs chunks w, w + workers, …
                    run(chunk: chunk, scratch: scratch.data + worker * scratchFloats,
                        gradU: gradU.data + worker * positions * kernels, first: chunk < plan.workers, parallel: false)
                }
            }
            for worker in 1..<plan.workers {
                axpy(positions * kernels, alpha: 1, gradU.data + worker * positions * kernels, gradU.data)
            }
        } else {
            for chunk in 0..<plan.chunks {
                run(chunk: chunk, scratch: scratch.data, gradU: gradU.data, first: chunk == 0, parallel: true)
            }
        }
        let groups = (kernels + 15) / 16
        parallelFor(groups, minimumPerWorker: 64) { range in
            let first = range.lowerBound * 16, end = min(kernels, range.upperBound * 16)
            prunelab_winograd4_add_weight_gradient(gradU.data, f, c, first, end - first, gradWeight)
        }
    }

    /// `body(first, count)` over tiles 0..<t in runs of whole groups of 16 (one run per core when `parallel`).
    private static func forTiles(_ t: Int, parallel: Bool, _ body: (Int, Int) -> Void) {
        let groups = (t + 15) / 16
        guard parallel else { body(0, t); return }
        parallelFor(groups) { range in
            let first = range.lowerBound * 16
            body(first, min(t, range.upperBound * 16) - first)
        }
    }

    /// `body(ξ)` for the 36 positions (shared out over the cores when `parallel`).
    private static func forPositions(parallel: Bool, _ body: (Int) -> Void) {
        guard parallel else { for xi in 0..<positions { body(xi) }; return }
        parallelFor(positions) { range in for xi in range { body(xi) } }
    }
}
