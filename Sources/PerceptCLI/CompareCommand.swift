import ArgumentParser
import Foundation
import Percept

/// `percept compare`: trains every classifier on one dataset and writes the comparison table
/// (accuracy, fit seconds, predict seconds) as JSON, Markdown, CSV and an SVG bar chart.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train every classifier on a dataset and write the comparison table (Markdown, CSV, SVG).",
        discussion: "Models (default: all): \(ComparisonEntry.all.map(\.name).joined(separator: ", ")). "
            + "Each uses the defaults of its 'percept train' subcommand.")

    @OptionGroup var data: DataOptions

    @Option(help: ArgumentHelp("Comma-separated models to compare (default: all).", valueName: "names"))
    var models: String?

    @Option(help: "Fit on the first N training samples only (default: all).")
    var trainLimit: Int?

    @Option(help: "Training epochs of the multilayer perceptrons.")
    var mlpEpochs: Int = 20

    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Write comparison.md, comparison.csv and comparison.svg to this folder.", valueName: "dir"))
    var output: String?

    func validate() throws {
        if let trainLimit, trainLimit < 2 { throw ValidationError("--train-limit must be at least 2, got \(trainLimit)") }
        guard mlpEpochs >= 1 else { throw ValidationError("--mlp-epochs must be at least 1, got \(mlpEpochs)") }
        _ = try selectedEntries()
    }

    func selectedEntries() throws -> [ComparisonEntry] {
        guard let models else { return ComparisonEntry.all }
        return try models.split(separator: ",").map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let entry = ComparisonEntry.all.first(where: { $0.name == name }) else {
                throw ValidationError("unknown model '\(name)' in --models; available: "
                    + ComparisonEntry.all.map(\.name).joined(separator: ", "))
            }
            return entry
        }
    }

    func run() throws {
        let entries = try selectedEntries()
        let (train, test, datasetName) = try loadClassicalData(data, limit: trainLimit)
        print("comparing \(entries.count) models on \(datasetName) (\(train.count) training, \(test.count) test samples)")
        var rows: [ComparisonRow] = []
        for entry in entries {
            let outcome: ClassifierOutcome
            do {
                outcome = try entry.run(train, test, self)
            } catch let error as ClassifierError {
                throw ValidationError("\(entry.name): \(error.description)")
            }
            let row = ComparisonRow(model: entry.name, testAccuracy: outcome.accuracy, fitSeconds: outcome.fitSeconds,
                                    predictSeconds: outcome.predictSeconds, trainSamples: train.count)
            print("  \(entry.name): accuracy \(fixed4(row.testAccuracy)), fit " + String(format: "%.2f", row.fitSeconds)
                + " s, predict " + String(format: "%.2f", row.predictSeconds) + " s")
            rows.append(row)
        }
        let comparison = ComparisonReport(dataset: datasetName, trainSamples: train.count, testSamples: test.count,
                                          rows: rows, blasThreads: BLAS.threadCount, perceptVersion: perceptVersion)
        print(comparison.markdown)
        if let output {
            let directory = URL(fileURLWithPath: output, isDirectory: true)
            try AtomicFileWriter.write(comparison.markdown, to: directory.appendingPathComponent("comparison.md"))
            try AtomicFileWriter.write(comparison.csv, to: directory.appendingPathComponent("comparison.csv"))
            try AtomicFileWriter.write(comparison.chart.svg(), to: directory.appendingPathComponent("comparison.svg"))
            print("wrote \(directory.path)/comparison.md, comparison.csv and comparison.svg")
        }
        if let report {
            try AtomicFileWriter.write(try comparison.json(), to: URL(fileURLWithPath: report))
            print("wrote \(report)")
        }
    }
}

/// One model of the comparison: its name and how to fit and time it. Adding a model to
/// `percept compare` is adding one entry to ``all``.
struct ComparisonEntry: Sendable {
    let name: String
    let run: @Sendable (LabeledDataset, LabeledDataset, CompareCommand) throws -> ClassifierOutcome

    /// A classical model built from the defaults of its `percept train` subcommand.
    static func classical<Model: Classifier>(_ name: String, _ make: @escaping @Sendable () throws -> Model) -> ComparisonEntry {
        ComparisonEntry(name: name) { train, test, _ in
            var model = try make()
            return try fitAndEvaluate(&model, train: train, test: test)
        }
    }

