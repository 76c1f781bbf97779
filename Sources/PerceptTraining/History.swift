/// What happened in one epoch of training.
public struct EpochRecord: Sendable, Codable, Equatable {
    /// The epoch number, from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's batches (weighted by batch size), penalties included.
    public var loss: Double
    /// The training accuracy over the epoch.
    public var accuracy: Double
    /// The loss on the validation data, if any.
    public var validationLoss: Double?
    /// The accuracy on the validation data, if any.
    public var validationAccuracy: Double?
    /// Wall-clock seconds spent in the epoch's training steps (validation excluded).
    public var seconds: Double
    /// Training samples processed per second.
    public var samplesPerSecond: Double

    /// A record of one epoch.
    public init(
        epoch: Int, loss: Double, accuracy: Double, validationLoss: Double?, validationAccuracy: Double?, seconds: Double,
        samplesPerSecond: Double
    ) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case epoch, loss, accuracy, seconds
        case validationLoss = "val_loss"
        case validationAccuracy = "val_accuracy"
        case samplesPerSecond = "samples_per_second"
    }
}

/// The record of a training run, one entry per epoch (Keras's `History`).
public struct History: Sendable, Codable, Equatable {
    /// The epochs completed, in order.
    public var epochs: [EpochRecord] = []

    /// Creates an empty history.
    public init() {}

    /// A metric over the epochs by its Keras name: `loss`, `accuracy`, `val_loss`, `val_accuracy`.
    /// Missing values are NaN.
    public subscript(metric: String) -> [Double] {
        epochs.map { record in
            switch metric {
            case "loss": return record.loss
            case "accuracy": return record.accuracy
            case "val_loss": return record.validationLoss ?? .nan
            case "val_accuracy": return record.validationAccuracy ?? .nan
            default: return .nan
            }
        }
    }

    /// Whether validation metrics were recorded.
    public var hasValidation: Bool { epochs.contains { $0.validationLoss != nil } }

    /// The total seconds spent training.
    public var trainingSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
}
