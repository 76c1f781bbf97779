import PerceptAutograd
import PerceptTensor

/// Turns token indices into dense vectors: `[steps]` → `[steps, outputDimension]` (Keras's
/// `Embedding`).
///
/// Indices travel through the model as a Float tensor of whole numbers (exact up to 2²⁴), so a
/// batch of padded sequences is a `[n, steps]` tensor of word indices. With `maskZero`, index 0 is
/// padding: the layer publishes a mask in ``ForwardContext/sequenceMask`` that the recurrent
/// layers after it use to skip padded steps.
public final class Embedding: Layer {
    public var name = "embedding"
    public var typeName: String { "Embedding" }
    /// The number of distinct indices, `0..<inputDimension`.
    public let inputDimension: Int
    /// The length of each vector.
    public let outputDimension: Int
    /// Whether index 0 means padding.
    public let maskZero: Bool
    /// The table `[inputDimension, outputDimension]`, once built.
    public private(set) var table: Variable?

    /// Creates an embedding of `inputDimension` indices into vectors of `outputDimension`,
    /// initialised uniformly in ±0.05 as Keras does.
    public init(inputDimension: Int, outputDimension: Int, maskZero: Bool = false) {
        precondition(inputDimension >= 1 && outputDimension >= 1,
                     "Embedding needs positive dimensions, got \(inputDimension) and \(outputDimension)")
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.maskZero = maskZero
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 1, inputShape[0] > 0 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[steps] (token indices)", got: inputShape)
        }
        table = Variable(Tensor.uniform(shape: [inputDimension, outputDimension], low: -0.05, high: 0.05,
                                        generator: &generator), requiresGrad: true)
        return [inputShape[0], outputDimension]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard let table else { preconditionFailure("\(name) used before build") }
        context.sequenceMask = maskZero ? input.value.map { $0 == 0 ? 0 : 1 } : nil
        let output = embedding(input.value, table: table)
        context.embeddedTokens = (input.value, table, output)
        return output
    }

    public var parameters: [Variable] { [table].compactMap { $0 } }

    /// Throws ``ModelError/invalidInputValue(layer:sample:position:reason:)`` for the first value
    /// that is not a whole number in `0..<inputDimension`.
    public func validateInput(_ input: Tensor) throws {
        let limit = Float(inputDimension)
        let bad = input.withUnsafeBufferPointer { values in
            values.firstIndex { !($0 >= 0 && $0 < limit && $0.rounded(.down) == $0) }
        }
        guard let bad else { return }
        let steps = max(input.shape.dropFirst().reduce(1, *), 1)
        throw ModelError.invalidInputValue(
            layer: name, sample: bad / steps, position: bad % steps,
            reason: "index \(input.scalars[bad]) is not a whole number in 0..<\(inputDimension) (the embedding's input dimension; "
                + "is the vocabulary larger than the model's?)")
    }
}
