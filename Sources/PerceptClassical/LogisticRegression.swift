import Foundation
import PerceptTensor

/// Multinomial logistic regression (softmax regression) with an L2 penalty, fitted by L-BFGS.
///
/// Minimises the mean cross-entropy of softmax(xW + b) plus (1 / (2Cn)) ‖W‖², which has the same
/// minimiser as scikit-learn's `C Σᵢ CE + ½‖W‖²` (the intercept is not penalised). The
/// objective is smooth and convex; ``LBFGS`` minimises it with a backtracking line search.
public struct LogisticRegression: ProbabilisticClassifier {
    /// The fitted parameters.
    public struct State: Codable, Sendable, Equatable {
        /// The sorted class labels.
        public var classes: [Int]
        /// The number of features.
        public var featureCount: Int
        /// W as a row-major `[features, classes]` matrix.
        public var weights: [Float]
        /// b, one intercept per class.
        public var intercepts: [Float]
        /// L-BFGS iterations run.
        public var iterations: Int
    }

    public static let modelName = "LogisticRegression"

    /// C > 0, the inverse strength of the L2 penalty.
    public var c: Double
    /// The most L-BFGS iterations.
    public var maxIterations: Int
    /// Stop when the largest gradient component is below this.
    public var tolerance: Double
    public var state: State?

    /// Creates an unfitted model.
    public init(c: Double = 1, maxIterations: Int = 100, tolerance: Double = 1e-5) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try require(c > 0 && c.isFinite, model: model, "C", c, expected: "a finite number > 0")
        try require(maxIterations >= 1, model: model, "maxIterations", maxIterations, expected: "an integer ≥ 1")
        try require(tolerance >= 0, model: model, "tolerance", tolerance, expected: "a number ≥ 0")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let p = features.columns
        let k = labels.classCount
        let l2 = 1 / (c * Double(features.rows))
        let values = features.values
        let result = LBFGS(maxIterations: maxIterations, tolerance: tolerance).minimize(
            start: [Double](repeating: 0, count: (p + 1) * k)
        ) { parameters in
            Self.lossAndGradient(parameters: parameters, features: values, labels: labels.indices, classCount: k, l2: l2)
        }
        let weights = result.point[0..<(p * k)].map { Float($0) }
        let intercepts = result.point[(p * k)...].map { Float($0) }
        state = State(classes: labels.classes, featureCount: p, weights: weights, intercepts: intercepts,
                      iterations: result.iterations)
    }

    /// The objective and its gradient at `parameters` (W row-major `[p, k]`, then b):
    /// loss = mean CE(softmax(xW + b), y) + (l2 / 2) ‖W‖²,
    /// ∂loss/∂W = Xᵀ(P − Y) / n + l2·W, ∂loss/∂b = mean of (P − Y) over the samples.
    static func lossAndGradient(
        parameters: [Double], features: Tensor, labels: [Int], classCount k: Int, l2: Double
    ) -> (Double, [Double]) {
        let n = features.shape[0]
        let p = features.shape[1]
        let weights = parameters[0..<(p * k)].map { Float($0) }
        let bias = parameters[(p * k)...].map { Float($0) }
        var residual = DenseLinearAlgebra.affine(features, weights: weights, bias: bias, outputs: k)
        var loss = 0.0
        var biasGradient = [Double](repeating: 0, count: k)
        residual.withUnsafeMutableBufferPointer { z in
            for r in 0..<n {
                let base = r * k
                var maximum = -Float.infinity
                for j in 0..<k { maximum = max(maximum, z[base + j]) }
                var sum: Double = 0
                for j in 0..<k { sum += exp(Double(z[base + j] - maximum)) }
                let logSum = log(sum) + Double(maximum)
                loss += logSum - Double(z[base + labels[r]])
                for j in 0..<k {
                    let probability = exp(Double(z[base + j]) - logSum)
                    let difference = probability - (j == labels[r] ? 1 : 0)
                    z[base + j] = Float(difference)
                    biasGradient[j] += difference
                }
            }
        }
        let weightGradient = features.withUnsafeBufferPointer { x in
            residual.withUnsafeBufferPointer { d in
                [Float](unsafeUninitializedCapacity: p * k) { buffer, count in
                    BLAS.sgemm(transposeA: true, transposeB: false, m: p, n: k, k: n, alpha: 1 / Float(n),
                               a: x.baseAddress!, lda: p, b: d.baseAddress!, ldb: k, beta: 0, c: buffer.baseAddress!, ldc: k)
                    count = p * k
                }
            }
        }
        var gradient = [Double](repeating: 0, count: (p + 1) * k)
        var penalty = 0.0
        for i in 0..<(p * k) {
            penalty += parameters[i] * parameters[i]
            gradient[i] = Double(weightGradient[i]) + l2 * parameters[i]
        }
        for j in 0..<k { gradient[p * k + j] = biasGradient[j] / Double(n) }
        return (loss / Double(n) + 0.5 * l2 * penalty, gradient)
    }

    public func decisionFunction(_ x: Tensor) throws -> Tensor {
        let state = try fitted(state, model: Self.modelName)
        let features = try validatedFeatures(x, model: Self.modelName, expectedColumns: state.featureCount)
        return DenseLinearAlgebra.affine(features.values, weights: state.weights, bias: state.intercepts,
                                         outputs: state.intercepts.count)
    }

    public func predict(_ x: Tensor) throws -> [Int] {
        argmaxLabels(try decisionFunction(x), classes: classes)
    }

    /// softmax(xW + b) for each sample.
    public func predictProbabilities(_ x: Tensor) throws -> Tensor {
        rowSoftmax(try decisionFunction(x))
    }
}

extension LogisticRegression: PersistentClassifier {
    enum CodingKeys: String, CodingKey {
        case c, tolerance
        case maxIterations = "max_iterations"
    }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount, counters: ["iterations": [state.iterations]]),
         linearArrays(weights: state.weights, intercepts: state.intercepts, featureCount: state.featureCount))
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName)
        let (weights, intercepts) = try arrays.linear(summary)
        return State(classes: summary.classes, featureCount: summary.featureCount, weights: weights, intercepts: intercepts,
                     iterations: summary.counter("iterations").first ?? 0)
    }
}
