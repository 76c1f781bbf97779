import PerceptAutograd
import PerceptTensor

/// Batch normalization over the last axis (channels): while training, each channel is normalized
/// with the mean and variance of the batch (over every other axis) and the running averages are
/// updated; at inference, the running averages are used. Then `γ · x̂ + β`, with `γ` and `β`
/// trained.
///
/// As in Keras: `momentum` 0.99, `epsilon` 0.001, running mean 0 and variance 1 at the start;
/// the summary counts the running statistics as non-trainable parameters.
public final class BatchNormalization: Layer {
    public var name = "batch_normalization"
    public var typeName: String { "BatchNormalization" }
    /// The weight of the old running averages in each update.
    public let momentum: Float
    /// Added to the variance before its square root.
    public let epsilon: Float
    /// The scale `γ` per channel, once built (starts at 1).
    public private(set) var gamma: Variable?
    /// The shift `β` per channel, once built (starts at 0).
    public private(set) var beta: Variable?
    /// The running mean per channel, used at inference.
    public internal(set) var movingMean: Tensor?
    /// The running (biased) variance per channel, used at inference.
    public internal(set) var movingVariance: Tensor?

    /// Creates a batch normalization layer.
    public init(momentum: Float = 0.99, epsilon: Float = 0.001) {
        precondition(momentum >= 0 && momentum <= 1, "BatchNormalization momentum must be in [0, 1], got \(momentum)")
        precondition(epsilon > 0, "BatchNormalization epsilon must be positive, got \(epsilon)")
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard let channels = inputShape.last, channels > 0 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[…, channels]", got: inputShape)
        }
        gamma = Variable(Tensor(repeating: 1, shape: [channels]), requiresGrad: true)
        beta = Variable(Tensor(zeros: [channels]), requiresGrad: true)
        movingMean = Tensor(zeros: [channels])
        movingVariance = Tensor(repeating: 1, shape: [channels])
        return inputShape
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard let gamma, let beta, let movingMean, let movingVariance else {
            preconditionFailure("\(name) used before build")
        }
        guard context.isTraining else {
            return batchNormalization(
                input, gamma: gamma, beta: beta, mean: movingMean, variance: movingVariance, epsilon: epsilon)
        }
        let (output, mean, variance) = batchNormalization(input, gamma: gamma, beta: beta, epsilon: epsilon)
        self.movingMean = movingMean * momentum + mean * (1 - momentum)
        self.movingVariance = movingVariance * momentum + variance * (1 - momentum)
        return output
    }

    public var parameters: [Variable] { [gamma, beta].compactMap { $0 } }

    public var nonTrainableParameterCount: Int { (movingMean?.count ?? 0) + (movingVariance?.count ?? 0) }
}
