#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PerceptNN

/// How the learning rate changes from epoch to epoch (Keras's `LearningRateScheduler`).
public enum LearningRateSchedule: Sendable, Equatable {
    /// The optimizer's rate throughout.
    case constant
    /// Cosine decay from the initial rate at the first epoch to `minimumFraction` of it at the last:
    /// `η_e = η₀ (f + (1 − f) (1 + cos(π e / (E − 1))) / 2)` for epochs `e = 0 … E − 1`.
    case cosine(minimumFraction: Float)
    /// Multiply the rate by `factor` after every epoch.
    case exponential(factor: Float)

    /// The rate for `epoch` (from 1) of `epochs`, starting from `initial`.
    public func rate(epoch: Int, of epochs: Int, initial: Float) -> Float {
        switch self {
        case .constant:
            return initial
        case let .cosine(floor):
            guard epochs > 1 else { return initial }
            let progress = Float(epoch - 1) / Float(epochs - 1)
            return initial * (floor + (1 - floor) * (1 + cosf(.pi * progress)) / 2)
        case let .exponential(factor):
            return initial * powf(factor, Float(epoch - 1))
        }
    }

    /// A callback that sets `optimizer`'s learning rate at the start of each epoch.
    public func callback(for optimizer: any Optimizer) -> Callback {
        let initial = optimizer.learningRate
        var epochs = 1
        return Callback { event in
            switch event {
            case let .trainingBegan(total, _, _):
                epochs = total
            case let .epochBegan(epoch):
                optimizer.learningRate = rate(epoch: epoch, of: epochs, initial: initial)
            default:
                break
            }
            return .proceed
        }
    }
}
