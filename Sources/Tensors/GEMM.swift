import CBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// C = alpha · op(A) · op(B) + beta · C, all row-major, through OpenBLAS's `cblas_sgemm`.
///
/// `op(A)` is m×k and `op(B)` is k×n. A is stored m×k (or k×m when transposed), B k×n
/// (or n×k). Leading dimensions are the stored row lengths unless given.
@inline(__always)
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int? = nil,
    b: UnsafePointer<Float>, ldb: Int? = nil,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int? = nil
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
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc ?? n))
}

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

/// Sets how many threads OpenBLAS uses for one GEMM.
public func setBLASThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }
