import Foundation
import PerceptData
import Testing

/// Bad inputs for the CIFAR-10, tar / IMDB and Keras word-index parsers: each must give an error
/// naming the file and the fault, never a crash or an allocation the file cannot justify.
@Suite("hardened parsers")
struct ParserHardeningTests {
    private static let layout = "1 label byte, then 3,072 pixel bytes: 32 × 32 red, green, blue"

    @Test func cifarRefusesEmptyFilesAndWrongRecordLengths() throws {
        #expect(throws: DataError.emptyFile(path: "a.bin")) { try CIFAR10.parse(batches: [("a.bin", Data())]) }
        for length in [1, 3072, 3074, 2 * 3073 - 1, 2 * 3073 + 1] {
            #expect(throws: DataError.badRecordLength(path: "a.bin", recordBytes: 3073, layout: Self.layout, actualBytes: length)) {
                try CIFAR10.parse(batches: [("a.bin", Data(count: length))])
            }
        }
        let good = Data(CIFAR10Tests.record(label: 9, red: 1, green: 2, blue: 3))
        #expect(try CIFAR10.parse(batches: [("a.bin", good), ("b.bin", good + good)]).count == 3)
    }

    @Test func cifarNamesTheBatchAndRecordOfABadLabel() throws {
        let good = Data(CIFAR10Tests.record(label: 2, red: 0, green: 0, blue: 0))
        let bad = Data(CIFAR10Tests.record(label: 255, red: 0, green: 0, blue: 0))
        #expect(throws: DataError.invalidLabel(path: "b.bin", index: 2, value: 255, classCount: 10)) {
            try CIFAR10.parse(batches: [("a.bin", good), ("b.bin", good + good + bad)])
        }
    }

    /// A one-entry tar archive whose header declares `sizeField` (12 bytes of octal).
    private func tar(name: String = "aclImdb/train/pos/0_9.txt", sizeField: String, body: Data) -> Data {
        tarEntry(name: name, body: body, sizeField: sizeField) + Data(count: 1024)
    }

    @Test func aTarHeaderCannotDeclareMoreThanTheArchiveHolds() throws {
        let body = Data("A fine film.".utf8)
        #expect(try TarArchive(bytes: tar(sizeField: String(format: "%011o", body.count), body: body)).entries.count == 1)
        // 8 GiB declared by a 12-digit size field, in an archive of 2 KiB: refused before any copy.
        #expect(throws: TextDataError.truncatedArchive(path: "big.tar", entry: "aclImdb/train/pos/0_9.txt", offset: 2048)) {
            try TarArchive(bytes: tar(sizeField: "77777777777", body: body), path: "big.tar")
        }
        #expect { try TarArchive(bytes: tar(sizeField: "12x", body: body), path: "odd.tar") } throws: { error in
            "\(error)".contains("odd.tar") && "\(error)".contains("size field is not an octal number")
        }
    }

    @Test func aTarCutAtEveryHeaderFieldIsRefusedWithItsName() throws {
        let body = Data("A fine film.".utf8)
        let whole = tar(sizeField: String(format: "%011o", body.count), body: body)
        for cut in [1, 99, 100, 124, 136, 148, 156, 257, 345, 511, 512, 520, 1023] {
            #expect(throws: TextDataError.self, "cut at \(cut)") {
                _ = try TarArchive(bytes: whole.prefix(cut), path: "cut.tar")
            }
        }
    }

    @Test func anIMDBArchiveOfBadBytesNamesTheFile() throws {
        #expect(throws: DataError.emptyFile(path: "imdb.tar.gz")) { try IMDB.loadReviews(fromArchive: Data(), path: "imdb.tar.gz") }
        let archive = try Data(contentsOf: fixture("tiny-aclImdb.tar.gz"))
        #expect { try IMDB.loadReviews(fromArchive: archive.prefix(archive.count / 2), path: "imdb.tar.gz") } throws: { error in
            "\(error)".contains("imdb.tar.gz") && "\(error)".contains("truncated")
        }
        let (train, test) = try IMDB.loadReviews(fromArchive: archive, path: "imdb.tar.gz")
        #expect(train.texts.count == 6 && test.texts.count == 4)
        let onlyTraining = tar(sizeField: String(format: "%011o", 4), body: Data("Good".utf8))
        #expect(throws: TextDataError.emptySplit(path: "one.tar", split: "test")) {
            try IMDB.loadReviews(fromArchive: onlyTraining, path: "one.tar")
        }
    }

    @Test func aWordIndexIsReadInRankOrder() throws {
        let words = try KerasWordIndex.parse(Data(#"{"film": 2, "the": 1, "rare": 1000000, "a": 3}"#.utf8), path: "w.json")
        #expect(words == ["the", "film", "a", "rare"])
        let vocabulary = Vocabulary(rankedWords: words, size: 6)
        #expect(vocabulary.index(of: "the") == 3 && vocabulary.index(of: "a") == 5 && vocabulary.index(of: "rare") == 2)
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("{\"the\": 1", "not valid JSON"),
        ("[\"the\", \"film\"]", "the top level is not a JSON object"),
        ("{}", "the object holds no words"),
        ("{\"the\": 0}", "the rank of 'the' is 0, not a whole number from 1 to 2147483647"),
        ("{\"the\": -4}", "the rank of 'the' is -4"),
        ("{\"the\": 1.5}", "the rank of 'the' is 1.5"),
        ("{\"the\": 1e15}", "not a whole number from 1 to 2147483647"),
        ("{\"the\": \"1\"}", "the rank of 'the' is 1, not a whole number"),
        ("{\"the\": true}", "not a whole number"),
        ("{\"the\": null}", "not a whole number"),
        ("{\"\": 1}", "a word is the empty string"),
        ("{\"the\": 1, \"a\": 1}", "the words 'a' and 'the' share the rank 1"),
    ])
    func aMalformedWordIndexIsRefusedWithTheReason(text: String, reason: String) {
        #expect { try KerasWordIndex.parse(Data(text.utf8), path: "w.json") } throws: { error in
            guard case let .malformedWordIndex(path, detail)? = error as? TextDataError else { return false }
            return path == "w.json" && detail.contains(reason) && "\(error)".hasPrefix("w.json: not a Keras word index: ")
        }
    }

    @Test func aMissingWordIndexIsNamed() throws {
        #expect(throws: DataError.fileNotFound(path: "/nonexistent/imdb_word_index.json", hint: "")) {
            try KerasWordIndex.read(contentsOf: URL(fileURLWithPath: "/nonexistent/imdb_word_index.json"))
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"] != nil))
    func theKerasIMDBWordIndexReads() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"]!)
        let words = try KerasWordIndex.read(contentsOf: root.appendingPathComponent("imdb/imdb_word_index.json"))
        #expect(words.count == 88_584)
        #expect(Array(words.prefix(3)) == ["the", "and", "a"])
    }
}
