import PerceptTensor

/// The multi-class kernel perceptron, averaged: the perceptron rule in the feature space of a
/// ``Kernel``, so the weights of class k are a combination Σⱼ αⱼₖ φ(xⱼ) of training samples.
///
/// A sample is scored by fₖ(x) = Σⱼ αⱼₖ k(xⱼ, x); on a mistake (ŷ ≠ y) the sample becomes a
/// support vector with αᵧ += 1 and α_ŷ −= 1. The averaged model returns the mean of the
/// coefficients over every step (the averaged variant of Freund & Schapire's voted perceptron),
/// which keeps the accuracy of voting at the cost of one model.
///
/// Samples are processed in blocks: the scores of a whole block against the support vectors
/// known at its start come from one `sgemm` of kernel values times coefficients, and the updates
/// made inside the block are added sample by sample from the block's own kernel matrix, so the
/// result is exactly the sequential algorithm.
public struct KernelPerceptron: Classifier {
    /// The fitted parameters.
    public struct State: Codable, Sendable, Equatable {
        /// The sorted class labels.
        public var classes: [Int]
        /// The number of features.
        public var featureCount: Int
        /// The kernel used at fit.
        public var kernel: Kernel
        /// The support vectors, row-major `[supportVectors, features]`.
        public var supportVectors: [Float]
        /// Their coefficients αⱼₖ, row-major `[supportVectors, classes]`.
        public var coefficients: [Float]
        /// Mistakes made during training, per epoch.
        public var mistakes: [Int]
    }

    public static let modelName = "KernelPerceptron"

    /// The kernel.
    public var kernel: Kernel
    /// Passes over the training data.
    public var epochs: Int
    /// Whether to return the averaged coefficients (otherwise the last ones).
    public var averaged: Bool
    /// Seed of the shuffling before each epoch.
    public var seed: UInt64
    /// Samples scored together by one matrix product.
    public var blockSize: Int
    public var state: State?

    /// Creates an unfitted model.
    public init(kernel: Kernel = .polynomial(degree: 4, gamma: 1, coef0: 1), epochs: Int = 3, averaged: Bool = true,
                seed: UInt64 = 0, blockSize: Int = 256) {
        self.kernel = kernel
        self.epochs = epochs
        self.averaged = averaged
        self.seed = seed
        self.blockSize = blockSize
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try kernel.validate(model: model)
        try require(epochs >= 1, model: model, "epochs", epochs, expected: "an integer ≥ 1")
        try require(blockSize >= 1, model: model, "blockSize", blockSize, expected: "an integer ≥ 1")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let n = features.rows
        let p = features.columns
        let k = labels.classCount
        let totalSteps = Double(epochs * n)

        var svRow: [Int: Int] = [:]  // training index → support-vector row
        var svFeatures: [Float] = []
        var svNorms: [Float] = []
        var alpha: [Float] = []  // current coefficients [sv, k]
        var averagedAlpha: [Double] = []  // Σ over steps of the coefficients, / T at the end
        var generator = RandomGenerator(seed: seed)
        var step = 0
        var mistakes: [Int] = []
        let allNorms = kernel.kind == .rbf ? Kernel.squaredNorms(features.values) : []

        let block = UnsafeMutablePointer<Float>.allocate(capacity: blockSize * p)
        let blockKernel = UnsafeMutablePointer<Float>.allocate(capacity: blockSize * blockSize)
        var scores = [Float](repeating: 0, count: blockSize * k)
        defer { block.deallocate(); blockKernel.deallocate() }

        features.values.withUnsafeBufferPointer { xs in
            for _ in 0..<epochs {
                var epochMistakes = 0
                let order = generator.permutation(n)
                var start = 0
                while start < n {
                    let members = Array(order[start..<min(start + blockSize, n)])
                    let b = members.count
                    for (row, index) in members.enumerated() {
                        (block + row * p).update(from: xs.baseAddress! + index * p, count: p)
                    }
                    let blockNorms = kernel.kind == .rbf ? members.map { allNorms[$0] } : []
                    // Scores against the support vectors known at the start of the block.
                    let m = svFeatures.count / p
                    if m > 0 {
                        let cross = UnsafeMutablePointer<Float>.allocate(capacity: b * m)
                        svFeatures.withUnsafeBufferPointer { sv in
                            kernel.block(a: block, aNorms: blockNorms, m: b, b: sv.baseAddress!, bNorms: svNorms, n: m, d: p,
                                         into: cross, ldOut: m)
                        }
                        alpha.withUnsafeBufferPointer { a in
                            scores.withUnsafeMutableBufferPointer { s in
                                BLAS.sgemm(transposeA: false, transposeB: false, m: b, n: k, k: m, alpha: 1, a: cross, lda: m,
                                           b: a.baseAddress!, ldb: k, beta: 0, c: s.baseAddress!, ldc: k)
                            }
                        }
                        cross.deallocate()
                    } else {
                        for i in 0..<(b * k) { scores[i] = 0 }
                    }
                    kernel.block(a: block, aNorms: blockNorms, m: b, b: block, bNorms: blockNorms, n: b, d: p,
                                 into: blockKernel, ldOut: b)
                    // Sequential updates inside the block.
                    var updates: [(row: Int, plus: Int, minus: Int)] = []
                    for t in 0..<b {
                        var best = 0
                        var bestScore = -Float.infinity
                        for j in 0..<k {
                            var score = scores[t * k + j]
                            for update in updates {
                                if update.plus == j { score += blockKernel[update.row * b + t] }
                                if update.minus == j { score -= blockKernel[update.row * b + t] }
                            }
                            if score > bestScore { bestScore = score; best = j }
                        }
                        step += 1
                        let truth = labels.indices[members[t]]
                        if best != truth {
                            epochMistakes += 1
                            updates.append((t, truth, best))
                            let index = members[t]
                            let row: Int
                            if let existing = svRow[index] {
                                row = existing
                            } else {
                                row = svFeatures.count / p
                                svRow[index] = row
                                svFeatures.append(contentsOf: UnsafeBufferPointer(start: block + t * p, count: p))
                                if kernel.kind == .rbf { svNorms.append(allNorms[index]) }
                                alpha.append(contentsOf: repeatElement(0, count: k))
                                averagedAlpha.append(contentsOf: repeatElement(0, count: k))
                            }
                            // The new coefficient counts in the average for steps step…T.
                            let weight = (totalSteps - Double(step) + 1)
                            averagedAlpha[row * k + truth] += weight
                            averagedAlpha[row * k + best] -= weight
                            pendingUpdate(&alpha, row: row, k: k, plus: truth, minus: best)
                        }
                    }
                    start += b
                }
                mistakes.append(epochMistakes)
            }
        }
        let final = averaged ? averagedAlpha.map { Float($0 / totalSteps) } : alpha
        // Keep the support vectors whose coefficients are not all zero.
        var keptFeatures: [Float] = []
        var keptCoefficients: [Float] = []
        for row in 0..<(final.count / k) where (0..<k).contains(where: { final[row * k + $0] != 0 }) {
            keptFeatures.append(contentsOf: svFeatures[(row * p)..<((row + 1) * p)])
            keptCoefficients.append(contentsOf: final[(row * k)..<((row + 1) * k)])
        }
        state = State(classes: labels.classes, featureCount: p, kernel: kernel, supportVectors: keptFeatures,
                      coefficients: keptCoefficients, mistakes: mistakes)
    }

