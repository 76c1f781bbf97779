import ArgumentParser
import Foundation
import Percept

/// `percept predict --model FILE INPUT…`: with a text classifier (saved by `percept train lstm …
/// --dataset imdb --save FILE`), the positive probability of each text; with any other saved model,
/// the most probable classes of each image in IDX files.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: texts for a text classifier, IDX image files otherwise.",
        discussion: """
            Examples: percept predict --model lstm.safetensors "This film was a delight"
                      percept predict --model mlp.safetensors --top 3 my-digits-idx3-ubyte.gz
                      percept predict --model svm-rbf.safetensors t10k-images-idx3-ubyte.gz
            """)

    @Option(help: ArgumentHelp("A model saved by percept train … --save FILE.", valueName: "file"))
    var model: String

    @Argument(help: "The texts (text classifiers) or IDX image files (other models) to classify.")
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
            try forEachImageFile(texts, sampleShape: network.inputShape ?? []) { input, features in
                printRanked(input: input, probabilities: try network.predict(features), top: top)
            }
        case let .classifier(classifier):
            let featureCount = classifier.featureCount ?? 0
            try forEachImageFile(texts, sampleShape: nil, featureCount: featureCount) { input, features in
                do {
                    if let probabilistic = classifier as? any ProbabilisticClassifier {
                        printRanked(input: input, probabilities: try probabilistic.predictProbabilities(features), top: top,
                                    classes: probabilistic.classes)
                    } else {
                        for (row, label) in try classifier.predict(features).enumerated() { print("\(input)[\(row)]: \(label)") }
                    }
                } catch let error as ClassifierError {
                    throw ValidationError("\(input): \(error.description)")
                }
            }
        }
    }
}

/// Reads each IDX image file (`.gz` or raw; pixels 0–255 scaled to [0, 1]) as a batch `[n, …]` and
/// hands it to `body`. Samples must have `sampleShape` when given, else `featureCount` values.
private func forEachImageFile(_ inputs: [String], sampleShape: [Int]?, featureCount: Int? = nil,
                              _ body: (String, Tensor) throws -> Void) throws {
    for input in inputs {
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
        try body(input, Tensor(shape: batch, scalars: array.floatValues.map { $0 * scale }))
    }
}

/// Prints the `top` most probable classes of each row of `probabilities` `[n, classes]`.
private func printRanked(input: String, probabilities: Tensor, top: Int, classes: [Int]? = nil) {
    let count = probabilities.shape.last ?? 1
    for row in 0..<probabilities.shape[0] {
        let ranked = (0..<count).sorted { probabilities[row, $0] > probabilities[row, $1] }.prefix(top)
        let text = ranked.map { "\(classes?[$0] ?? $0) (\(String(format: "%.4f", probabilities[row, $0])))" }.joined(separator: ", ")
        print("\(input)[\(row)]: \(text)")
    }
}
