/// Errors raised while building, configuring or feeding a model.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A layer cannot take inputs of the given shape.
    case incompatibleInput(layer: String, expected: String, got: [Int])
    /// Data given to the model does not have the shape it was built for; `expected` is the shape
    /// of one sample, `got` the full shape with the batch axis first.
    case shapeMismatch(what: String, expected: [Int], got: [Int])
    /// The number of samples and labels differ.
    case sampleCountMismatch(samples: Int, labels: Int)
    /// A label is outside the classes the model predicts.
    case labelOutOfRange(index: Int, label: Int, classes: Int)
    /// The model was used before ``Sequential/build(inputShape:seed:)``.
    case notBuilt
    /// Training was asked for before ``Sequential/compile(optimizer:loss:)``.
    case notCompiled
    /// An argument is outside its valid range.
    case invalidArgument(name: String, reason: String)
    /// A stored layer configuration cannot be used.
    case invalidConfiguration(layer: String, key: String, reason: String)
    /// A value of the input cannot be used by a layer (e.g. a word index outside an embedding's
    /// table); `sample` and `position` locate it.
    case invalidInputValue(layer: String, sample: Int, position: Int, reason: String)

    public var description: String {
        switch self {
        case let .incompatibleInput(layer, expected, got):
            return "layer \(layer) expects input of shape \(expected) (without the batch axis) but got \(got)"
        case let .shapeMismatch(what, expected, got):
            let expectedText = "[" + (["n"] + expected.map(String.init)).joined(separator: ", ") + "]"
            return "\(what) has shape \(got) but the model expects \(expectedText) (n samples)"
        case let .sampleCountMismatch(samples, labels):
            return "found \(samples) samples but \(labels) labels; they must be equal"
        case let .labelOutOfRange(index, label, classes):
            return "label \(label) at index \(index) is outside 0..<\(classes), the classes the model predicts"
        case .notBuilt:
            return "the model is not built yet: call build(inputShape:seed:) or fit first"
        case .notCompiled:
            return "the model is not compiled: call compile(optimizer:loss:) before fit or evaluate"
        case let .invalidArgument(name, reason):
            return "invalid \(name): \(reason)"
        case let .invalidConfiguration(layer, key, reason):
            return "layer \(layer): configuration key '\(key)': \(reason)"
        case let .invalidInputValue(layer, sample, position, reason):
            return "layer \(layer): sample \(sample), position \(position): \(reason)"
        }
    }
}
