#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif
import CLAPACK
import PerceptTensor

/// The few dense linear-algebra steps the closed-form models need: Gram matrices through BLAS
/// `ssyrk`, and symmetric positive-definite solves through LAPACK `dposv` (Cholesky, in double).
enum DenseLinearAlgebra {
    /// `AᵀA` of a row-major `[rows, columns]` matrix, as a full symmetric `[columns, columns]`
    /// matrix in double (accumulated in float by `ssyrk`, then mirrored).
    static func gram(_ a: UnsafePointer<Float>, rows: Int, columns: Int) -> [Double] {
        var lower = [Float](repeating: 0, count: columns * columns)
        lower.withUnsafeMutableBufferPointer { c in
            cblas_ssyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(columns), Int32(rows), 1, a, Int32(columns), 0,
                        c.baseAddress, Int32(columns))
        }
        var full = [Double](repeating: 0, count: columns * columns)
        for i in 0..<columns {
            for j in 0...i {
                let value = Double(lower[i * columns + j])
                full[i * columns + j] = value
                full[j * columns + i] = value
            }
        }
        return full
    }

    /// Solves `A X = B` for a symmetric positive-definite `A` (`[n, n]`) and `B` (`[n, k]`), both
    /// row-major in double; returns `X`.
    ///
    /// - Throws: ``ClassifierError/numericalFailure(model:reason:)`` when `A` is not positive
    ///   definite (the Cholesky factorisation breaks down), naming the failing column.
    static func solvePositiveDefinite(_ a: [Double], _ b: [Double], n: Int, k: Int, model: String) throws -> [Double] {
        var matrix = a
        var rhs = b
        let info = matrix.withUnsafeMutableBufferPointer { pa in
            rhs.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), Int32(k), pa.baseAddress, Int32(n),
                              pb.baseAddress, Int32(k))
            }
        }
        guard info == 0 else {
            let reason = info > 0
                ? "the \(n)×\(n) system matrix is not positive definite (Cholesky failed at column \(info)); "
                    + "increase the regularization"
                : "LAPACK dposv rejected argument \(-info)"
            throw ClassifierError.numericalFailure(model: model, reason: reason)
        }
        return rhs
    }

    /// Column means of a row-major `[rows, columns]` matrix, in double.
    static func columnMeans(_ x: UnsafePointer<Float>, rows: Int, columns: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        for r in 0..<rows {
            let row = x + r * columns
            for c in 0..<columns { sums[c] += Double(row[c]) }
        }
        return sums.map { $0 / Double(max(rows, 1)) }
    }

    /// `x · w + b` for `x` `[n, p]` and `w` `[p, k]` (row-major float), `b` of length `k`.
    static func affine(_ x: Tensor, weights: [Float], bias: [Float], outputs k: Int) -> Tensor {
        let n = x.shape[0]
        let p = x.shape[1]
        return x.withUnsafeBufferPointer { px in
            weights.withUnsafeBufferPointer { pw in
                Tensor(shape: [n, k]) { out in
                    for r in 0..<n { for c in 0..<k { out[r * k + c] = bias[c] } }
                    BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: k, k: p, alpha: 1, a: px.baseAddress!,
                               lda: p, b: pw.baseAddress!, ldb: k, beta: 1, c: out.baseAddress!, ldc: k)
                }
            }
        }
    }
}
