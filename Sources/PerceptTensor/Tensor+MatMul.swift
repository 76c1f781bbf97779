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
///
/// On Linux, OpenBLAS itself always runs on one thread and large products are split between
/// threads here, by rows or columns of the result. OpenBLAS's own workers spin for a long while
/// after each threaded product (about 2²⁸ cycles) before they sleep; between products that spinning
/// took a core away from the library's other parallel work (the recurrent steps, the convolution
/// chunks), a third of the CPU time in an LSTM's training step. The threads of ``Parallel`` block
/// instead of spinning once their share is done. The split follows ``Parallel``'s rule: the
/// result does not depend on the thread count.
public enum BLAS {
    /// The products at least this large (m·n·k multiply-adds) are split between threads.
    static let splitThreshold = 1 << 21

    #if canImport(Accelerate)
    /// Accelerate manages its own threads.
    nonisolated(unsafe) private static var threads = 1
    #else
    /// How many threads a product may use; read by the parallel kernels too.
    nonisolated(unsafe) private static var threads: Int = {
        let cores = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return Swift.max(cores, 1)
    }()
    #endif

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
        let parts = m * n * k >= splitThreshold ? Swift.min(Parallel.maximumParts, Swift.max(m, n) / 16) : 1
        guard parts > 1 else {
            return sgemmOnOneThread(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                    a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        // Each part takes a band of C's rows (A's rows) or, for a wide C, of its columns (B's columns).
        let byRows = m >= n
        Parallel.forEach(parts) { part in
            let extent = byRows ? m : n
            let (first, end) = (extent * part / parts, extent * (part + 1) / parts)
            if byRows {
                sgemmOnOneThread(
                    transposeA: transposeA, transposeB: transposeB, m: end - first, n: n, k: k, alpha: alpha,
                    a: a + (transposeA ? first : first * lda), lda: lda, b: b, ldb: ldb,
                    beta: beta, c: c + first * ldc, ldc: ldc)
            } else {
                sgemmOnOneThread(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: end - first, k: k, alpha: alpha,
                    a: a, lda: lda, b: b + (transposeB ? first * ldb : first), ldb: ldb,
                    beta: beta, c: c + first, ldc: ldc)
            }
        }
    }

    private static func sgemmOnOneThread(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The number of threads products and the parallel kernels use (`nil` with Accelerate, which
    /// manages its own). Initially the number of cores.
    public static var threadCount: Int? {
        #if canImport(Accelerate)
        return nil
        #else
        return threads
        #endif
    }

    /// Sets the number of threads products and the parallel kernels use (ignored with Accelerate).
    public static func setThreadCount(_ count: Int) {
        #if !canImport(Accelerate)
        threads = Swift.max(count, 1)
        #endif
    }

    /// Runs `body` with products on one thread and restores the thread count afterwards: for code
    /// that splits its work between threads itself, each making products too small to share.
    public static func withOneThread<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard let threads = threadCount, threads > 1 else { return try body() }
        setThreadCount(1)
        defer { setThreadCount(threads) }
        return try body()
    }
}
