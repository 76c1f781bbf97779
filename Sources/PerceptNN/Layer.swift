import PerceptAutograd
import PerceptTensor

/// A building block of a network: it maps a batch of inputs to a batch of outputs and may own
/// trainable parameters.
///
/// Shapes given to and returned by ``build(inputShape:generator:)`` leave out the batch axis, as
/// in Keras: a Dense layer built for `[784]` receives batches of shape `[n, 784]`.
public protocol Layer: AnyObject {
    /// The layer's name in summaries, unique within a model (set by the model, e.g. `dense_1`).
    var name: String { get set }
    /// The layer's type as shown in summaries, e.g. `Dense`.
    var typeName: String { get }
    /// Creates the parameters for inputs of `inputShape` and returns the output shape.
    ///
    /// - Throws: ``ModelError/incompatibleInput(layer:expected:got:)`` when the layer cannot take
    ///   inputs of that shape.
    func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int]
    /// Applies the layer to a batch.
    func forward(_ input: Variable, context: ForwardContext) -> Variable
    /// The trainable parameters, in a fixed order.
    var parameters: [Variable] { get }
    /// The penalty this layer adds to the loss (e.g. an L2 weight penalty), if any.
    func regularizationPenalty() -> Variable?
    /// The number of scalars the layer keeps but does not train (e.g. running statistics).
    var nonTrainableParameterCount: Int { get }
    /// Checks the values of a batch given to the model when this layer comes first, so that bad
    /// data is refused with an error before the forward pass (e.g. ``Embedding`` checks its indices).
    func validateInput(_ input: Tensor) throws
}

extension Layer {
    public var parameters: [Variable] { [] }
    public func validateInput(_ input: Tensor) throws {}
    public func regularizationPenalty() -> Variable? { nil }
    public var nonTrainableParameterCount: Int { 0 }
}

/// What a forward pass needs besides its input: whether it is training (dropout active) and a
/// random generator for stochastic layers.
public final class ForwardContext {
    /// True while fitting, false while evaluating or predicting.
    public let isTraining: Bool
    /// The generator stochastic layers draw from.
    public var generator: RandomGenerator
    /// The padding mask `[batch, steps]` (1 = real step, 0 = padding) set by an `Embedding` with
    /// `maskZero` for the recurrent layers after it; `nil` when there is none.
    public var sequenceMask: Tensor?
    /// The last ``Embedding`` lookup: its indices, table and output, so that a recurrent layer
    /// reading that output can project the table's rows per distinct word instead.
    var embeddedTokens: (indices: Tensor, table: Variable, output: Variable)?

    /// Creates a context.
    public init(isTraining: Bool, generator: RandomGenerator = RandomGenerator(seed: 0)) {
        self.isTraining = isTraining
        self.generator = generator
    }
}
