import CPerceptKernels
import Foundation
import PerceptTensor

/// A kernel function k(x, y) shared by every kernel method (SVM, kernel FDA, kernel perceptron).
///
/// | kind | k(x, y) | parameters |
/// |---|---|---|
/// | linear | x·y | |
/// | polynomial | (γ x·y + r)^d | γ > 0, d ≥ 1 |
/// | RBF | exp(−γ ‖x − y‖²) | γ > 0 |
/// | sigmoid | tanh(γ x·y + r) | γ > 0 |
///
/// Blocks of kernel values are computed from one `sgemm` of dot products followed by an
/// elementwise map; for RBF, ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y with the norms computed once.
public struct Kernel: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The family of the kernel.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// k(x, y) = x·y.
        case linear
        /// k(x, y) = (γ x·y + r)^d.
        case polynomial
        /// k(x, y) = exp(−γ ‖x − y‖²), the radial basis function.
        case rbf
        /// k(x, y) = tanh(γ x·y + r).
        case sigmoid
    }

    /// The family.
    public var kind: Kind
    /// γ, the scale of the dot product or of the squared distance (ignored by `linear`).
    public var gamma: Float
    /// r, the constant added inside the polynomial and sigmoid kernels.
    public var coef0: Float
    /// d, the degree of the polynomial kernel.
    public var degree: Int

    /// Creates a kernel from its family and parameters; see ``validate(model:)`` for the ranges.
    public init(kind: Kind, gamma: Float = 1, coef0: Float = 0, degree: Int = 3) {
        self.kind = kind
        self.gamma = gamma
        self.coef0 = coef0
        self.degree = degree
    }

    /// k(x, y) = x·y.
    public static let linear = Kernel(kind: .linear, gamma: 1, coef0: 0, degree: 1)

    /// k(x, y) = (γ x·y + r)^d.
    public static func polynomial(degree: Int = 3, gamma: Float, coef0: Float = 0) -> Kernel {
        Kernel(kind: .polynomial, gamma: gamma, coef0: coef0, degree: degree)
    }

    /// k(x, y) = exp(−γ ‖x − y‖²).
    public static func rbf(gamma: Float) -> Kernel {
        Kernel(kind: .rbf, gamma: gamma, coef0: 0, degree: 1)
    }

    /// k(x, y) = tanh(γ x·y + r).
    public static func sigmoid(gamma: Float, coef0: Float = 0) -> Kernel {
        Kernel(kind: .sigmoid, gamma: gamma, coef0: coef0, degree: 1)
    }

    /// A short description, e.g. `rbf(gamma: 0.05)`.
    public var description: String {
        switch kind {
        case .linear: return "linear"
        case .polynomial: return "polynomial(degree: \(degree), gamma: \(gamma), coef0: \(coef0))"
        case .rbf: return "rbf(gamma: \(gamma))"
        case .sigmoid: return "sigmoid(gamma: \(gamma), coef0: \(coef0))"
        }
    }

    /// Throws unless the parameters are in range: γ finite and positive (except for `linear`), r
    /// finite, and for `polynomial` 1 ≤ d ≤ 10.
    public func validate(model: String) throws {
        if kind != .linear {
            try require(gamma.isFinite && gamma > 0, model: model, "kernel gamma", gamma, expected: "a finite number > 0")
        }
        try require(coef0.isFinite, model: model, "kernel coef0", coef0, expected: "a finite number")
        if kind == .polynomial {
            try require((1...10).contains(degree), model: model, "kernel degree", degree, expected: "an integer in 1...10")
        }
    }

    /// k(x, y) for two vectors of equal length, computed directly (for checks and single values).
    public func callAsFunction(_ x: [Float], _ y: [Float]) -> Float {
        precondition(x.count == y.count, "kernel arguments have \(x.count) and \(y.count) elements")
        switch kind {
        case .linear:
            return zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        case .polynomial:
            let base = gamma * zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } + coef0
            return (1..<degree).reduce(base) { value, _ in value * base }
        case .rbf:
            return exp(-gamma * zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
        case .sigmoid:
            return tanh(gamma * zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } + coef0)
        }
    }

    /// The kernel matrix `K[i, j] = k(a_i, b_j)` of the rows of `a` (`[m, d]`) and `b` (`[n, d]`).
    public func matrix(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
                     "kernel matrix needs [m, d] and [n, d], got \(a.shape) and \(b.shape)")
        let m = a.shape[0]
        let n = b.shape[0]
        let d = a.shape[1]
        let aNorms = kind == .rbf ? Kernel.squaredNorms(a) : []
        let bNorms = kind == .rbf ? Kernel.squaredNorms(b) : []
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                Tensor(shape: [m, n]) { out in
                    block(a: pa.baseAddress!, aNorms: aNorms, m: m, b: pb.baseAddress!, bNorms: bNorms, n: n, d: d,
                          into: out.baseAddress!, ldOut: n)
                }
            }
        }
    }

    /// Writes `k(a_i, b_j)` into `out[i * ldOut + j]` for `m` rows of `a` and `n` rows of `b`, both
    /// row-major with `d` columns: one `sgemm`, then the kernel's map in place. `aNorms` and
    /// `bNorms` are the squared row norms (needed by RBF only; pass `[]` otherwise).
    func block(
        a: UnsafePointer<Float>, aNorms: [Float], m: Int, b: UnsafePointer<Float>, bNorms: [Float], n: Int, d: Int,
        into out: UnsafeMutablePointer<Float>, ldOut: Int
    ) {
        guard m > 0 && n > 0 else { return }
        BLAS.sgemm(transposeA: false, transposeB: true, m: m, n: n, k: d, alpha: 1, a: a, lda: d, b: b, ldb: d,
                   beta: 0, c: out, ldc: ldOut)
        switch kind {
        case .linear: break
        case .polynomial: pk_polynomial_from_dots(out, m, n, ldOut, gamma, coef0, Int32(degree))
        case .rbf: pk_rbf_from_dots(out, m, n, ldOut, aNorms, bNorms, gamma)
        case .sigmoid: pk_sigmoid_from_dots(out, m, n, ldOut, gamma, coef0)
        }
    }

    /// The squared Euclidean norm of each row of a matrix.
    static func squaredNorms(_ x: Tensor) -> [Float] {
        x.withUnsafeBufferPointer { squaredNorms($0.baseAddress!, rows: x.shape[0], columns: x.shape[1]) }
    }

    /// The squared Euclidean norm of each of `rows` contiguous rows of `columns` values.
    static func squaredNorms(_ x: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows) { buffer, count in
            pk_row_squared_norms(x, rows, columns, buffer.baseAddress)
            count = rows
        }
    }

    /// The kernel values `k(x, landmarks_j)` for each row of `x`, computed in blocks of rows, then
    /// handed to `body(firstRow, rowCount, block)` where `block` is `[rowCount, landmarkCount]`.
    func forEachBlock(
        of x: Tensor, against landmarks: Tensor, landmarkNorms: [Float], blockRows: Int = 512,
        _ body: (Int, Int, UnsafeMutablePointer<Float>) throws -> Void
    ) rethrows {
        let n = x.shape[0]
        let d = x.shape[1]
        let count = landmarks.shape[0]
        guard count > 0 else { return }
        let xNorms = kind == .rbf ? Kernel.squaredNorms(x) : []
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * count)
        defer { buffer.deallocate() }
        try x.withUnsafeBufferPointer { px in
            try landmarks.withUnsafeBufferPointer { pl in
                var start = 0
                while start < n {
                    let rows = min(blockRows, n - start)
                    let norms = kind == .rbf ? Array(xNorms[start..<(start + rows)]) : []
                    block(a: px.baseAddress! + start * d, aNorms: norms, m: rows, b: pl.baseAddress!, bNorms: landmarkNorms,
                          n: count, d: d, into: buffer, ldOut: count)
                    try body(start, rows, buffer)
                    start += rows
                }
            }
        }
    }
}
