import Foundation
import PerceptTensor

/// The Large Movie Review Dataset (Maas et al., 2011): 25,000 training and 25,000 test reviews,
/// half positive and half negative, in the layout `aclImdb/{train,test}/{pos,neg}/*.txt`.
///
/// ``load(from:vocabularySize:maxLength:padding:truncating:)`` reads the raw text from an
/// extracted folder or straight from a `.tar.gz` (the original `aclImdb_v1.tar.gz` or a repack of
/// its labelled part), tokenizes it with ``TextTokenizer``, builds a ``Vocabulary`` from the
/// training split only, and pads the index sequences with ``padSequences(_:maxLength:padding:truncating:value:)``,
/// so that the result matches Keras's `imdb.load_data(num_words:)` followed by `pad_sequences`.
public enum IMDB {
    /// The canonical archive.
    public static let canonicalURL = URL(string: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz")!
    /// Archive names looked for inside a data folder, in order.
    public static let archiveNames = ["aclImdb_v1.tar.gz", "aclImdb_train_test.tar.gz"]

    /// The raw reviews of one split with their labels (1 = positive, 0 = negative).
    public struct Reviews: Sendable, Equatable {
        /// The review texts.
        public var texts: [String]
        /// 1 for a positive review, 0 for a negative one.
        public var labels: [Int]
    }

    /// The encoded data set.
    public struct Encoded: Sendable {
        /// Training reviews as `[25000, maxLength]` word indices, labels 0 / 1.
        public var train: LabeledDataset
        /// Test reviews, encoded with the training vocabulary.
        public var test: LabeledDataset
        /// The vocabulary built from the training reviews.
        public var vocabulary: Vocabulary
    }

    /// Reads and encodes both splits.
    ///
    /// - Parameters:
    ///   - location: a `.tar.gz` / `.tar` archive, a folder holding `aclImdb/`, the `aclImdb`
    ///     folder itself, or a folder holding one of ``archiveNames``.
    ///   - vocabularySize: indices are in `0..<vocabularySize` (the 3 reserved ones included).
    ///   - maxLength: the length every review is padded or cut to.
    /// - Throws: ``DataError`` or ``TextDataError`` naming the file at fault.
    public static func load(
        from location: URL, vocabularySize: Int = 10_000, maxLength: Int = 200, padding: SequenceEnd = .pre,
        truncating: SequenceEnd = .pre
    ) throws -> Encoded {
        let (train, test) = try loadReviews(from: location)
        let tokenizer = TextTokenizer()
        let trainWords = train.texts.map(tokenizer.words(in:))
        let vocabulary = Vocabulary(documents: trainWords, size: vocabularySize)
        func encode(_ documents: [[String]], _ labels: [Int]) -> LabeledDataset {
            let sequences = documents.map { vocabulary.encode($0) }
            return LabeledDataset(features: padSequences(sequences, maxLength: maxLength, padding: padding, truncating: truncating),
                                  labels: labels, classCount: 2)
        }
        return Encoded(train: encode(trainWords, train.labels),
                       test: encode(test.texts.map(tokenizer.words(in:)), test.labels), vocabulary: vocabulary)
    }

    /// Reads the raw reviews of both splits, each in a fixed shuffled order (positive and negative
    /// mixed, so that a validation split taken from the end holds both).
    public static func loadReviews(from location: URL) throws -> (train: Reviews, test: Reviews) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory) else {
            throw DataError.fileNotFound(
                path: location.path,
                hint: "Pass --data-dir a folder holding aclImdb/ or aclImdb_v1.tar.gz (from \(canonicalURL.absoluteString)).")
        }
        var files: [(path: String, contents: Data)] = []
        var sourcePath = location.path
        if isDirectory.boolValue {
            let root = try reviewRoot(in: location)
            if let root {
                sourcePath = root.path
                for split in ["train", "test"] {
                    for label in ["neg", "pos"] {
                        let folder = root.appendingPathComponent("\(split)/\(label)")
                        let names: [String]
                        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
                            throw TextDataError.missingLayout(path: folder.path, expected: "a folder of .txt reviews")
                        }
                        for name in names where name.hasSuffix(".txt") {
                            let url = folder.appendingPathComponent(name)
                            do { files.append(("aclImdb/\(split)/\(label)/\(name)", try Data(contentsOf: url))) } catch {
                                throw DataError.readFailed(path: url.path, detail: error.localizedDescription)
                            }
                        }
                    }
                }
            } else if let archive = archiveNames.map({ location.appendingPathComponent($0) })
                        .first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                sourcePath = archive.path
                files = try TarArchive(contentsOf: archive, including: isReview).entries.map { ($0.path, $0.contents) }
            } else {
                throw TextDataError.missingLayout(
                    path: location.path,
                    expected: "aclImdb/{train,test}/{pos,neg}/*.txt or one of \(archiveNames.joined(separator: ", "))")
            }
        } else {
            files = try TarArchive(contentsOf: location, including: isReview).entries.map { ($0.path, $0.contents) }
        }

        return try splits(of: files, sourcePath: sourcePath)
    }

    /// Reads the raw reviews of both splits from the bytes of a `.tar` or `.tar.gz` archive;
    /// `path` names it in errors.
    ///
    /// - Throws: ``DataError`` for a damaged gzip stream, ``TextDataError`` for a damaged archive
    ///   or a split without reviews.
    public static func loadReviews(fromArchive bytes: Data, path: String) throws -> (train: Reviews, test: Reviews) {
        guard !bytes.isEmpty else { throw DataError.emptyFile(path: path) }
        let tar = Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, path: path) : bytes
        let files = try TarArchive(bytes: tar, path: path, including: isReview).entries.map { ($0.path, $0.contents) }
        return try splits(of: files, sourcePath: path)
    }

    /// The training and test reviews among `files`, each split in a fixed shuffled order.
    private static func splits(of files: [(path: String, contents: Data)], sourcePath: String) throws
        -> (train: Reviews, test: Reviews)
    {
        func split(_ name: String) throws -> Reviews {
            var selected = files.filter { $0.path.contains("/\(name)/pos/") || $0.path.contains("/\(name)/neg/") }
            guard !selected.isEmpty else { throw TextDataError.emptySplit(path: sourcePath, split: name) }
            selected.sort { $0.path < $1.path }
            var generator = RandomGenerator(seed: name == "train" ? 113 : 127)
            let order = generator.permutation(selected.count)
            return Reviews(texts: order.map { String(decoding: selected[$0].contents, as: UTF8.self) },
                           labels: order.map { selected[$0].path.contains("/pos/") ? 1 : 0 })
        }
        return (try split("train"), try split("test"))
    }

    /// Whether an archive path is a labelled review: `…/{train,test}/{pos,neg}/NAME.txt`.
    static func isReview(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts.last!.hasSuffix(".txt") else { return false }
        let label = parts[parts.count - 2], split = parts[parts.count - 3]
        return (label == "pos" || label == "neg") && (split == "train" || split == "test")
    }

    /// The folder holding `train/` and `test/` under `location`, if any.
    private static func reviewRoot(in location: URL) throws -> URL? {
        for candidate in [location.appendingPathComponent("aclImdb"), location] {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("train/pos").path) { return candidate }
        }
        return nil
    }
}
