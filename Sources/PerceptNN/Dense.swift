import PerceptAutograd
import PerceptTensor

/// A fully connected layer: `activation(x · W + b)` with `W` of shape `[inputs, units]`.
public final class Dense: Layer {
    public var name = "dense"
    public var typeName: String { "Dense" }
    /// The number of outputs.
    public let units: Int
    /// The nonlinearity applied to the affine map.
    public let activation: Activation
    /// Whether the layer adds a bias.
    public let useBias: Bool
    /// How the weights are initialised.
    public let kernelInitializer: Initializer
    /// An optional penalty on the weights.
    public let kernelRegularizer: Regularizer?
    /// The weights `[inputs, units]`, once built.
    public private(set) var kernel: Variable?
    /// The bias `[units]`, once built (if used).
    public private(set) var bias: Variable?

    /// Creates a dense layer.
    ///
    /// - Parameters:
    ///   - units: the number of outputs (≥ 1).
    ///   - activation: applied after the affine map; `.linear` for logits.
    ///   - kernelInitializer: defaults to He normal for ReLU and Glorot uniform otherwise.
    public init(_ units: Int, activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer? = nil, kernelRegularizer: Regularizer? = nil) {
        precondition(units >= 1, "Dense needs at least one unit, got \(units)")
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer ?? (activation == .relu ? .heNormal : .glorotUniform)
        self.kernelRegularizer = kernelRegularizer
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 1, let inputs = inputShape.first, inputs > 0 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[features] (add Flatten first)", got: inputShape)
        }
        kernel = Variable(
            kernelInitializer.make(shape: [inputs, units], fanIn: inputs, fanOut: units, generator: &generator),
            requiresGrad: true)
        bias = useBias ? Variable(Tensor(zeros: [units]), requiresGrad: true) : nil
        return [units]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard let kernel else { preconditionFailure("\(name) used before build") }
        return activation(linear(input, weight: kernel, bias: bias))
    }

    public var parameters: [Variable] { [kernel, bias].compactMap { $0 } }

    public func regularizationPenalty() -> Variable? {
        guard let kernel, case let .l2(lambda) = kernelRegularizer, lambda > 0 else { return nil }
        return l2Penalty(kernel, strength: lambda)
    }
}
