import PerceptAutograd
import PerceptTensor

/// Inverted dropout: while training, each input is zeroed with probability `rate` and the survivors
/// are scaled by `1 / (1 − rate)`, so inference needs no rescaling. Identity when not training.
public final class Dropout: Layer {
    public var name = "dropout"
    public var typeName: String { "Dropout" }
    /// The probability of dropping each input, in `[0, 1)`.
    public let rate: Float

    /// Creates a dropout layer with the given drop probability.
    public init(_ rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] { inputShape }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard context.isTraining, rate > 0 else { return input }
        let keep = 1 - rate
        let scale = 1 / keep
        let mask = Tensor(shape: input.shape) { out in
            for i in 0..<out.count { out[i] = context.generator.nextUniform() < keep ? scale : 0 }
        }
        return multiply(input, constant: mask)
    }
}
