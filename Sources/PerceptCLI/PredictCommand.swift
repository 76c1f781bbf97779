import ArgumentParser
import Foundation
import Percept

/// `percept predict --model FILE INPUT…`: with a text classifier (`--save-model FILE` of the IMDB
/// commands), the positive probability of each text; with a model saved by `--save FILE`, the most
/// probable classes of each image file (PNG, JPEG, GIF, BMP, PGM/PPM) or of each image in IDX files.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: texts for a text classifier, image or IDX files otherwise.",
        discussion: """
            An MNIST model (28 × 28 input) gets each image file prepared as MNIST was made: gray, \
            inverted when the paper is light, cropped to the ink, fitted into 20 × 20 and centred by \
            its centre of mass in 28 × 28. Other image models get the image resized to their input.

            Examples: percept predict --model lstm.json "This film was a delight"
                      percept predict --model lenet5.safetensors my-digit.png
                      percept predict --model mlp.safetensors --top 3 my-digits-idx3-ubyte.gz
            """)

    @Option(help: ArgumentHelp("A model saved by percept train … --save FILE or --save-model FILE.", valueName: "file"))
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
        let url = URL(fileURLWithPath: model)
        // A text classifier is a JSON file; every other model is a safetensors file.
        let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 1)) ?? nil
        guard head == Data("{".utf8) else {
            try predictImages(modelPath: model, inputs: texts, top: top)
            return
        }
        let file = try TextClassifierFile.read(from: url)
        let (network, vocabulary) = try file.makeNetwork(path: url.path)
        let tokenizer = TextTokenizer()
        let sequences = texts.map { vocabulary.encode(tokenizer.words(in: $0)) }
        let x = padSequences(sequences, maxLength: file.maxLength, padding: SequenceEnd(rawValue: file.padding) ?? .pre,
                             truncating: SequenceEnd(rawValue: file.truncating) ?? .pre)
        let probabilities = try network.predict(x)
        for (text, probability) in zip(texts, probabilities.scalars) {
            print(String(format: "%.4f", probability) + "  " + text)
        }
    }
}
