import PerceptTensor

/// Multi-class linear discriminant analysis with shrinkage of the shared covariance.
///
/// Each class is modelled as a Gaussian with its own mean and one covariance Σ pooled over the
/// classes; the decision function of class k is δₖ(x) = xᵀΣ⁻¹μₖ − ½μₖᵀΣ⁻¹μₖ + log πₖ (see
/// Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, §4.3). The covariance is
/// shrunk towards a multiple of the identity, Σₛ = (1 − s) Σ + s (tr Σ / p) I (Ledoit and Wolf's
/// target), which makes it invertible when some features never vary, as MNIST's border pixels.
/// Solved in closed form by a Cholesky factorisation (LAPACK `dposv`).
public struct LinearDiscriminantAnalysis: ProbabilisticClassifier {
    /// The fitted parameters.
    public struct State: Codable, Sendable, Equatable {
        /// The sorted class labels.
        public var classes: [Int]
        /// The number of features.
        public var featureCount: Int
        /// Σₛ⁻¹μₖ as `[features, classes]` (row-major) and the intercepts.
        var discriminant: SharedCovarianceDiscriminant
    }

    public static let modelName = "LinearDiscriminantAnalysis"

    /// s in (0, 1]: the weight of the scaled identity in the shrunk covariance.
    public var shrinkage: Double
    public var state: State?

    /// Creates an unfitted model.
    public init(shrinkage: Double = 1e-4) {
        self.shrinkage = shrinkage
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try require(shrinkage > 0 && shrinkage <= 1, model: model, "shrinkage", shrinkage, expected: "a number in (0, 1]")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        var values = features.values
        let p = features.columns
        let s = shrinkage
        let discriminant = try SharedCovarianceDiscriminant.fit(
            features: &values, labels: labels.indices, classCount: labels.classCount, model: model
        ) { covariance in
            var trace = 0.0
            for i in 0..<p { trace += covariance[i * p + i] }
            var shrunk = covariance.map { (1 - s) * $0 }
            let target = s * max(trace / Double(p), 1e-12)
            for i in 0..<p { shrunk[i * p + i] += target }
            return shrunk
        }
        state = State(classes: labels.classes, featureCount: p, discriminant: discriminant)
    }

    public func decisionFunction(_ x: Tensor) throws -> Tensor {
        let state = try fitted(state, model: Self.modelName)
        let features = try validatedFeatures(x, model: Self.modelName, expectedColumns: state.featureCount)
        return state.discriminant.scores(features.values)
    }

    public func predict(_ x: Tensor) throws -> [Int] {
        argmaxLabels(try decisionFunction(x), classes: classes)
    }

    /// The posterior class probabilities under the Gaussian model: softmax of the discriminants.
    public func predictProbabilities(_ x: Tensor) throws -> Tensor {
        rowSoftmax(try decisionFunction(x))
    }
}

extension LinearDiscriminantAnalysis: PersistentClassifier {
    enum CodingKeys: String, CodingKey { case shrinkage }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount),
         linearArrays(weights: state.discriminant.weights, intercepts: state.discriminant.intercepts,
                      featureCount: state.featureCount))
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName)
        let (weights, intercepts) = try arrays.linear(summary)
        return State(classes: summary.classes, featureCount: summary.featureCount,
                     discriminant: SharedCovarianceDiscriminant(weights: weights, intercepts: intercepts))
    }
}
