import PerceptAutograd
import PerceptTensor

/// An elementwise (or, for softmax, row-wise) nonlinearity.
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// The identity.
    case linear
    /// `max(x, 0)`.
    case relu
    /// `1 / (1 + e^−x)`.
    case sigmoid
    /// `tanh x`.
    case tanh
    /// Softmax over the last axis.
    case softmax

    /// Applies the activation.
    public func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .linear: return x
        case .relu: return PerceptAutograd.relu(x)
        case .sigmoid: return PerceptAutograd.sigmoid(x)
        case .tanh: return PerceptAutograd.tanh(x)
        case .softmax: return PerceptAutograd.softmax(x)
        }
    }
}

/// A layer that applies an ``Activation`` (Keras's `Activation`).
public final class ActivationLayer: Layer {
    public var name = "activation"
    public var typeName: String { "Activation" }
    /// The nonlinearity applied.
    public let activation: Activation

    /// Creates a layer applying `activation`.
    public init(_ activation: Activation) {
        self.activation = activation
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] { inputShape }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable { activation(input) }
}
