import CBLAS
import KernelsAVX512

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// C = alpha · op(A) · op(B) + beta · C, all row-major: on the AVX-512 kernel of `KernelsAVX512`
/// where the CPU has it (`KernelVariant.avx512`), else through OpenBLAS's `cblas_sgemm`.
///
/// `op(A)` is m×k and `op(B)` is k×n. A is stored m×k (or k×m when transposed), B k×n
/// (or n×k). Leading dimensions are the stored row lengths unless given. `parallel: false`
/// keeps the product on the calling thread (for callers that already run one product per core).
/// `variant` forces an implementation (tests, `bench --gemm`); nil takes `GEMMKernel.choose`'s.
@inline(__always)
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int? = nil,
    b: UnsafePointer<Float>, ldb: Int? = nil,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int? = nil,
    parallel: Bool = true,
    variant: KernelVariant? = nil
) {
    if m == 0 || n == 0 { return }
    if k == 0 {  // op(A)·op(B) is zero: C = beta·C, touching only the m×n block (rows ldc apart).
        let rowStride = ldc ?? n
        for row in 0..<m {
            let r = c + row * rowStride
            for j in 0..<n { r[j] = beta == 0 ? 0 : beta * r[j] }
        }
        return
    }
    let lda = lda ?? (transA == .none ? k : m)
    let ldb = ldb ?? (transB == .none ? n : k)
    let ldc = ldc ?? n
    // A product the caller runs alone (parallel) uses OpenBLAS's own threads, which partition
    // it well and wait for the next product spinning, so a chain of small products (an MLP)
    // pays no wake-up per product; a product inside one of our per-core work items runs on
    // that core alone, or the two levels of threads would fight over two cores. A product with
    // a small output (a classifier's 128×10) stays on one core too: splitting it gains little,
    // and the spinning helper would slow the convolutions that follow (measured on small-cnn).
    let threads = parallel && 2 * m * n * k >= 4_000_000 && m * n >= 8192 ? parallelWorkers : 1
    if GEMMKernel.choose(variant, m: m, n: n, k: k) == .avx512 {
        gemmAVX512(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: c, ldc: ldc, threads: threads)
        return
    }
    if threads != blasThreads {
        openblas_set_num_threads(Int32(threads))
        blasThreads = threads
    }
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The implementation that runs a product; `choose` is the one place that decides.
public enum GEMMKernel: Sendable {
    /// OpenBLAS's `cblas_sgemm` (AVX2 kernels where `OPENBLAS_CORETYPE=Haswell`).
    case openBLAS
    /// `prunelab_avx512_sgemm`: packed panels, 12 × 32 register tiles, for CPUs with AVX-512.
    case avx512

    /// The kernel for an m×n×k product: `variant` when given (`.simd8` is OpenBLAS), else
    /// AVX-512 when `KernelVariant.preferred` is `.avx512`.
    @inline(__always)
    public static func choose(_ variant: KernelVariant?, m: Int, n: Int, k: Int) -> GEMMKernel {
        (variant ?? KernelVariant.preferred) == .avx512 ? .avx512 : .openBLAS
    }
}

/// The AVX-512 product on `threads` cores: C cut into `threads` blocks along its longer side, one
/// block per core (each packs its own panels): of whole 12-row tiles, or of whole 16-column half
/// panels (the 12 × 16 kernel runs a lone half panel), so the cores' shares differ by at most half
/// a panel: the MLP's 200 columns split 112 | 88, not 128 | 72 as in whole 32-column panels.
func gemmAVX512(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
) {
    let (ta, tb): (Int32, Int32) = (transA == .none ? 0 : 1, transB == .none ? 0 : 1)
    let byColumns = n >= m
    let tile = byColumns ? 16 : 12, length = byColumns ? n : m
    let block = ((length + threads - 1) / threads + tile - 1) / tile * tile
    let parts = threads <= 1 ? 1 : (length + block - 1) / block
    if parts <= 1 {
        prunelab_avx512_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    parallelFor(parts) { range in
        for part in range {
            let start = part * block, size = min(block, length - start)
            if byColumns {
                prunelab_avx512_sgemm(ta, tb, m, size, k, alpha, a, lda, transB == .none ? b + start : b + start * ldb,
                                      ldb, beta, c + start, ldc)
            } else {
                prunelab_avx512_sgemm(ta, tb, size, n, k, alpha, transA == .none ? a + start * lda : a + start, lda,
                                      b, ldb, beta, c + start * ldc, ldc)
            }
        }
    }
}

/// The thread count OpenBLAS was last set to (see `gemm`); 0 before the first product.
/// Products inside per-core work items all set 1, so their unsynchronised writes agree.
nonisolated(unsafe) private var blasThreads = 0

/// Matrix product of two 2-D tensors with optional transposes: op(a) · op(b).
public func matmul(_ a: Tensor, _ b: Tensor, transA: Transpose = .none, transB: Transpose = .none) -> Tensor {
    precondition(a.shape.count == 2 && b.shape.count == 2, "matmul needs 2-D tensors")
    let (m, ka) = transA == .none ? (a.shape[0], a.shape[1]) : (a.shape[1], a.shape[0])
    let (kb, n) = transB == .none ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
    precondition(ka == kb, "matmul: inner dimensions \(ka) and \(kb) differ")
    let c = Tensor(shape: [m, n])
    gemm(transA, transB, m: m, n: n, k: ka, a: a.data, b: b.data, c: c.data)
    return c
}

/// Sets how many cores one GEMM and the element-wise kernels use.
public func setBLASThreads(_ count: Int) {
    parallelWorkers = max(1, count)
}
