import Foundation
import Percept

/// The file `percept train lstm|gru|… --dataset imdb --save-model FILE` writes and `percept predict`
/// reads: one JSON object holding the architecture, the text encoding (vocabulary, length,
/// padding) and the weights, each parameter as base64 of little-endian float32 in the order of
/// `Sequential.parameters`.
///
/// This is a deliberately small, provisional format for the text classifiers only, until the
/// library has a general model format.
struct TextClassifierFile: Codable {
    /// Always ``formatName``.
    var format: String
    var model: String
    var vocabSize: Int
    var embeddingSize: Int
    var units: Int
    var maxLength: Int
    var padding: String
    var truncating: String
    /// The vocabulary's words, most frequent first (index = position + 3).
    var words: [String]
    var parameters: [StoredTensor]

    static let formatName = "percept-text-classifier-v1"

    struct StoredTensor: Codable {
        var shape: [Int]
        var data: String
    }

    enum CodingKeys: String, CodingKey {
        case format, model, units, padding, truncating, words, parameters
        case vocabSize = "vocab_size"
        case embeddingSize = "embedding_size"
        case maxLength = "max_length"
    }

    /// Captures a trained network and its text encoding.
    init(network: Sequential, kind: ModelZoo.RecurrentKind, data: SequenceDataOptions, model: RecurrentModelOptions,
         vocabulary: Vocabulary) {
        format = Self.formatName
        self.model = kind.rawValue
        vocabSize = data.vocabSize
        embeddingSize = model.embeddingSize
        units = model.units
        maxLength = data.maxLength
        padding = data.padding
        truncating = data.truncating
        words = vocabulary.words
        parameters = network.parameters.map { parameter in
            let bytes = parameter.value.scalars.withUnsafeBufferPointer { buffer in
                Data(buffer: UnsafeBufferPointer(start: buffer.baseAddress.map { UnsafePointer($0) }, count: buffer.count))
            }
            return StoredTensor(shape: parameter.shape, data: bytes.base64EncodedString())
        }
    }

    /// Writes the file atomically.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFileWriter.write(try encoder.encode(self), to: url)
    }

    /// Reads a file, checking its format and every tensor.
    static func read(from url: URL) throws -> TextClassifierFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelFileError(path: url.path, reason: "cannot read the model file: \(error.localizedDescription)")
        }
        let file: TextClassifierFile
        do { file = try JSONDecoder().decode(TextClassifierFile.self, from: data) } catch {
            throw ModelFileError(path: url.path, reason: "not a Percept text-classifier file (\(error))")
        }
        guard file.format == formatName else {
            throw ModelFileError(path: url.path, reason: "format '\(file.format)', expected '\(formatName)'")
        }
        return file
    }

    /// Rebuilds the network with the stored weights.
    func makeNetwork(path: String) throws -> (Sequential, Vocabulary) {
        guard let kind = ModelZoo.RecurrentKind(rawValue: model) else {
            throw ModelFileError(path: path, reason: "unknown model '\(model)'")
        }
        let network = ModelZoo.textClassifier(kind, vocabularySize: vocabSize, embeddingSize: embeddingSize, units: units)
        try network.build(inputShape: [maxLength], seed: 0)
        network.compile(optimizer: Adam(), loss: .binaryCrossEntropy)
        let targets = network.parameters
        guard targets.count == parameters.count else {
            throw ModelFileError(path: path, reason: "holds \(parameters.count) tensors, the \(model) network has \(targets.count)")
        }
        for (index, (target, stored)) in zip(targets, parameters).enumerated() {
            guard stored.shape == target.shape, let bytes = Data(base64Encoded: stored.data),
                  bytes.count == target.value.count * 4 else {
                throw ModelFileError(path: path, reason: "tensor \(index) has shape \(stored.shape) or a wrong byte count; expected \(target.shape)")
            }
            let scalars = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            guard scalars.allSatisfy(\.isFinite) else { throw ModelFileError(path: path, reason: "tensor \(index) holds NaN or infinity") }
            target.value = Tensor(shape: target.shape, scalars: scalars)
        }
        return (network, Vocabulary(rankedWords: words, size: vocabSize))
    }
}

/// A model file that cannot be used, with the file and the reason.
struct ModelFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
