import Foundation
import PerceptData
import PerceptNN
import PerceptReports
import PerceptTensor
import PerceptTraining

/// A binary text classifier with everything needed to read raw text: the network (word indices →
/// one logit), the vocabulary it was trained with, and how texts are cut into words and padded.
///
/// Saved as a ``ModelFile`` whose metadata also holds the text encoding under `percept.text`
/// (vocabulary words most frequent first, sequence length, padding and truncation sides, the
/// reserved indices and the tokenizer's rules), so one file is enough to classify new reviews:
///
/// ```swift
/// let classifier = try TextClassifier.load(from: URL(fileURLWithPath: "lstm.safetensors"))
/// let p = try classifier.positiveProbabilities(["This film was a delight"])
/// ```
public struct TextClassifier {
    /// The metadata key holding the text encoding.
    public static let metadataKey = "percept.text"

    /// The network: `[maxLength]` word indices → one logit (binary cross-entropy).
    public var network: Sequential
    /// The word index used at training.
    public var vocabulary: Vocabulary
    /// The length every text is padded or cut to.
    public var maxLength: Int
    /// Where short texts are padded.
    public var padding: SequenceEnd
    /// Where long texts are cut.
    public var truncating: SequenceEnd

    /// Creates a classifier from a trained network and its text encoding.
    public init(network: Sequential, vocabulary: Vocabulary, maxLength: Int, padding: SequenceEnd = .pre,
                truncating: SequenceEnd = .pre) {
        self.network = network
        self.vocabulary = vocabulary
        self.maxLength = maxLength
        self.padding = padding
        self.truncating = truncating
    }

    /// The texts as padded word indices `[texts.count, maxLength]`, as at training.
    public func encode(_ texts: [String]) -> Tensor {
        let tokenizer = TextTokenizer()
        return padSequences(texts.map { vocabulary.encode(tokenizer.words(in: $0)) }, maxLength: maxLength,
                            padding: padding, truncating: truncating)
    }

    /// The probability that each text is positive (class 1).
    public func positiveProbabilities(_ texts: [String]) throws -> [Float] {
        try network.predict(encode(texts)).scalars
    }

    /// The text encoding as stored in the metadata.
    struct Encoding: Codable, Equatable {
        var format = "percept.text"
        var version = 1
        var maxLength: Int
        var padding: String
        var truncating: String
        var vocabularySize: Int
        var words: [String]
        var reservedIndices = ReservedIndices()
        var tokenizer = Tokenizer()

        /// Keras's `imdb.load_data` convention, which ``Vocabulary`` follows.
        struct ReservedIndices: Codable, Equatable {
            var padding = Vocabulary.padding
            var start = Vocabulary.start
            var outOfVocabulary = Vocabulary.outOfVocabulary

            enum CodingKeys: String, CodingKey {
                case padding, start
                case outOfVocabulary = "out_of_vocabulary"
            }
        }

        /// The rules of ``TextTokenizer`` (the only tokenizer so far), stored so that a file made
        /// with other rules is refused rather than misread.
        struct Tokenizer: Codable, Equatable {
            var lowercase = true
            var removesHTMLLineBreaks = true
            var separators = TextTokenizer.separators

            enum CodingKeys: String, CodingKey {
                case lowercase, separators
                case removesHTMLLineBreaks = "removes_html_line_breaks"
            }
        }

        enum CodingKeys: String, CodingKey {
            case format, version, padding, truncating, words, tokenizer
            case maxLength = "max_length"
            case vocabularySize = "vocabulary_size"
            case reservedIndices = "reserved_indices"
        }
    }

    /// The classifier as a safetensors file in memory.
    public func encoded() throws -> SafetensorsFile {
        let encoding = Encoding(maxLength: maxLength, padding: padding.rawValue, truncating: truncating.rawValue,
                                vocabularySize: vocabulary.size, words: vocabulary.words)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(encoding), as: UTF8.self)
        return try ModelFile.encode(network, extraMetadata: [Self.metadataKey: json])
    }

    /// Saves the classifier to `url`, atomically (temporary file, flush, rename).
    public func save(to url: URL) throws {
        try AtomicFileWriter.write(try encoded().encoded(), to: url)
    }

    /// Rebuilds a classifier from a safetensors file; `path` names it in errors.
    public static func decode(_ file: SafetensorsFile, path: String) throws -> TextClassifier {
        guard let json = file.metadata[metadataKey] else {
            throw IOError.unsupported(path: path, reason: "no '\(metadataKey)' metadata: not a text classifier")
        }
        let encoding: Encoding
        do { encoding = try JSONDecoder().decode(Encoding.self, from: Data(json.utf8)) } catch {
            throw IOError.malformed(path: path, reason: "the text encoding is not valid: \(error)")
        }
        guard encoding.format == "percept.text", encoding.version == 1 else {
            throw IOError.unsupported(path: path, reason: "text encoding \(encoding.format) version \(encoding.version)")
        }
        guard encoding.reservedIndices == Encoding.ReservedIndices(), encoding.tokenizer == Encoding.Tokenizer() else {
            throw IOError.unsupported(path: path, reason: "the text was encoded with other reserved indices or tokenizer rules")
        }
        guard let padding = SequenceEnd(rawValue: encoding.padding), let truncating = SequenceEnd(rawValue: encoding.truncating)
        else {
            throw IOError.malformed(path: path, reason: "padding and truncating must be pre or post")
        }
        let network = try ModelFile.decode(file, path: path)
        guard let embedding = network.layers.first as? Embedding, network.inputShape == [encoding.maxLength] else {
            throw IOError.malformed(
                path: path, reason: "the network must start with an Embedding over \(encoding.maxLength) word indices")
        }
        guard encoding.vocabularySize > Vocabulary.firstWordIndex, encoding.vocabularySize <= embedding.inputDimension,
              encoding.words.count <= encoding.vocabularySize - Vocabulary.firstWordIndex
        else {
            throw IOError.malformed(
                path: path,
                reason: "a vocabulary of \(encoding.vocabularySize) indices and \(encoding.words.count) words does not fit "
                    + "the embedding's \(embedding.inputDimension) rows")
        }
        return TextClassifier(network: network, vocabulary: Vocabulary(rankedWords: encoding.words, size: encoding.vocabularySize),
                              maxLength: encoding.maxLength, padding: padding, truncating: truncating)
    }

    /// Loads a classifier saved by ``save(to:)``.
    public static func load(from url: URL) throws -> TextClassifier {
        try decode(try SafetensorsFile.read(contentsOf: url), path: url.path)
    }
}
