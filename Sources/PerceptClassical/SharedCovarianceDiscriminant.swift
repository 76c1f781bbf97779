import Foundation
import PerceptTensor

/// The discriminant functions of Gaussian classes sharing one covariance matrix, the core of
/// ``LinearDiscriminantAnalysis`` and ``KernelFisherDiscriminant``:
///
///     δₖ(x) = xᵀ Σ⁻¹ μₖ − ½ μₖᵀ Σ⁻¹ μₖ + log πₖ
///
/// where μₖ is the mean of class k, πₖ its share of the samples and Σ the pooled within-class
/// covariance (the within-class scatter over n − K), regularized by the caller. For several
/// classes these are the Bayes rule under the shared-covariance model, and the projection onto
/// the span of Σ⁻¹(μₖ − μ) is the multi-class Fisher discriminant subspace, so classifying by
/// δₖ is classifying by the nearest class mean in the Fisher space (with priors).
struct SharedCovarianceDiscriminant: Codable, Sendable, Equatable {
    /// Σ⁻¹ μₖ as a row-major `[features, classes]` matrix.
    var weights: [Float]
    /// −½ μₖᵀ Σ⁻¹ μₖ + log πₖ for each class.
    var intercepts: [Float]

    /// Fits from `features` (`[n, p]`, centered in place by class and then discarded) and class
    /// indices; `regularize` receives Σ (`[p, p]`, double, row-major) and returns the matrix to
    /// invert.
    static func fit(
        features: inout Tensor, labels: [Int], classCount: Int, model: String,
        regularize: ([Double]) -> [Double]
    ) throws -> SharedCovarianceDiscriminant {
        let n = features.shape[0]
        let p = features.shape[1]
        var means = [Double](repeating: 0, count: classCount * p)
        var counts = [Int](repeating: 0, count: classCount)
        features.withUnsafeBufferPointer { x in
            for r in 0..<n {
                let k = labels[r]
                counts[k] += 1
                for c in 0..<p { means[k * p + c] += Double(x[r * p + c]) }
            }
        }
        for k in 0..<classCount { for c in 0..<p { means[k * p + c] /= Double(max(counts[k], 1)) } }
        let floatMeans = means.map { Float($0) }
        features.withUnsafeMutableBufferPointer { x in
            for r in 0..<n {
                let base = labels[r] * p
                for c in 0..<p { x[r * p + c] -= floatMeans[base + c] }
            }
        }
        var covariance = features.withUnsafeBufferPointer {
            DenseLinearAlgebra.gram($0.baseAddress!, rows: n, columns: p)
        }
        let degrees = Double(max(n - classCount, 1))
        for i in covariance.indices { covariance[i] /= degrees }
        let system = regularize(covariance)
        // Right-hand side: the class means as columns, [p, K].
        var rhs = [Double](repeating: 0, count: p * classCount)
        for k in 0..<classCount { for c in 0..<p { rhs[c * classCount + k] = means[k * p + c] } }
        let solution = try DenseLinearAlgebra.solvePositiveDefinite(system, rhs, n: p, k: classCount, model: model)
        var intercepts = [Float](repeating: 0, count: classCount)
        for k in 0..<classCount {
            var quadratic = 0.0
            for c in 0..<p { quadratic += means[k * p + c] * solution[c * classCount + k] }
            intercepts[k] = Float(-0.5 * quadratic + log(Double(counts[k]) / Double(n)))
        }
        return SharedCovarianceDiscriminant(weights: solution.map { Float($0) }, intercepts: intercepts)
    }

    /// The discriminant scores `[n, classes]` of `features` `[n, p]`.
    func scores(_ features: Tensor) -> Tensor {
        DenseLinearAlgebra.affine(features, weights: weights, bias: intercepts, outputs: intercepts.count)
    }
}
