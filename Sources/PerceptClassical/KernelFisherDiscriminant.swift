import PerceptTensor

/// Multi-class kernel Fisher discriminant analysis, restricted to the span of m landmarks
/// (a Nyström / subset-of-regressors approximation) so that it scales to tens of thousands of
/// samples.
///
/// Kernel FDA (Mika et al., 1999; Baudat & Anouar, 2000) is LDA in the feature space φ of a
/// ``Kernel``. Writing each discriminant direction as w = Σⱼ cⱼ φ(zⱼ) over landmarks z₁…z_m
/// makes every sample a vector of kernel values κ(x) = (k(x, z₁), …, k(x, z_m)), and the
/// problem becomes LDA on κ(x) with the RKHS-norm regularizer wᵀw = cᵀ K_mm c:
///
///     Σ_κ = within-class covariance of κ(xᵢ) over all n samples
///     Σ_reg = S + 10⁻⁵ (tr S / m) I,   S = Σ_κ + λ (tr Σ_κ / tr K_mm) K_mm
///     δₖ(x) = κ(x)ᵀ Σ_reg⁻¹ μₖ − ½ μₖᵀ Σ_reg⁻¹ μₖ + log πₖ
///
/// With `landmarks ≥ n` every training sample is a landmark and this is exact, regularized
/// kernel FDA (the small ridge on the diagonal only guards the Cholesky factorisation against
/// the rounding of float kernel values). With fewer, the discriminants are the best ones within the landmarks' span, while
/// the scatter is still measured over every training sample: the cost is O(n m d) for the
/// kernel values, O(n m²) for the scatter and O(m³) for the solve, instead of O(n³).
/// Landmarks are drawn uniformly at random without replacement (seeded).
public struct KernelFisherDiscriminant: ProbabilisticClassifier {
    /// The fitted parameters.
    public struct State: Codable, Sendable, Equatable {
        /// The sorted class labels.
        public var classes: [Int]
        /// The number of features.
        public var featureCount: Int
        /// The kernel used at fit.
        public var kernel: Kernel
        /// The landmarks, row-major `[m, features]`.
        public var landmarks: [Float]
        /// The discriminant over kernel values.
        var discriminant: SharedCovarianceDiscriminant
    }

    public static let modelName = "KernelFisherDiscriminant"

    /// The kernel.
    public var kernel: Kernel
    /// The number of landmarks m (all samples when it is at least the number of samples).
    public var landmarks: Int
    /// λ > 0, the relative weight of the RKHS-norm regularizer.
    public var regularization: Double
    /// Seed of the choice of landmarks.
    public var seed: UInt64
    public var state: State?

    /// Creates an unfitted model.
    public init(kernel: Kernel = .rbf(gamma: 0.02), landmarks: Int = 3000, regularization: Double = 1e-3, seed: UInt64 = 0) {
        self.kernel = kernel
        self.landmarks = landmarks
        self.regularization = regularization
        self.seed = seed
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try kernel.validate(model: model)
        try require(landmarks >= 1, model: model, "landmarks", landmarks, expected: "an integer ≥ 1")
        try require(regularization > 0 && regularization.isFinite, model: model, "regularization", regularization,
                    expected: "a finite number > 0")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let n = features.rows
        let p = features.columns
        let m = min(landmarks, n)
        var generator = RandomGenerator(seed: seed)
        let chosen = m == n ? Array(0..<n) : Array(generator.permutation(n).prefix(m)).sorted()
        let centers = features.values.rows(at: chosen)
        let centerNorms = kernel.kind == .rbf ? Kernel.squaredNorms(centers) : []
        var kernelValues = Tensor(zeros: [n, m])
        kernelValues.withUnsafeMutableBufferPointer { out in
            kernel.forEachBlock(of: features.values, against: centers, landmarkNorms: centerNorms) { first, rows, block in
                (out.baseAddress! + first * m).update(from: block, count: rows * m)
            }
        }
        let landmarkKernel = kernel.matrix(centers, centers)
        let lambda = regularization
        let discriminant = try SharedCovarianceDiscriminant.fit(
            features: &kernelValues, labels: labels.indices, classCount: labels.classCount, model: model
        ) { covariance in
            var traceCovariance = 0.0
            var traceKernel = 0.0
            for i in 0..<m {
                traceCovariance += covariance[i * m + i]
                traceKernel += Double(landmarkKernel.scalars[i * m + i])
            }
            let scale = lambda * traceCovariance / max(traceKernel, 1e-30)
            var system = covariance
            for i in 0..<(m * m) { system[i] += scale * Double(landmarkKernel.scalars[i]) }
            var traceSystem = 0.0
            for i in 0..<m { traceSystem += system[i * m + i] }
            let jitter = 1e-5 * max(traceSystem / Double(m), 1e-30)
            for i in 0..<m { system[i * m + i] += jitter }
            return system
        }
        state = State(classes: labels.classes, featureCount: p, kernel: kernel, landmarks: centers.scalars,
                      discriminant: discriminant)
    }

    public func decisionFunction(_ x: Tensor) throws -> Tensor {
        let state = try fitted(state, model: Self.modelName)
        let features = try validatedFeatures(x, model: Self.modelName, expectedColumns: state.featureCount)
        let m = state.landmarks.count / state.featureCount
        return kernelExpansion(
            features.values, kernel: state.kernel, vectors: Tensor(shape: [m, state.featureCount], scalars: state.landmarks),
            coefficients: state.discriminant.weights, outputs: state.classes.count, offsets: state.discriminant.intercepts)
    }

    public func predict(_ x: Tensor) throws -> [Int] {
        argmaxLabels(try decisionFunction(x), classes: classes)
    }

    /// The posterior class probabilities under the Gaussian model in kernel space.
    public func predictProbabilities(_ x: Tensor) throws -> Tensor {
        rowSoftmax(try decisionFunction(x))
    }
}

extension KernelFisherDiscriminant: PersistentClassifier {
    enum CodingKeys: String, CodingKey { case kernel, landmarks, regularization, seed }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        let k = state.classes.count
        return (FittedSummary(classes: state.classes, featureCount: state.featureCount, kernel: state.kernel),
                [matrixArray("landmarks", state.landmarks, columns: state.featureCount),
                 matrixArray("weights", state.discriminant.weights, columns: k),
                 ("intercepts", Tensor(shape: [k], scalars: state.discriminant.intercepts))])
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName, needsKernel: true)
        let k = summary.classes.count
        let (landmarks, weights) = try arrays.expansion("landmarks", coefficients: "weights", summary, outputs: k)
        let intercepts = try arrays.values("intercepts", shape: [k]).values
        return State(classes: summary.classes, featureCount: summary.featureCount, kernel: summary.kernel!,
                     landmarks: landmarks, discriminant: SharedCovarianceDiscriminant(weights: weights, intercepts: intercepts))
    }
}