    private func pendingUpdate(_ alpha: inout [Float], row: Int, k: Int, plus: Int, minus: Int) {
        alpha[row * k + plus] += 1
        alpha[row * k + minus] -= 1
    }

    /// The number of support vectors (training samples with a non-zero coefficient).
    public var supportVectorCount: Int {
        guard let state else { return 0 }
        return state.supportVectors.count / max(state.featureCount, 1)
    }

    public func decisionFunction(_ x: Tensor) throws -> Tensor {
        let state = try fitted(state, model: Self.modelName)
        let features = try validatedFeatures(x, model: Self.modelName, expectedColumns: state.featureCount)
        let k = state.classes.count
        let m = state.supportVectors.count / state.featureCount
        let vectors = Tensor(shape: [m, state.featureCount], scalars: state.supportVectors)
        return kernelExpansion(features.values, kernel: state.kernel, vectors: vectors, coefficients: state.coefficients,
                               outputs: k, offsets: [Float](repeating: 0, count: k))
    }

    public func predict(_ x: Tensor) throws -> [Int] {
        argmaxLabels(try decisionFunction(x), classes: classes)
    }
}

/// `K(x, vectors) · coefficients + offsets` (`[n, outputs]`), the kernel rows computed in blocks.
func kernelExpansion(
    _ x: Tensor, kernel: Kernel, vectors: Tensor, coefficients: [Float], outputs k: Int, offsets: [Float]
) -> Tensor {
    let n = x.shape[0]
    let m = vectors.shape[0]
    var result = Tensor(shape: [n, k]) { out in
        for r in 0..<n { for j in 0..<k { out[r * k + j] = offsets[j] } }
    }
    guard m > 0 else { return result }
    let vectorNorms = kernel.kind == .rbf ? Kernel.squaredNorms(vectors) : []
    result.withUnsafeMutableBufferPointer { out in
        coefficients.withUnsafeBufferPointer { c in
            kernel.forEachBlock(of: x, against: vectors, landmarkNorms: vectorNorms) { first, rows, block in
                BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: k, k: m, alpha: 1, a: block, lda: m,
                           b: c.baseAddress!, ldb: k, beta: 1, c: out.baseAddress! + first * k, ldc: k)
            }
        }
    }
    return result
}

extension KernelPerceptron: PersistentClassifier {
    enum CodingKeys: String, CodingKey {
        case kernel, epochs, averaged, seed
        case blockSize = "block_size"
    }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount, kernel: state.kernel,
                       counters: ["mistakes": state.mistakes]),
         [matrixArray("support_vectors", state.supportVectors, columns: state.featureCount),
          matrixArray("coefficients", state.coefficients, columns: state.classes.count)])
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName, needsKernel: true)
        let (vectors, coefficients) = try arrays.expansion(
            "support_vectors", coefficients: "coefficients", summary, outputs: summary.classes.count)
        return State(classes: summary.classes, featureCount: summary.featureCount, kernel: summary.kernel!,
                     supportVectors: vectors, coefficients: coefficients, mistakes: summary.counter("mistakes"))
    }
}
