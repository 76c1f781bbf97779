import PerceptTensor

/// A classifier that can be stored and rebuilt exactly.
///
/// Its `Codable` form is its hyperparameters only (the fitted ``Classifier/state`` is left out);
/// the fitted state splits into a small ``FittedSummary`` (classes, feature count, kernel,
/// counters) and named arrays such as `weights` `[features, classes]` or `support_vectors`
/// `[m, features]`. A model file keeps the first two as JSON and the arrays as tensors, so that
/// other tools can read the weights; ``join(_:_:)`` checks that the parts fit together, and the
/// rebuilt model predicts bit-identically to the stored one.
public protocol PersistentClassifier: Classifier, Codable {
    /// Splits a fitted state into its summary and its named arrays.
    static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)])

    /// Rebuilds a fitted state from the parts ``split(_:)`` made, checking every shape.
    ///
    /// - Throws: ``ClassifierError/invalidState(model:reason:)`` when the parts do not fit.
    static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State
}

/// The small values of a fitted classifier: what is not an array of weights.
public struct FittedSummary: Codable, Sendable, Equatable {
    /// The sorted class labels.
    public var classes: [Int]
    /// The number of features per sample.
    public var featureCount: Int
    /// The kernel used at fit, for the kernel methods.
    public var kernel: Kernel?
    /// The class-index pairs of a one-vs-one model.
    public var pairs: [[Int]]?
    /// Training counters (mistakes per epoch, solver iterations, …), by name.
    public var counters: [String: [Int]]

    /// Creates a summary.
    public init(classes: [Int], featureCount: Int, kernel: Kernel? = nil, pairs: [[Int]]? = nil,
                counters: [String: [Int]] = [:]) {
        self.classes = classes
        self.featureCount = featureCount
        self.kernel = kernel
        self.pairs = pairs
        self.counters = counters
    }

    enum CodingKeys: String, CodingKey {
        case classes, kernel, pairs, counters
        case featureCount = "feature_count"
    }

    /// Checks the values every model relies on: at least two strictly increasing classes, a
    /// positive feature count, a valid kernel and (if `needsKernel`) its presence.
    func validated(model: String, needsKernel: Bool = false) throws -> FittedSummary {
        func fail(_ reason: String) -> ClassifierError { .invalidState(model: model, reason: reason) }
        guard classes.count >= 2, zip(classes, classes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw fail("the classes must be at least two distinct labels in increasing order, found \(classes.prefix(20))")
        }
        guard (1...(1 << 28)).contains(featureCount) else { throw fail("the feature count \(featureCount) is not valid") }
        if needsKernel {
            guard let kernel else { throw fail("the kernel is missing") }
            do { try kernel.validate(model: model) } catch { throw fail("the stored kernel is not valid: \(error)") }
        }
        return self
    }

    /// The counter `name`, or an empty list.
    func counter(_ name: String) -> [Int] { counters[name] ?? [] }
}

/// The arrays of a stored fitted state, by name, read with their shapes checked.
public struct FittedArrays: Sendable {
    /// The model being rebuilt, for error messages.
    public let model: String
    /// The arrays, by name.
    public let tensors: [String: Tensor]

    /// Wraps named arrays for ``PersistentClassifier/join(_:_:)``.
    public init(model: String, tensors: [String: Tensor]) {
        self.model = model
        self.tensors = tensors
    }

    /// The values of the array `name`, which must have the shape `shape`; a `nil` extent takes any
    /// size, and the actual shape is returned. Every value must be finite.
    func values(_ name: String, shape: [Int?]) throws -> (shape: [Int], values: [Float]) {
        guard let tensor = tensors[name] else { throw ClassifierError.invalidState(model: model, reason: "array '\(name)' is missing") }
        let matches = tensor.shape.count == shape.count && zip(tensor.shape, shape).allSatisfy { $1 == nil || $0 == $1 }
        guard matches else {
            let expected = "[" + shape.map { $0.map(String.init) ?? "any" }.joined(separator: ", ") + "]"
            throw ClassifierError.invalidState(model: model, reason: "array '\(name)' has shape \(tensor.shape), expected \(expected)")
        }
        guard tensor.isFinite else { throw ClassifierError.invalidState(model: model, reason: "array '\(name)' holds NaN or infinite values") }
        return (tensor.shape, tensor.scalars)
    }

    /// `weights` `[features, classes]` and `intercepts` `[classes]`, the parameters of the linear models.
    func linear(_ summary: FittedSummary) throws -> (weights: [Float], intercepts: [Float]) {
        let k = summary.classes.count
        return (try values("weights", shape: [summary.featureCount, k]).values, try values("intercepts", shape: [k]).values)
    }

    /// `name` `[m, features]` (support vectors or landmarks) and `coefficients` `[m, outputs]`.
    func expansion(_ name: String, coefficients: String, _ summary: FittedSummary, outputs: Int)
        throws -> (vectors: [Float], coefficients: [Float])
    {
        let (shape, vectors) = try values(name, shape: [nil, summary.featureCount])
        return (vectors, try values(coefficients, shape: [shape[0], outputs]).values)
    }
}

/// `weights` `[features, classes]` and `intercepts` `[classes]` as named tensors.
func linearArrays(weights: [Float], intercepts: [Float], featureCount: Int) -> [(name: String, tensor: Tensor)] {
    [("weights", Tensor(shape: [featureCount, intercepts.count], scalars: weights)),
     ("intercepts", Tensor(shape: [intercepts.count], scalars: intercepts))]
}

/// Row-major `[rows, columns]` values as a named tensor, the row count taken from the length.
func matrixArray(_ name: String, _ values: [Float], columns: Int) -> (name: String, tensor: Tensor) {
    (name, Tensor(shape: [values.count / max(columns, 1), columns], scalars: values))
}
