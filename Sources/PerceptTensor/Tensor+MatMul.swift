#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

// Matrix products through BLAS `sgemm` (OpenBLAS on Linux, Accelerate on macOS).

extension Tensor {
    /// The matrix product `op(a) · op(b)` of two rank-2 tensors, where `op` transposes when asked.
    ///
    /// - Precondition: both are matrices and the inner extents agree.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false)
        -> Tensor
    {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kB, "matmul inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        return Tensor(shape: [m, n]) { out in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    BLAS.sgemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                        a: x.baseAddress!, lda: a.shape[1], b: y.baseAddress!, ldb: b.shape[1], beta: 0,
                        c: out.baseAddress!, ldc: n)
                }
            }
        }
    }
}

/// Thin, typed wrappers over the BLAS routines the library uses.
public enum BLAS {
    /// `C ← alpha · op(A) · op(B) + beta · C`, all row-major. With `beta == 0`, `C` may be
    /// uninitialised.
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for row in 0..<m {
                for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : beta * c[row * ldc + column] }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The number of threads BLAS uses (OpenBLAS only; `nil` elsewhere).
    public static var threadCount: Int? {
        #if canImport(Accelerate)
        return nil
        #else
        return Int(openblas_get_num_threads())
        #endif
    }

    /// Sets the number of threads BLAS uses (OpenBLAS only; ignored elsewhere).
    public static func setThreadCount(_ count: Int) {
        #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(count))
        #endif
    }

    /// Runs `body` with BLAS on one thread and restores the thread count afterwards: for code that
    /// splits its work between threads itself, each making products too small to share.
    public static func withOneThread<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard let threads = threadCount, threads > 1 else { return try body() }
        setThreadCount(1)
        defer { setThreadCount(threads) }
        return try body()
    }
}
