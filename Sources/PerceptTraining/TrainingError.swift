/// Errors that stop training.
public enum TrainingError: Error, CustomStringConvertible {
    /// The loss became NaN or infinite; the weights are those from before that step.
    case nonFiniteLoss(epoch: Int, step: Int, value: Double, history: History)
    /// A gradient became NaN or infinite; the weights are those from before that step.
    case nonFiniteGradient(epoch: Int, step: Int, history: History)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, step, value, _):
            return "training stopped: the loss became \(value) at epoch \(epoch), step \(step); "
                + "the weights from before that step are kept (try a lower learning rate or gradient clipping)"
        case let .nonFiniteGradient(epoch, step, _):
            return "training stopped: a gradient became non-finite at epoch \(epoch), step \(step); "
                + "the weights from before that step are kept (try a lower learning rate or gradient clipping)"
        }
    }
}
