import Foundation
import PerceptNN
import PerceptReports
import PerceptTensor
import PerceptTraining

/// A training checkpoint: one safetensors file, `checkpoint.safetensors` in its directory, holding
/// the model (as ``ModelFile`` writes it), the optimizer's state tensors (`optimizer.<parameter
/// index>.<slot>`) and the rest of the ``TrainingProgress`` as JSON metadata (`percept.training`).
///
/// Each write goes to a temporary file that is flushed and renamed over the previous checkpoint,
/// so a crash at any moment leaves either the old checkpoint or the new one, never a torn file.
public enum Checkpoint {
    /// The file name inside the checkpoint directory.
    public static let fileName = "checkpoint.safetensors"
    /// The metadata key holding the progress JSON.
    public static let progressKey = "percept.training"
    private static let optimizerPrefix = "optimizer."

    struct ProgressRecord: Codable {
        var completedEpochs: Int
        var history: History
        var shuffleGenerator: RandomGenerator
        var dropoutGenerator: RandomGenerator
        var optimizerStep: Int
        var learningRate: Float
        var slotCounts: [Int]

        enum CodingKeys: String, CodingKey {
            case history
            case completedEpochs = "completed_epochs"
            case shuffleGenerator = "shuffle_generator"
            case dropoutGenerator = "dropout_generator"
            case optimizerStep = "optimizer_step"
            case learningRate = "learning_rate"
            case slotCounts = "slot_counts"
        }
    }

    /// The checkpoint file in `directory`.
    public static func url(in directory: URL) -> URL {
        directory.appendingPathComponent(fileName)
    }

    /// Writes the model and the progress to `directory` (created if needed), atomically.
    public static func write(model: Sequential, progress: TrainingProgress, to directory: URL) throws {
        let record = ProgressRecord(
            completedEpochs: progress.completedEpochs, history: progress.history,
            shuffleGenerator: progress.shuffleGenerator, dropoutGenerator: progress.dropoutGenerator,
            optimizerStep: progress.optimizerStep, learningRate: progress.learningRate,
            slotCounts: progress.optimizerSlots.map(\.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        var slots: [(name: String, tensor: Tensor)] = []
        for (index, parameterSlots) in progress.optimizerSlots.enumerated() {
            for (slot, tensor) in parameterSlots.enumerated() { slots.append(("\(optimizerPrefix)\(index).\(slot)", tensor)) }
        }
        let file = try ModelFile.encode(model, extraTensors: slots, extraMetadata: [progressKey: json])
        try AtomicFileWriter.write(try file.encoded(), to: url(in: directory))
    }

    /// Reads the checkpoint in `directory`: the model with its weights, and the progress.
    public static func read(from directory: URL) throws -> (model: Sequential, progress: TrainingProgress) {
        let location = url(in: directory)
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw IOError.unreadable(path: location.path, reason: "no checkpoint here (train with --checkpoint-dir to make one)")
        }
        let file = try SafetensorsFile.read(contentsOf: location)
        let model = try ModelFile.decode(file, path: location.path, ignoringPrefixes: [optimizerPrefix])
        guard let json = file.metadata[progressKey] else {
            throw IOError.unsupported(path: location.path, reason: "no '\(progressKey)' metadata: a model file, not a checkpoint")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let record: ProgressRecord
        do {
            record = try decoder.decode(ProgressRecord.self, from: Data(json.utf8))
        } catch {
            throw IOError.malformed(path: location.path, reason: "the training progress is not valid: \(error)")
        }
        let parameters = model.parameters
        guard record.slotCounts.count == parameters.count, record.slotCounts.allSatisfy({ (0...8).contains($0) }),
              record.completedEpochs >= 0, record.completedEpochs == record.history.epochs.count
        else {
            throw IOError.malformed(path: location.path, reason: "the training progress does not match the model")
        }
        var slots: [[Tensor]] = []
        for (index, count) in record.slotCounts.enumerated() {
            slots.append(try (0..<count).map { slot in
                let name = "\(optimizerPrefix)\(index).\(slot)"
                guard let tensor = file[name], tensor.shape == parameters[index].shape else {
                    throw IOError.malformed(path: location.path, reason: "optimizer tensor '\(name)' is missing or misshapen")
                }
                return tensor
            })
        }
        let progress = TrainingProgress(
            completedEpochs: record.completedEpochs, history: record.history, shuffleGenerator: record.shuffleGenerator,
            dropoutGenerator: record.dropoutGenerator, optimizerStep: record.optimizerStep,
            learningRate: record.learningRate, optimizerSlots: slots)
        return (model, progress)
    }
}

/// Writes a checkpoint after every epoch; a failed write stops training and is kept in ``error``.
public final class CheckpointWriter {
    /// The model being trained.
    public let model: Sequential
    /// Where the checkpoint goes.
    public let directory: URL
    /// The error of a failed write, if any.
    public private(set) var error: (any Error)?

    /// Creates a writer for `model` into `directory`.
    public init(model: Sequential, directory: URL) {
        self.model = model
        self.directory = directory
    }

    /// The callback to pass to `fit`.
    public var callback: Callback {
        Callback { [self] event in
            guard case let .progressSaved(progress) = event else { return .proceed }
            do {
                try Checkpoint.write(model: model, progress: progress, to: directory)
                return .proceed
            } catch {
                self.error = error
                return .stopTraining
            }
        }
    }
}
