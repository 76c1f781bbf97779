import PerceptAutograd
import PerceptTensor

/// Collects layers written one per line into an array (`Sequential { Dense(10) … }`).
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
    public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
    public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}

/// A stack of layers applied one after the other, Keras's `Sequential`.
///
/// ```swift
/// let model = Sequential {
///     Flatten()
///     Dense(256, activation: .relu)
///     Dense(10)
/// }
/// try model.build(inputShape: [28, 28], seed: 42)
/// model.compile(optimizer: Adam(), loss: .crossEntropy)
/// let history = try model.fit(x, y, epochs: 10, batchSize: 128)
/// ```
///
/// Training, evaluation and prediction are in the `PerceptTraining` module.
public final class Sequential {
    /// The layers, input first.
    public let layers: [any Layer]
    /// The shape of one input sample, once built.
    public private(set) var inputShape: [Int]?
    /// The shape of each layer's output for one sample, once built.
    public private(set) var outputShapes: [[Int]] = []
    /// The optimizer set by ``compile(optimizer:loss:)``.
    public private(set) var optimizer: (any Optimizer)?
    /// The loss set by ``compile(optimizer:loss:)``.
    public private(set) var loss: Loss?

    /// Creates a model from layers.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// Creates a model from layers listed in a builder block.
    public convenience init(@LayerBuilder _ layers: () -> [any Layer]) {
        self.init(layers())
    }

    /// Whether ``build(inputShape:seed:)`` has run.
    public var isBuilt: Bool { inputShape != nil }

    /// The shape of one output sample, once built.
    public var outputShape: [Int]? { outputShapes.last ?? inputShape }

    /// Creates every layer's parameters for samples of `inputShape`, initialised from `seed`, and
    /// names the layers as Keras does (`dense`, `dense_1`, …).
    ///
    /// - Throws: ``ModelError/incompatibleInput(layer:expected:got:)`` naming the first layer that
    ///   cannot take its input.
    public func build(inputShape: [Int], seed: UInt64 = 0) throws {
        var generator = RandomGenerator(seed: seed)
        var counts: [String: Int] = [:]
        var shape = inputShape
        var shapes: [[Int]] = []
        for layer in layers {
            let base = snakeCase(layer.typeName)
            let index = counts[base, default: 0]
            counts[base] = index + 1
            layer.name = index == 0 ? base : "\(base)_\(index)"
            shape = try layer.build(inputShape: shape, generator: &generator)
            shapes.append(shape)
        }
        self.inputShape = inputShape
        outputShapes = shapes
    }

    /// Sets the optimizer and the loss used by training.
    public func compile(optimizer: any Optimizer, loss: Loss) {
        self.optimizer = optimizer
        self.loss = loss
    }

    /// Applies every layer to a batch.
    public func callAsFunction(_ input: Variable, context: ForwardContext) -> Variable {
        layers.reduce(input) { $1.forward($0, context: context) }
    }

    /// Every trainable parameter, layer by layer.
    public var parameters: [Variable] { layers.flatMap(\.parameters) }

    /// The sum of the layers' regularisation penalties, if any layer has one.
    public func regularizationPenalty() -> Variable? {
        let penalties = layers.compactMap { $0.regularizationPenalty() }
        guard var total = penalties.first else { return nil }
        for penalty in penalties.dropFirst() { total = total + penalty }
        return total
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// A table of the layers with their output shapes and parameter counts, in Keras's layout.
    public func summary() -> String {
        guard isBuilt else { return "Model: \"sequential\" (not built: call build(inputShape:seed:) or fit first)" }
        let widths = [29, 26, 12]
        func row(_ cells: [String]) -> String {
            var line = " "
            for (cell, width) in zip(cells, widths) {
                line += cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
            }
            return line.trimmingSuffixSpaces()
        }
        let ruleWidth = widths.reduce(1, +)
        var lines = [
            "Model: \"sequential\"",
            String(repeating: "_", count: ruleWidth),
            row(["Layer (type)", "Output Shape", "Param #"]),
            String(repeating: "=", count: ruleWidth),
        ]
        for (index, (layer, shape)) in zip(layers, outputShapes).enumerated() {
            let count = layer.parameters.reduce(0) { $0 + $1.value.count }
            let shapeText = "(" + (["None"] + shape.map(String.init)).joined(separator: ", ") + ")"
            lines.append(row(["\(layer.name) (\(layer.typeName))", shapeText, groupedThousands(count)]))
            if index < layers.count - 1 { lines.append("") }
        }
        let total = parameterCount
        lines += [
            String(repeating: "=", count: ruleWidth),
            "Total params: \(groupedThousands(total))",
            "Trainable params: \(groupedThousands(total))",
            "Non-trainable params: 0",
            String(repeating: "_", count: ruleWidth),
        ]
        return lines.joined(separator: "\n")
    }
}

/// `12345678` → `12,345,678`.
public func groupedThousands(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return value < 0 ? "-" + result : result
}

/// `MaxPool2D` → `max_pool2d`, `Dense` → `dense`, `SimpleRNN` → `simple_rnn`, `LSTM` → `lstm`.
func snakeCase(_ name: String) -> String {
    var result = ""
    var previous: Character?
    for character in name {
        defer { previous = character }
        if character.isUppercase {
            if previous?.isLowercase == true { result.append("_") }
            result.append(Character(character.lowercased()))
        } else {
            result.append(character)
        }
    }
    return result
}

extension String {
    func trimmingSuffixSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
