/// Errors raised by the classical classifiers when fitting or predicting.
///
/// Each message names the model, what was expected and what was found, so that a caller can fix
/// the input without reading the source.
public enum ClassifierError: Error, Equatable, CustomStringConvertible {
    /// The features are not a matrix of samples (at least two axes, samples first).
    case notAMatrix(model: String, shape: [Int])
    /// There are no samples.
    case noSamples(model: String)
    /// The number of feature rows and labels differ.
    case sampleCountMismatch(model: String, samples: Int, labels: Int)
    /// A feature is NaN or infinite.
    case nonFiniteFeature(model: String, row: Int, column: Int, value: Float)
    /// The labels name fewer than two classes.
    case singleClass(model: String, label: Int?)
    /// A hyperparameter is outside its valid range.
    case invalidHyperparameter(model: String, name: String, value: String, expected: String)
    /// Samples given to a fitted model have a different number of features than at fit time.
    case featureCountMismatch(model: String, expected: Int, got: Int)
    /// The model was used before ``Classifier/fit(_:_:)``.
    case notFitted(model: String)
    /// A numerical routine failed (for example a matrix that should be positive definite is not).
    case numericalFailure(model: String, reason: String)
    /// A stored fitted state cannot be used (its arrays or values do not fit together).
    case invalidState(model: String, reason: String)

    public var description: String {
        switch self {
        case let .notAMatrix(model, shape):
            return "\(model): features must have shape [samples, features…] (rank ≥ 2), got \(shape)"
        case let .noSamples(model):
            return "\(model): found 0 samples; fit and predict need at least one"
        case let .sampleCountMismatch(model, samples, labels):
            return "\(model): found \(samples) feature rows but \(labels) labels; they must be equal"
        case let .nonFiniteFeature(model, row, column, value):
            return "\(model): input contains \(value) at row \(row), column \(column); "
                + "features must be finite (no NaN or infinity)"
        case let .singleClass(model, label):
            let found = label.map { "only class \($0)" } ?? "no class"
            return "\(model): needs samples of at least 2 classes, the labels contain \(found)"
        case let .invalidHyperparameter(model, name, value, expected):
            return "\(model): \(name) = \(value) is invalid; expected \(expected)"
        case let .featureCountMismatch(model, expected, got):
            return "\(model): X has \(got) features, but the model was fitted with \(expected) features"
        case let .notFitted(model):
            return "\(model): this instance is not fitted yet; call fit(_:_:) before using it"
        case let .numericalFailure(model, reason):
            return "\(model): \(reason)"
        case let .invalidState(model, reason):
            return "\(model): the stored model is not valid: \(reason)"
        }
    }
}