    /// The multilayer perceptron 784-256-256-10 of `percept train mlp`, on the whole training set.
    static func mlp(_ name: String, loss: Loss) -> ComparisonEntry {
        ComparisonEntry(name: name) { train, test, command in
            let network = ModelZoo.mlp(hidden: [256, 256], classes: train.classCount, loss: loss)
            try network.build(inputShape: Array(train.features.shape.dropFirst()), seed: 0)
            let optimizer = Adam(learningRate: 1e-3)
            network.compile(optimizer: optimizer, loss: loss)
            let callback = LearningRateSchedule.cosine(minimumFraction: 0.01).callback(for: optimizer)
            let (_, fitSeconds) = try measureSeconds {
                try network.fit(train.features, train.labels, epochs: command.mlpEpochs, batchSize: 128, seed: 0,
                                callbacks: [callback], verbose: .silent)
            }
            let (predictions, predictSeconds) = try measureSeconds { try network.predictClasses(test.features) }
            let correct = zip(predictions, test.labels).filter { $0 == $1 }.count
            return ClassifierOutcome(accuracy: Double(correct) / Double(test.count), fitSeconds: fitSeconds,
                                     predictSeconds: predictSeconds, predictions: predictions)
        }
    }

    /// Every model, in the order of the table.
    static let all: [ComparisonEntry] = [
        .classical("ridge") { try TrainRidgeCommand.parse([]).model },
        .classical("lda") { try TrainLDACommand.parse([]).model },
        .classical("kfda") { try TrainKFDACommand.parse([]).model },
        .classical("perceptron") { try TrainPerceptronCommand.parse([]).model },
        .classical("kernel-perceptron") { try TrainKernelPerceptronCommand.parse([]).model },
        .classical("logistic-regression") { try TrainLogisticRegressionCommand.parse([]).model },
        .classical("svm-linear") { try TrainLinearSVMCommand.parse([]).model },
        .classical("svm-rbf") { try TrainRBFSVMCommand.parse([]).model },
        .classical("svm-poly") { try TrainPolynomialSVMCommand.parse([]).model },
        .mlp("mlp-cross-entropy", loss: .crossEntropy),
        .mlp("mlp-squared-error", loss: .squaredError),
    ]
}

/// One measured row of the comparison table.
struct ComparisonRow: Codable {
    var model: String
    var testAccuracy: Double
    var fitSeconds: Double
    var predictSeconds: Double
    var trainSamples: Int

    enum CodingKeys: String, CodingKey {
        case model
        case testAccuracy = "test_accuracy"
        case fitSeconds = "fit_seconds"
        case predictSeconds = "predict_seconds"
        case trainSamples = "train_samples"
    }
}

/// The comparison: the JSON report and its Markdown, CSV and chart renderings.
struct ComparisonReport: Codable {
    var dataset: String
    var trainSamples: Int
    var testSamples: Int
    var rows: [ComparisonRow]
    var blasThreads: Int?
    var perceptVersion: String

    enum CodingKeys: String, CodingKey {
        case dataset, rows
        case trainSamples = "train_samples"
        case testSamples = "test_samples"
        case blasThreads = "blas_threads"
        case perceptVersion = "percept_version"
    }

    func json() throws -> Data { try reportJSON(self) }

    var markdown: String {
        var table = MarkdownTable(header: ["model", "test accuracy", "fit seconds", "predict seconds"],
                                  alignments: [.left, .right, .right, .right])
        for row in rows {
            table.append([row.model, fixed4(row.testAccuracy), String(format: "%.2f", row.fitSeconds),
                          String(format: "%.2f", row.predictSeconds)])
        }
        return table.markdown
    }

    var csv: String {
        var writer = CSVWriter(header: ["model", "test_accuracy", "fit_seconds", "predict_seconds", "train_samples"])
        writer.lineEnding = "\n"
        for row in rows {
            writer.append([.text(row.model), .number(row.testAccuracy), .number(row.fitSeconds), .number(row.predictSeconds),
                           .integer(row.trainSamples)])
        }
        return writer.text
    }

    /// Three panels side by side: accuracy, fit seconds and predict seconds (logarithmic).
    var chart: ChartGrid {
        let names = rows.map(\.model)
        let height = Double(60 + 26 * rows.count)
        var accuracy = BarChart(title: "Test accuracy", valueLabel: "accuracy",
                                bars: zip(names, rows.map(\.testAccuracy)).map { ($0, $1) },
                                valueFormat: .percent(decimals: 2), width: 420, height: height)
        accuracy.valueDomain = 0...1
        let fit = BarChart(title: "Fit seconds", valueLabel: "seconds (log)",
                           bars: zip(names, rows.map { max($0.fitSeconds, 1e-3) }).map { ($0, $1) }, scale: .logarithmic,
                           width: 420, height: height)
        let predict = BarChart(title: "Predict seconds", valueLabel: "seconds (log)",
                               bars: zip(names, rows.map { max($0.predictSeconds, 1e-3) }).map { ($0, $1) },
                               scale: .logarithmic, width: 420, height: height)
        return ChartGrid(panels: [accuracy, fit, predict], title: "Classifiers on \(dataset) (\(trainSamples) training samples)")
    }
}
