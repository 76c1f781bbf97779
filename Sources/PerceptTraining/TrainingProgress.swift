import PerceptNN
import PerceptTensor

/// Everything `fit` needs, besides the model's weights, to continue a run after its last completed
/// epoch exactly as if it had not stopped: the history, the random generators' states and the
/// optimizer's state.
public struct TrainingProgress: Sendable, Equatable {
    /// The epochs completed so far.
    public var completedEpochs: Int
    /// Their records.
    public var history: History
    /// The state of the generator that shuffles the batches.
    public var shuffleGenerator: RandomGenerator
    /// The state of the generator that draws dropout masks.
    public var dropoutGenerator: RandomGenerator
    /// The optimizer's update count.
    public var optimizerStep: Int
    /// The optimizer's learning rate.
    public var learningRate: Float
    /// The optimizer's state tensors, one list per model parameter, in ``PerceptNN/Sequential/parameters`` order.
    public var optimizerSlots: [[Tensor]]

    /// Creates a progress record.
    public init(completedEpochs: Int, history: History, shuffleGenerator: RandomGenerator,
                dropoutGenerator: RandomGenerator, optimizerStep: Int, learningRate: Float, optimizerSlots: [[Tensor]]) {
        self.completedEpochs = completedEpochs
        self.history = history
        self.shuffleGenerator = shuffleGenerator
        self.dropoutGenerator = dropoutGenerator
        self.optimizerStep = optimizerStep
        self.learningRate = learningRate
        self.optimizerSlots = optimizerSlots
    }
}
