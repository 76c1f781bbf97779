import ArgumentParser
import Foundation
import Percept

/// `percept predict --model FILE "text" …`: the positive probability of each text under a text
/// classifier saved by `percept train … --dataset imdb --save-model FILE`.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Print the probability that each text is positive, with a saved text classifier.",
        discussion: "Example: percept predict --model lstm.json \"This film was a delight\"")

    @Option(help: ArgumentHelp("A model saved by percept train … --dataset imdb --save-model FILE.", valueName: "file"))
    var model: String

    @Argument(help: "The texts to classify.")
    var texts: [String]

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one text to classify") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: model)
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
