import PerceptTensor

/// Regularized least squares for classification: one linear regression per class onto one-of-K
/// targets (+1 for the class, −1 otherwise), with an L2 penalty; the predicted class is the one
/// with the largest output.
///
/// Minimises ‖Y − XW − 1bᵀ‖² + α‖W‖² (the intercept is not penalised), solved in closed form on
/// centered data: (X̃ᵀX̃ + αI) W = X̃ᵀỸ by a Cholesky factorisation (LAPACK `dposv`), then
/// b = ȳ − Wᵀx̄.
public struct RidgeClassifier: Classifier {
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
    }

    public static let modelName = "RidgeClassifier"

    /// α ≥ 0, the strength of the L2 penalty.
    public var alpha: Double
    public var state: State?

    /// Creates an unfitted model.
    public init(alpha: Double = 1) {
        self.alpha = alpha
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try require(alpha >= 0 && alpha.isFinite, model: model, "alpha", alpha, expected: "a finite number ≥ 0")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let n = features.rows
        let p = features.columns
        let k = labels.classCount
        var centered = features.values
        let means = centered.withUnsafeBufferPointer { DenseLinearAlgebra.columnMeans($0.baseAddress!, rows: n, columns: p) }
        let floatMeans = means.map { Float($0) }
        centered.withUnsafeMutableBufferPointer { x in
            for r in 0..<n { for c in 0..<p { x[r * p + c] -= floatMeans[c] } }
        }
        var system = centered.withUnsafeBufferPointer { DenseLinearAlgebra.gram($0.baseAddress!, rows: n, columns: p) }
        for i in 0..<p { system[i * p + i] += alpha }
        // X̃ᵀỸ: Ỹ = Y − ȳ, and X̃ᵀ1 = 0, so X̃ᵀỸ = X̃ᵀY = 2 X̃ᵀ[class indicator] − X̃ᵀ1 = 2 Σ_{i∈k} x̃ᵢ.
        var rhs = [Double](repeating: 0, count: p * k)
        centered.withUnsafeBufferPointer { x in
            for r in 0..<n {
                let label = labels.indices[r]
                for c in 0..<p { rhs[c * k + label] += 2 * Double(x[r * p + c]) }
            }
        }
        let solution = try DenseLinearAlgebra.solvePositiveDefinite(system, rhs, n: p, k: k, model: model)
        var counts = [Int](repeating: 0, count: k)
        for label in labels.indices { counts[label] += 1 }
        var intercepts = [Float](repeating: 0, count: k)
        for j in 0..<k {
            let targetMean = 2 * Double(counts[j]) / Double(n) - 1
            var projected = 0.0
            for c in 0..<p { projected += solution[c * k + j] * means[c] }
            intercepts[j] = Float(targetMean - projected)
        }
        state = State(classes: labels.classes, featureCount: p, weights: solution.map { Float($0) }, intercepts: intercepts)
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
}

extension RidgeClassifier: PersistentClassifier {
    enum CodingKeys: String, CodingKey { case alpha }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount),
         linearArrays(weights: state.weights, intercepts: state.intercepts, featureCount: state.featureCount))
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName)
        let (weights, intercepts) = try arrays.linear(summary)
        return State(classes: summary.classes, featureCount: summary.featureCount, weights: weights, intercepts: intercepts)
    }
}
