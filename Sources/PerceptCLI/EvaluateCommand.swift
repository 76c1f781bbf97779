import ArgumentParser
import Foundation
import Percept

/// `percept evaluate --model FILE`: the test accuracy (and loss) of a saved model — a network, a
/// classical classifier or a text classifier — and optionally its confusion matrix and
/// misclassified images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a saved model on a dataset's test split.",
        discussion: """
            Examples: percept evaluate --model lenet5.safetensors --dataset mnist --confusion c.svg --misclassified m.png
                      percept evaluate --model svm-rbf.safetensors --dataset mnist --data-dir ~/mnist
                      percept evaluate --model lstm.safetensors --dataset imdb --data-dir ~/imdb
            """)

    @Option(help: ArgumentHelp("A model saved by `percept train … --save FILE`.", valueName: "file"))
    var model: String

    @OptionGroup var data: DataOptions

    @OptionGroup var figures: ConvolutionalOptions

    mutating func run() throws {
        switch try SavedModel.load(from: URL(fileURLWithPath: model)) {
        case let .network(network):
            let (rawTrain, rawTest, datasetName) = try data.load()
            let (_, test) = figures.prepare(rawTrain, rawTest)
            let result = try network.evaluate(test.features, test.labels)
            print("\(model) on \(datasetName) test split (\(test.count) samples): accuracy \(fixed4(result.accuracy)), loss \(fixed4(result.loss))")
            try writeFigures(predictions: { try network.predictClasses(test.features) }, test: test, rawTest: rawTest,
                             datasetName: datasetName)
        case let .classifier(classifier):
            let (rawTrain, rawTest, datasetName) = try data.load()
            let (_, test) = figures.prepare(rawTrain, rawTest)
            let predictions: [Int]
            do { predictions = try classifier.predict(test.features) } catch let error as ClassifierError {
                throw ValidationError("\(model): \(error.description)")
            }
            let accuracy = Double(zip(predictions, test.labels).filter { $0 == $1 }.count) / Double(max(test.count, 1))
            print("\(model) (\(type(of: classifier).modelName)) on \(datasetName) test split (\(test.count) samples): accuracy \(fixed4(accuracy))")
            try writeFigures(predictions: { predictions }, test: test, rawTest: rawTest, datasetName: datasetName)
        case let .textClassifier(classifier):
            // A text classifier reads reviews; --dataset defaults to imdb for it.
            guard data.dataset == "imdb" || !commandLineHas("--dataset") else {
                throw ValidationError("\(model) is a text classifier: evaluate it with --dataset imdb --data-dir DIR")
            }
            guard let directory = data.dataDir ?? ProcessInfo.processInfo.environment["PERCEPT_DATA_DIR"] else {
                throw ValidationError("imdb needs --data-dir: a folder holding aclImdb/ or aclImdb_v1.tar.gz")
            }
            let reviews = try IMDB.loadReviews(from: URL(fileURLWithPath: directory)).test
            let result = try classifier.network.evaluate(classifier.encode(reviews.texts), reviews.labels)
            print("\(model) on imdb test split (\(reviews.labels.count) reviews): accuracy \(fixed4(result.accuracy)), loss \(fixed4(result.loss))")
        }
    }

    private func writeFigures(predictions: () throws -> [Int], test: LabeledDataset, rawTest: LabeledDataset,
                              datasetName: String) throws {
        guard figures.confusion != nil || figures.misclassified != nil else { return }
        try writeEvaluationFigures(
            predictions: try predictions(), test: test, rawTest: rawTest, datasetName: datasetName,
            title: "\(model) on \(datasetName)", options: figures, quiet: false)
    }
}
