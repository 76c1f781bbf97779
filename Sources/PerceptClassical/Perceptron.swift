#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif
import PerceptTensor

/// The multi-class perceptron (Rosenblatt's rule with one weight vector per class), averaged.
///
/// For each sample in turn the predicted class is ŷ = argmaxₖ wₖ·x + bₖ; on a mistake the true
/// class's weights move towards x and the predicted class's away from it: w_y += x, w_ŷ −= x.
/// With `averaged` (the default) the final model is the average of the weights over every step,
/// which generalises much better than the last iterate (Freund & Schapire, 1999); the average is
/// kept in O(1) per update with a second, step-weighted accumulator.
public struct Perceptron: Classifier {
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
        /// Mistakes (updates) made during training, per epoch.
        public var mistakes: [Int]
    }

    public static let modelName = "Perceptron"

    /// Passes over the training data.
    public var epochs: Int
    /// Whether to return the averaged weights (otherwise the last ones).
    public var averaged: Bool
    /// Seed of the shuffling before each epoch.
    public var seed: UInt64
    public var state: State?

    /// Creates an unfitted model.
    public init(epochs: Int = 10, averaged: Bool = true, seed: UInt64 = 0) {
        self.epochs = epochs
        self.averaged = averaged
        self.seed = seed
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try require(epochs >= 1, model: model, "epochs", epochs, expected: "an integer ≥ 1")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let n = features.rows
        let p = features.columns
        let k = labels.classCount
        let stride = p + 1  // weights then the bias, per class
        var weights = [Float](repeating: 0, count: k * stride)
        var accumulated = [Float](repeating: 0, count: k * stride)
        var scores = [Float](repeating: 0, count: k)
        var sample = [Float](repeating: 1, count: stride)
        var generator = RandomGenerator(seed: seed)
        var step: Float = 1
        var mistakes: [Int] = []
        features.values.withUnsafeBufferPointer { xs in
            for _ in 0..<epochs {
                var epochMistakes = 0
                for index in generator.permutation(n) {
                    for c in 0..<p { sample[c] = xs[index * p + c] }
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(k), Int32(stride), 1, weights, Int32(stride), sample, 1,
                                0, &scores, 1)
                    var predicted = 0
                    for j in 1..<k where scores[j] > scores[predicted] { predicted = j }
                    let truth = labels.indices[index]
                    if predicted != truth {
                        epochMistakes += 1
                        weights.withUnsafeMutableBufferPointer { w in
                            accumulated.withUnsafeMutableBufferPointer { u in
                                cblas_saxpy(Int32(stride), 1, sample, 1, w.baseAddress! + truth * stride, 1)
                                cblas_saxpy(Int32(stride), -1, sample, 1, w.baseAddress! + predicted * stride, 1)
                                cblas_saxpy(Int32(stride), step, sample, 1, u.baseAddress! + truth * stride, 1)
                                cblas_saxpy(Int32(stride), -step, sample, 1, u.baseAddress! + predicted * stride, 1)
                            }
                        }
                    }
                    step += 1
                }
                mistakes.append(epochMistakes)
            }
        }
        // Average over the steps: Σₜ wₜ / T = w − u / T with u accumulating t·Δw.
        let final = averaged ? zip(weights, accumulated).map { $0 - $1 / step } : weights
        var matrix = [Float](repeating: 0, count: p * k)
        var intercepts = [Float](repeating: 0, count: k)
        for j in 0..<k {
            for c in 0..<p { matrix[c * k + j] = final[j * stride + c] }
            intercepts[j] = final[j * stride + p]
        }
        state = State(classes: labels.classes, featureCount: p, weights: matrix, intercepts: intercepts, mistakes: mistakes)
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

extension Perceptron: PersistentClassifier {
    enum CodingKeys: String, CodingKey { case epochs, averaged, seed }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount, counters: ["mistakes": state.mistakes]),
         linearArrays(weights: state.weights, intercepts: state.intercepts, featureCount: state.featureCount))
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName)
        let (weights, intercepts) = try arrays.linear(summary)
        return State(classes: summary.classes, featureCount: summary.featureCount, weights: weights, intercepts: intercepts,
                     mistakes: summary.counter("mistakes"))
    }
}
