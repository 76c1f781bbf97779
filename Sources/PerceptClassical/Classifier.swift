import Foundation
import PerceptTensor

/// A classifier in the scikit-learn spirit: hyperparameters are set at initialisation, ``fit(_:_:)``
/// learns from samples and labels, and the fitted model predicts.
///
/// Features are a tensor with the samples along the first axis; trailing axes are flattened, so
/// MNIST images `[n, 28, 28]` are taken as `[n, 784]`. Labels are any integers; ``classes`` lists
/// those seen at fit, sorted, and ``predict(_:)`` returns labels from it.
///
/// Every model validates its input and throws ``ClassifierError`` on bad data: non-finite
/// features, a single class, different numbers of rows and labels, a hyperparameter out of range,
/// or a feature count at prediction different from the one at fit.
public protocol Classifier: Sendable {
    /// The fitted parameters, in a form that can be encoded (saved) and decoded (loaded).
    associatedtype State: Codable, Sendable

    /// A short name used in error messages and reports, e.g. `"RidgeClassifier"`.
    static var modelName: String { get }

    /// The learned parameters, `nil` before ``fit(_:_:)``.
    var state: State? { get set }

    /// The sorted class labels seen at fit (empty before).
    var classes: [Int] { get }

    /// The number of features per sample seen at fit.
    var featureCount: Int? { get }

    /// Learns from `x` (`[n, features…]`) and its labels `y` (`n` integers).
    mutating func fit(_ x: Tensor, _ y: [Int]) throws

    /// The per-class (or, for one-vs-one models, per-pair) scores of each sample, `[n, k]`.
    func decisionFunction(_ x: Tensor) throws -> Tensor

    /// The predicted label of each sample.
    func predict(_ x: Tensor) throws -> [Int]
}

/// A classifier that also estimates class probabilities.
public protocol ProbabilisticClassifier: Classifier {
    /// The probability of each class for each sample, `[n, classes.count]`; rows sum to 1.
    func predictProbabilities(_ x: Tensor) throws -> Tensor
}

extension Classifier {
    /// The fraction of samples of `x` whose predicted label equals `y`.
    public func score(_ x: Tensor, _ y: [Int]) throws -> Double {
        let samples = x.rank >= 1 ? x.shape[0] : 0
        guard samples == y.count else {
            throw ClassifierError.sampleCountMismatch(model: Self.modelName, samples: samples, labels: y.count)
        }
        let predicted = try predict(x)
        guard !y.isEmpty else { throw ClassifierError.noSamples(model: Self.modelName) }
        let correct = zip(predicted, y).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(y.count)
    }
}

/// The argmax of each row of a `[n, k]` score matrix, mapped through `classes`.
func argmaxLabels(_ scores: Tensor, classes: [Int]) -> [Int] {
    let n = scores.shape[0]
    let k = scores.shape[1]
    return scores.withUnsafeBufferPointer { s in
        (0..<n).map { row in
            var best = 0
            for column in 1..<max(k, 1) where s[row * k + column] > s[row * k + best] { best = column }
            return classes[best]
        }
    }
}

/// Softmax of each row of a `[n, k]` score matrix, computed stably.
func rowSoftmax(_ scores: Tensor) -> Tensor {
    let n = scores.shape[0]
    let k = scores.shape[1]
    var out = scores
    out.withUnsafeMutableBufferPointer { s in
        for row in 0..<n {
            let base = row * k
            var maximum = -Float.infinity
            for c in 0..<k { maximum = max(maximum, s[base + c]) }
            var sum: Float = 0
            for c in 0..<k {
                let e = exp(s[base + c] - maximum)
                s[base + c] = e
                sum += e
            }
            for c in 0..<k { s[base + c] /= sum }
        }
    }
    return out
}
