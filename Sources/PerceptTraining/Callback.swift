/// Something that happens during ``PerceptNN/Sequential/fit(_:_:epochs:batchSize:validationSplit:validationData:shuffle:seed:callbacks:verbose:)``.
public enum TrainingEvent: Sendable {
    /// Training starts: the number of epochs, of batches per epoch and of training samples.
    case trainingBegan(epochs: Int, stepsPerEpoch: Int, samples: Int)
    /// An epoch starts (numbered from 1).
    case epochBegan(epoch: Int)
    /// A batch was processed: its step (from 1), and the running means of the epoch so far.
    case batchEnded(epoch: Int, step: Int, samplesSeen: Int, loss: Double, accuracy: Double)
    /// An epoch ended.
    case epochEnded(EpochRecord)
    /// After each epoch: the state from which training can resume (see
    /// ``PerceptNN/Sequential/fit(_:_:epochs:batchSize:validationSplit:validationData:shuffle:seed:callbacks:verbose:resumingFrom:)``).
    case progressSaved(TrainingProgress)
    /// Training ended, normally or stopped by a callback.
    case trainingEnded(History)
}

/// A callback's answer: go on, or stop after the current epoch.
public enum CallbackDecision: Sendable {
    case proceed
    case stopTraining
}

/// A function called at each ``TrainingEvent`` (Keras's callbacks, as an event enum).
public struct Callback {
    /// The function, called with each event.
    public let handle: (TrainingEvent) -> CallbackDecision

    /// Creates a callback from a function of the event.
    public init(_ handle: @escaping (TrainingEvent) -> CallbackDecision) {
        self.handle = handle
    }

    /// Stops training when `val_loss` (or `loss` without validation data) has not improved by
    /// `minDelta` for `patience` epochs.
    public static func earlyStopping(patience: Int, minDelta: Double = 0) -> Callback {
        var best = Double.infinity
        var waited = 0
        return Callback { event in
            guard case let .epochEnded(record) = event else { return .proceed }
            let monitored = record.validationLoss ?? record.loss
            if monitored < best - minDelta {
                best = monitored
                waited = 0
                return .proceed
            }
            waited += 1
            return waited >= patience ? .stopTraining : .proceed
        }
    }
}
