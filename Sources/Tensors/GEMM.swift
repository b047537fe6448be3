import CBLAS
import Dispatch

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// C = alpha · op(A) · op(B) + beta · C, all row-major, through OpenBLAS's `cblas_sgemm`.
///
/// `op(A)` is m×k and `op(B)` is k×n. A is stored m×k (or k×m when transposed), B k×n
/// (or n×k). Leading dimensions are the stored row lengths unless given. `parallel: false`
/// keeps the product on the calling thread (for callers that already run one product per core).
@inline(__always)
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int? = nil,
    b: UnsafePointer<Float>, ldb: Int? = nil,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int? = nil,
    parallel: Bool = true
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
    _ = blasThreadsPinned
    // OpenBLAS's own threads spin while our element-wise kernels run, stealing the other
    // core; so BLAS runs single-threaded and large products are split here instead:
    // the longer of m and n is cut into one contiguous panel per core.
    let workers = (parallel && 2 * m * n * k >= 4_000_000) ? parallelWorkers : 1
    if workers <= 1 {
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        return
    }
    let shared = UncheckedSendable((a, b, c))
    let splitRows = m >= n
    let total = splitRows ? m : n
    let chunk = (total + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let (a, b, c) = shared.value
        let start = w * chunk, count = min(total, start + chunk) - start
        guard count > 0 else { return }
        if splitRows {  // rows start..<start+count of op(A) and C
            let aPanel = transA == .none ? a + start * lda : a + start
            cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(count), Int32(n), Int32(k), alpha,
                        aPanel, Int32(lda), b, Int32(ldb), beta, c + start * ldc, Int32(ldc))
        } else {        // columns start..<start+count of op(B) and C
            let bPanel = transB == .none ? b + start : b + start * ldb
            cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(count), Int32(k), alpha,
                        a, Int32(lda), bPanel, Int32(ldb), beta, c + start, Int32(ldc))
        }
    }
}

/// Pins OpenBLAS to one thread once, before the first product (see `gemm`).
private let blasThreadsPinned: Void = openblas_set_num_threads(1)

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
    _ = blasThreadsPinned
    parallelWorkers = max(1, count)
}
