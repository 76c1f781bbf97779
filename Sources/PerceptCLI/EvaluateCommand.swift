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

/// Prints the most probable classes of each input under a model saved with `--save`: image files
/// (by their extension, see ``imageFileExtensions``) one sample each, prepared for the model's input;
/// IDX files (`.gz` or raw) every sample, shaped like the model's input, e.g. `[n, 28, 28]` with
/// pixels 0–255.
func predictImages(modelPath: String, inputs: [String], top: Int) throws {
    let network = try ModelFile.load(from: URL(fileURLWithPath: modelPath))
    let expected = network.inputShape ?? []
    for input in inputs {
        let url = URL(fileURLWithPath: input)
        if imageFileExtensions.contains(url.pathExtension.lowercased()) {
            let features = try imageInput(try Image(contentsOf: url), for: expected, path: input)
            let probabilities = try network.predict(features)
            print("\(input): class \(ranked(probabilities, row: 0, top: top))")
            let classes = probabilities.shape.last ?? 1
            print("  probabilities: " + (0..<classes).map { "\($0) \(String(format: "%.4f", probabilities[0, $0]))" }.joined(separator: ", "))
            continue
        }
        let array = try IDXFile.read(contentsOf: url)
        let scale: Float = array.elementType == .unsignedByte ? 1 / 255 : 1
        let dimensions = Array(array.dimensions.dropFirst())
        guard dimensions == expected || array.dimensions == expected else {
            throw ValidationError("\(input): samples of shape \(dimensions) do not fit the model's input \(expected)")
        }
        let batch = array.dimensions == expected ? [1] + expected : array.dimensions
        let features = Tensor(shape: batch, scalars: array.floatValues.map { $0 * scale })
        let probabilities = try network.predict(features)
        for row in 0..<batch[0] {
            print("\(input)[\(row)]: \(ranked(probabilities, row: row, top: top))")
        }
    }
}

/// File extensions read as images rather than IDX arrays.
let imageFileExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "bmp", "pgm", "ppm", "pnm", "tga"]

/// "7 (0.9876), 1 (0.0100)": the `top` most probable classes of one row.
private func ranked(_ probabilities: Tensor, row: Int, top: Int) -> String {
    let classes = probabilities.shape.last ?? 1
    let order = (0..<classes).sorted { probabilities[row, $0] > probabilities[row, $1] }.prefix(top)
    return order.map { "\($0) (\(String(format: "%.4f", probabilities[row, $0])))" }.joined(separator: ", ")
}

/// One image as a batch of one for a model whose input is `shape`: MNIST-style preparation for
/// 784-value inputs (`[784]`, `[28, 28]`, `[28, 28, 1]`), a plain resize for other `[h, w, c]`.
private func imageInput(_ image: Image, for shape: [Int], path: String) throws -> Tensor {
    if shape.reduce(1, *) == MNIST.imageSide * MNIST.imageSide {
        return MNIST.digitImage(from: image).tensor().reshaped([1] + shape)
    }
    guard shape.count == 3, shape[2] == 1 || shape[2] == 3 else {
        throw ValidationError("\(path): the model's input \(shape) is not an image (expected [height, width, 1 or 3])")
    }
    let colored = shape[2] == 1 ? image.grayscale() : image.rgb()
    return colored.resized(width: shape[1], height: shape[0]).tensor()
}
