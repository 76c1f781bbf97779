import ArgumentParser
import Foundation
import Percept

/// Options shared by the `percept train` subcommands of the classical classifiers.
struct ClassicalOptions: ParsableArguments {
    @Option(help: "Fit on the first N training samples only (default: all).")
    var trainLimit: Int?

    @Option(help: "Threads the work is split between (default: all cores; OpenBLAS itself runs on one).")
    var threads: Int?

    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Write per-class-accuracy.csv and per-class-accuracy.svg to this folder.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("Save the fitted model to this file (safetensors with the hyperparameters), for percept evaluate and predict.",
                               valueName: "file"))
    var save: String?

    @Flag(help: "Print only the final result.")
    var quiet = false

    func validate() throws {
        if let trainLimit, trainLimit < 2 { throw ValidationError("--train-limit must be at least 2, got \(trainLimit)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}

/// The JSON report of a classical model's run: the keys of ``TrainingReport`` that apply, plus
/// the hyperparameters and `predict_seconds`.
struct ClassicalReport: Codable {
    var model: String
    var dataset: String
    var loss: String
    var epochs: Int
    var hyperparameters: [String: String]
    var trainSamples: Int
    var testSamples: Int
    var testAccuracy: Double
    var trainSeconds: Double
    var trainSamplesPerSecond: Double
    var predictSeconds: Double
    var history: [EpochRecord]
    var details: [String: Double]
    var blasThreads: Int?
    var perceptVersion: String

    enum CodingKeys: String, CodingKey {
        case model, dataset, loss, epochs, hyperparameters, history, details
        case trainSamples = "train_samples"
        case testSamples = "test_samples"
        case testAccuracy = "test_accuracy"
        case trainSeconds = "train_seconds"
        case trainSamplesPerSecond = "train_samples_per_second"
        case predictSeconds = "predict_seconds"
        case blasThreads = "blas_threads"
        case perceptVersion = "percept_version"
    }

    func json() throws -> Data { try reportJSON(self) }
}

/// What fitting and evaluating one model measured.
struct ClassifierOutcome {
    var accuracy: Double
    var fitSeconds: Double
    var predictSeconds: Double
    var predictions: [Int]
}

/// Seconds elapsed while running `body`.
func measureSeconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Fits `model` on `train`, predicts `test` and times both.
func fitAndEvaluate<Model: Classifier>(_ model: inout Model, train: LabeledDataset, test: LabeledDataset) throws
    -> ClassifierOutcome
{
    let ((), fitSeconds) = try measureSeconds { try model.fit(train.features, train.labels) }
    let fittedModel = model
    let (predictions, predictSeconds) = try measureSeconds { try fittedModel.predict(test.features) }
    let correct = zip(predictions, test.labels).filter { $0 == $1 }.count
    return ClassifierOutcome(accuracy: Double(correct) / Double(max(test.count, 1)), fitSeconds: fitSeconds,
                             predictSeconds: predictSeconds, predictions: predictions)
}

/// The data of a classical run: the chosen dataset, cut to `--train-limit`.
func loadClassicalData(_ data: DataOptions, limit: Int?) throws -> (train: LabeledDataset, test: LabeledDataset, name: String) {
    var (train, test, name) = try data.load()
    if let limit, limit < train.count { train = train.subset(0..<limit) }
    return (train, test, name)
}

/// Fits a classical model, prints its test accuracy and writes the report and per-class files.
func runClassical<Model: PersistentClassifier>(
    _ model: Model, name: String, loss: String, hyperparameters: [String: String], data: DataOptions,
    options: ClassicalOptions, details: (Model) -> [String: Double] = { _ in [:] }
) throws {
    if let threads = options.threads { BLAS.setThreadCount(threads) }
    let (train, test, datasetName) = try loadClassicalData(data, limit: options.trainLimit)
    if !options.quiet {
        let settings = hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("\(name) on \(datasetName): fitting on \(train.count) samples (\(settings))")
    }
    var fittedModel = model
    let outcome: ClassifierOutcome
    do {
        outcome = try fitAndEvaluate(&fittedModel, train: train, test: test)
    } catch let error as ClassifierError {
        throw ValidationError(error.description)
    }
    print("\(name) on \(datasetName): test accuracy \(fixed4(outcome.accuracy)) (\(test.count) samples), fit "
        + String(format: "%.2f", outcome.fitSeconds) + " s, predict " + String(format: "%.2f", outcome.predictSeconds) + " s")
    if let output = options.output {
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        try writePerClassAccuracy(predictions: outcome.predictions, test: test, title: "\(name) on \(datasetName)",
                                  to: directory)
        if !options.quiet { print("wrote \(directory.path)/per-class-accuracy.csv and per-class-accuracy.svg") }
    }
    if let path = options.save {
        try ClassifierFile.save(fittedModel, to: URL(fileURLWithPath: path))
        if !options.quiet { print("wrote \(path)") }
    }
    if let reportPath = options.report {
        let report = ClassicalReport(
            model: name, dataset: datasetName, loss: loss, epochs: 1, hyperparameters: hyperparameters,
            trainSamples: train.count, testSamples: test.count, testAccuracy: outcome.accuracy,
            trainSeconds: outcome.fitSeconds, trainSamplesPerSecond: Double(train.count) / max(outcome.fitSeconds, 1e-9),
            predictSeconds: outcome.predictSeconds, history: [], details: details(fittedModel),
            blasThreads: BLAS.threadCount, perceptVersion: perceptVersion)
        try AtomicFileWriter.write(try report.json(), to: URL(fileURLWithPath: reportPath))
        if !options.quiet { print("wrote \(reportPath)") }
    }
}

/// Writes the test accuracy of each class as CSV and as a bar chart.
func writePerClassAccuracy(predictions: [Int], test: LabeledDataset, title: String, to directory: URL) throws {
    var correct = [Int](repeating: 0, count: test.classCount)
    var total = [Int](repeating: 0, count: test.classCount)
    for (predicted, label) in zip(predictions, test.labels) {
        total[label] += 1
        if predicted == label { correct[label] += 1 }
    }
    let accuracies = (0..<test.classCount).map { total[$0] == 0 ? Double.nan : Double(correct[$0]) / Double(total[$0]) }
    var csv = CSVWriter(header: ["class", "samples", "accuracy"])
    csv.lineEnding = "\n"
    for k in 0..<test.classCount { csv.append([.integer(k), .integer(total[k]), .number(accuracies[k])]) }
    try AtomicFileWriter.write(csv.text, to: directory.appendingPathComponent("per-class-accuracy.csv"))
    let chart = BarChart(title: "\(title): test accuracy per class", valueLabel: "accuracy",
                         bars: (0..<test.classCount).map { ("\($0)", accuracies[$0]) }, valueFormat: .percent(decimals: 1))
    try AtomicFileWriter.write(chart.svg(), to: directory.appendingPathComponent("per-class-accuracy.svg"))
}

/// Parses `--kernel` names into a ``Kernel``.
func makeKernel(_ name: String, gamma: Float, degree: Int, coef0: Float) throws -> Kernel {
    guard let kind = Kernel.Kind(rawValue: name == "poly" ? "polynomial" : name) else {
        throw ValidationError("unknown kernel '\(name)'; available: linear, poly, rbf, sigmoid")
    }
    return Kernel(kind: kind, gamma: gamma, coef0: coef0, degree: degree)
}
