import ArgumentParser
import Foundation
import Percept

/// `percept evaluate --model FILE`: the test accuracy and loss of a saved model, and optionally
/// its confusion matrix and misclassified images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a saved model on a dataset's test split.",
        discussion: "Example: percept evaluate --model lenet5.safetensors --dataset mnist --confusion c.svg --misclassified m.png")

    @Option(help: ArgumentHelp("A model saved by `percept train … --save FILE`.", valueName: "file"))
    var model: String

    @OptionGroup var data: DataOptions

    @OptionGroup var figures: ConvolutionalOptions

    mutating func run() throws {
        let network = try ModelFile.load(from: URL(fileURLWithPath: model))
        let (rawTrain, rawTest, datasetName) = try data.load()
        let (_, test) = figures.prepare(rawTrain, rawTest)
        let result = try network.evaluate(test.features, test.labels)
        print("\(model) on \(datasetName) test split (\(test.count) samples): accuracy \(fixed4(result.accuracy)), loss \(fixed4(result.loss))")
        if figures.confusion != nil || figures.misclassified != nil {
            try writeEvaluationFigures(
                network, test: test, rawTest: rawTest, datasetName: datasetName, title: "\(model) on \(datasetName)",
                options: figures, quiet: false)
        }
    }
}

/// Prints the most probable classes of every sample in IDX image files (`.gz` or raw) shaped like
/// the model's input, e.g. `[n, 28, 28]` with pixels 0–255, under a model saved with `--save`.
func predictImages(modelPath: String, inputs: [String], top: Int) throws {
    let network = try ModelFile.load(from: URL(fileURLWithPath: modelPath))
    let expected = network.inputShape ?? []
    for input in inputs {
        let array = try IDXFile.read(contentsOf: URL(fileURLWithPath: input))
        let scale: Float = array.elementType == .unsignedByte ? 1 / 255 : 1
        let dimensions = Array(array.dimensions.dropFirst())
        guard dimensions == expected || array.dimensions == expected else {
            throw ValidationError("\(input): samples of shape \(dimensions) do not fit the model's input \(expected)")
        }
        let batch = array.dimensions == expected ? [1] + expected : array.dimensions
        let features = Tensor(shape: batch, scalars: array.floatValues.map { $0 * scale })
        let probabilities = try network.predict(features)
        let classes = probabilities.shape.last ?? 1
        for row in 0..<batch[0] {
            let ranked = (0..<classes).sorted { probabilities[row, $0] > probabilities[row, $1] }.prefix(top)
            let text = ranked.map { "\($0) (\(String(format: "%.4f", probabilities[row, $0])))" }.joined(separator: ", ")
            print("\(input)[\(row)]: \(text)")
        }
    }
}
