import ArgumentParser
import Foundation
import Percept

/// `percept predict --model FILE INPUT…`: with a text classifier (saved by `percept train lstm …
/// --dataset imdb --save FILE`), the positive probability of each text; with any other saved model,
/// the most probable classes of each image file (PNG, JPEG, GIF, BMP, PGM/PPM) or of each image in
/// IDX files.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: texts for a text classifier, image or IDX files otherwise.",
        discussion: """
            A model of 28 × 28 digits gets each image file prepared as MNIST was made: gray, inverted \
            when the paper is light, cropped to the ink, fitted into 20 × 20 and centred by its centre \
            of mass in 28 × 28. Other image models get the image resized to their input.

            Examples: percept predict --model lstm.safetensors "This film was a delight"
                      percept predict --model lenet5.safetensors my-digit.png
                      percept predict --model mlp.safetensors --top 3 my-digits-idx3-ubyte.gz
                      percept predict --model svm-rbf.safetensors t10k-images-idx3-ubyte.gz
            """)

    @Option(help: ArgumentHelp("A model saved by percept train … --save FILE.", valueName: "file"))
    var model: String

    @Argument(help: "The texts (text classifiers), or image files or IDX files (other models) to classify.")
    var texts: [String]

    @Option(help: "How many of the most probable classes to print per image.")
    var top: Int = 1

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one input to classify") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        switch try SavedModel.load(from: URL(fileURLWithPath: model)) {
        case let .textClassifier(classifier):
            for (text, probability) in zip(texts, try classifier.positiveProbabilities(texts)) {
                print(String(format: "%.4f", probability) + "  " + text)
            }
        case let .network(network):
            try forEachImageFile(texts, sampleShape: network.inputShape ?? []) { input, features, isImage in
                printRanked(input: input, probabilities: try network.predict(features), top: top, isImage: isImage)
            }
        case let .classifier(classifier):
            let featureCount = classifier.featureCount ?? 0
            try forEachImageFile(texts, sampleShape: nil, featureCount: featureCount) { input, features, isImage in
                do {
                    if let probabilistic = classifier as? any ProbabilisticClassifier {
                        printRanked(input: input, probabilities: try probabilistic.predictProbabilities(features), top: top,
                                    classes: probabilistic.classes, isImage: isImage)
                    } else {
                        for (row, label) in try classifier.predict(features).enumerated() {
                            print(isImage ? "\(input): class \(label)" : "\(input)[\(row)]: \(label)")
                        }
                    }
                } catch let error as ClassifierError {
                    throw ValidationError("\(input): \(error.description)")
                }
            }
        }
    }
}

/// Reads each input as a batch `[n, …]` and hands it to `body` with whether it was an image file:
/// an image file (by its extension) is one sample prepared for the model, an IDX file (`.gz` or raw;
/// pixels 0–255 scaled to [0, 1]) all its samples. Samples must have `sampleShape` when given, else
/// `featureCount` values.
private func forEachImageFile(_ inputs: [String], sampleShape: [Int]?, featureCount: Int? = nil,
                              _ body: (String, Tensor, Bool) throws -> Void) throws {
    for input in inputs {
        let url = URL(fileURLWithPath: input)
        if imageFileExtensions.contains(url.pathExtension.lowercased()) {
            try body(input, try imageInput(try Image(contentsOf: url), for: sampleShape ?? [featureCount ?? 0], path: input), true)
            continue
        }
        let array = try IDXFile.read(contentsOf: URL(fileURLWithPath: input))
        let scale: Float = array.elementType == .unsignedByte ? 1 / 255 : 1
        let dimensions = Array(array.dimensions.dropFirst())
        let batch: [Int]
        if let expected = sampleShape {
            guard dimensions == expected || array.dimensions == expected else {
                throw ValidationError("\(input): samples of shape \(dimensions) do not fit the model's input \(expected)")
            }
            batch = array.dimensions == expected ? [1] + expected : array.dimensions
        } else {
            let expected = featureCount ?? 0
            guard array.dimensions.count >= 2, dimensions.reduce(1, *) == expected else {
                throw ValidationError("\(input): samples of shape \(dimensions) do not have the \(expected) features the model was fitted with")
            }
            batch = array.dimensions
        }
        try body(input, Tensor(shape: batch, scalars: array.floatValues.map { $0 * scale }), false)
    }
}

/// Prints the `top` most probable classes of each row of `probabilities` `[n, classes]`; for an
/// image file (one row), as "FILE: class 7 (0.9876)" followed by every class's probability.
private func printRanked(input: String, probabilities: Tensor, top: Int, classes: [Int]? = nil, isImage: Bool = false) {
    let count = probabilities.shape.last ?? 1
    func label(_ column: Int) -> Int { classes?[column] ?? column }
    for row in 0..<probabilities.shape[0] {
        let ranked = (0..<count).sorted { probabilities[row, $0] > probabilities[row, $1] }.prefix(top)
        let text = ranked.map { "\(label($0)) (\(String(format: "%.4f", probabilities[row, $0])))" }.joined(separator: ", ")
        guard isImage else {
            print("\(input)[\(row)]: \(text)")
            continue
        }
        print("\(input): class \(text)")
        print("  probabilities: " + (0..<count).map { "\(label($0)) \(String(format: "%.4f", probabilities[row, $0]))" }.joined(separator: ", "))
    }
}

/// File extensions read as images rather than IDX arrays.
let imageFileExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "bmp", "pgm", "ppm", "pnm"]

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
    return colored.resized(width: shape[1], height: shape[0]).tensor().reshaped([1] + shape)
}
