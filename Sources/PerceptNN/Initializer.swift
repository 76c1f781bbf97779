import PerceptTensor

/// How a weight tensor is filled before training.
public enum Initializer: String, Sendable, Codable {
    /// Zeros (biases).
    case zeros
    /// Glorot (Xavier) uniform: U(−a, a) with `a = √(6 / (fanIn + fanOut))`; Keras's default.
    case glorotUniform
    /// He normal: N(0, √(2 / fanIn)), suited to ReLU layers.
    case heNormal
    /// He uniform: U(−a, a) with `a = √(6 / fanIn)`.
    case heUniform

    /// A tensor of `shape` initialised with this rule for the given fan-in and fan-out.
    public func make(shape: [Int], fanIn: Int, fanOut: Int, generator: inout RandomGenerator) -> Tensor {
        switch self {
        case .zeros:
            return Tensor(zeros: shape)
        case .glorotUniform:
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            return .uniform(shape: shape, low: -limit, high: limit, generator: &generator)
        case .heNormal:
            return .normal(shape: shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), generator: &generator)
        case .heUniform:
            let limit = (6 / Float(fanIn)).squareRoot()
            return .uniform(shape: shape, low: -limit, high: limit, generator: &generator)
        }
    }
}

/// A penalty on a layer's weights added to the training loss.
public enum Regularizer: Sendable, Equatable, Codable {
    /// `½ λ ‖W‖²`, whose gradient `λ W` is weight decay.
    case l2(Float)
}
