import Foundation
import Percept

/// The JSON report of a training run (`--report FILE.json`); other tools read these keys.
struct TrainingReport: Codable {
    var model: String
    var dataset: String
    var loss: String
    var epochs: Int
    var batchSize: Int
    var seed: UInt64
    var optimizer: String
    var learningRate: Double
    var schedule: String
    var parameters: Int
    var trainSamples: Int
    var testSamples: Int
    var testAccuracy: Double
    var testLoss: Double
    var trainSeconds: Double
    var trainSamplesPerSecond: Double
    var history: [EpochRecord]
    var blasThreads: Int?
    var perceptVersion: String

    enum CodingKeys: String, CodingKey {
        case model, dataset, loss, epochs, seed, optimizer, schedule, parameters, history
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case trainSamples = "train_samples"
        case testSamples = "test_samples"
        case testAccuracy = "test_accuracy"
        case testLoss = "test_loss"
        case trainSeconds = "train_seconds"
        case trainSamplesPerSecond = "train_samples_per_second"
        case blasThreads = "blas_threads"
        case perceptVersion = "percept_version"
    }

    /// The report as pretty-printed JSON with sorted keys.
    func json() throws -> Data { try reportJSON(self) }
}

/// A report as pretty-printed JSON with sorted keys; non-finite numbers are written as strings.
func reportJSON(_ report: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try encoder.encode(report)
}

/// The version printed in reports and by `percept --version`.
let perceptVersion = "0.1.0"

/// Writes a run's artefacts: `history.csv` and `training-curves.svg` in `directory`.
func writeTrainingOutputs(history: History, title: String, to directory: URL) throws {
    let metrics: [(name: String, values: [Double])] =
        [("loss", history["loss"]), ("accuracy", history["accuracy"])]
        + (history.hasValidation ? [("val_loss", history["val_loss"]), ("val_accuracy", history["val_accuracy"])] : [])
    var csv = CSVWriter.table(columns: metrics, indexColumn: "epoch", firstIndex: 1)
    csv.lineEnding = "\n"
    try AtomicFileWriter.write(csv.text, to: directory.appendingPathComponent("history.csv"))
    try AtomicFileWriter.write(
        TrainingCurves.svg(history: metrics, title: title), to: directory.appendingPathComponent("training-curves.svg"))
}
