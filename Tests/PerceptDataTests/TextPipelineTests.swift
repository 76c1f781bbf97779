import Foundation
import PerceptData
import PerceptTensor
import Testing

@Suite("Text pipeline: tokenizer, vocabulary, padding, hashing")
struct TextPipelineTests {
    @Test func tokenizerLowerCasesDropsLineBreaksAndSplitsPunctuation() {
        let words = TextTokenizer().words(in: "A wonderful FILM.<br /><br />Great acting,great story! Don't (ever) miss-it<BR/>end")
        #expect(words == ["a", "wonderful", "film", "great", "acting", "great", "story", "don't", "ever", "miss", "it", "end"])
    }

    @Test func tokenizerKeepsNonASCIIWordsWhole() {
        #expect(TextTokenizer().words(in: "Amélie, naïve—café") == ["amélie", "naïve—café"])
    }

    @Test func vocabularyRanksByFrequencyThenAlphabeticallyAndReservesThreeIndices() {
        let documents = [["b", "a", "c", "a"], ["c", "a", "d"], ["b", "e"]]
        let vocabulary = Vocabulary(documents: documents, size: 6)
        // a: 3, b: 2, c: 2, d: 1, e: 1 → keep a, b, c (size 6 − 3 reserved).
        #expect(vocabulary.words == ["a", "b", "c"])
        #expect(vocabulary.index(of: "a") == 3 && vocabulary.index(of: "b") == 4 && vocabulary.index(of: "c") == 5)
        #expect(vocabulary.index(of: "d") == Vocabulary.outOfVocabulary)
        #expect(vocabulary.encode(["c", "zzz", "a"]) == [1, 5, 2, 3])
        #expect(vocabulary.encode(["c"], markStart: false) == [5])
    }

    /// Expected rows from Keras 2's `pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2, ...)`.
    @Test func padSequencesFollowsKerasSemantics() {
        let sequences = [[1, 2, 3], [4, 5], [6]]
        #expect(padSequences(sequences, maxLength: 2).scalars == [2, 3, 4, 5, 0, 6])
        #expect(padSequences(sequences, maxLength: 2, padding: .post, truncating: .post).scalars == [1, 2, 4, 5, 6, 0])
        #expect(padSequences(sequences, maxLength: 2, padding: .post).scalars == [2, 3, 4, 5, 6, 0])
        #expect(padSequences(sequences, maxLength: 2, truncating: .post).scalars == [1, 2, 4, 5, 0, 6])
        let longest = padSequences(sequences)
        #expect(longest.shape == [3, 3])
        #expect(longest.scalars == [1, 2, 3, 0, 4, 5, 0, 0, 6])
        #expect(padSequences([[7]], maxLength: 3, value: 9).scalars == [9, 9, 7])
    }

    @Test func hashingOneHotIsDeterministicAndInRange() {
        let encoded = hashingOneHot("Could have done better.", n: 50)
        #expect(encoded.count == 4)
        #expect(encoded.allSatisfy { (1..<50).contains($0) })
        #expect(hashingOneHot("could HAVE done, better", n: 50) == encoded)
        // FNV-1a 64 of "good", by Python:
        //   h = 0xcbf29ce484222325
        //   for b in b"good": h = ((h ^ b) * 0x100000001b3) % 2**64    → 0x9ce4d6720e9c9118
        #expect(hashingOneHot("good", n: 50) == [Int(UInt64(0x9ce4_d672_0e9c_9118) % 49) + 1])
    }
}

@Suite("Tar archives and the IMDB loader")
struct IMDBTests {
    @Test func tarReaderListsTheRegularFiles() throws {
        let archive = try TarArchive(contentsOf: fixture("tiny-aclImdb.tar.gz"))
        #expect(archive.entries.count == 10)
        let entry = try #require(archive.entries.first { $0.path == "aclImdb/test/neg/1_2.txt" })
        #expect(String(decoding: entry.contents, as: UTF8.self) == "The worst film, awful.")
    }

    @Test func truncatedArchiveNamesTheFileAndTheEntry() throws {
        let bytes = try Gzip.decompress(Data(contentsOf: fixture("tiny-aclImdb.tar.gz")))
        #expect(throws: TextDataError.self) { try TarArchive(bytes: bytes.prefix(700), path: "cut.tar") }
        do {
            _ = try TarArchive(bytes: bytes.prefix(530), path: "cut.tar")
            Issue.record("a truncated archive was accepted")
        } catch let error as TextDataError {
            #expect(error.description.contains("cut.tar"))
            #expect(error.description.contains("aclImdb/test/neg/0_4.txt"))
        }
    }

    @Test func damagedHeaderFailsItsChecksum() throws {
        var bytes = try Gzip.decompress(Data(contentsOf: fixture("tiny-aclImdb.tar.gz")))
        bytes[bytes.startIndex + 3] ^= 0x20
        #expect { try TarArchive(bytes: bytes, path: "bad.tar") } throws: { error in
            "\(error)".contains("bad.tar") && "\(error)".contains("checksum")
        }
    }

    @Test func folderAndArchiveGiveTheSameReviews() throws {
        let fromArchive = try IMDB.loadReviews(from: fixture("tiny-aclImdb.tar.gz"))
        let fromFolder = try IMDB.loadReviews(from: fixture("tiny-aclImdb"))
        #expect(fromArchive.train == fromFolder.train)
        #expect(fromArchive.test == fromFolder.test)
        #expect(fromArchive.train.texts.count == 6 && fromArchive.test.texts.count == 4)
        #expect(fromArchive.train.labels.sorted() == [0, 0, 0, 1, 1, 1])
        let index = try #require(fromArchive.train.texts.firstIndex(of: "Awful acting; I hated it."))
        #expect(fromArchive.train.labels[index] == 0)
    }

    @Test func encodingUsesTheTrainingVocabularyOnly() throws {
        let data = try IMDB.load(from: fixture("tiny-aclImdb.tar.gz"), vocabularySize: 8, maxLength: 6)
        #expect(data.train.features.shape == [6, 6] && data.test.features.shape == [4, 6])
        #expect(data.vocabulary.words.count == 5)
        #expect(data.vocabulary.words.first == "great")  // 4 times in the training reviews
        // Every review: padding in front, then the start index, then word indices below 8.
        for r in 0..<4 {
            let encoded = data.test.features.rows(r..<(r + 1)).scalars
            let first = try #require(encoded.firstIndex { $0 != 0 })
            #expect(first > 0 && encoded[first] == 1)
            #expect(encoded.allSatisfy { $0 >= 0 && $0 < 8 })
        }
    }

    @Test func missingLayoutIsNamed() throws {
        try withTemporaryDirectory { directory in
            #expect { try IMDB.loadReviews(from: directory) } throws: { error in
                "\(error)".contains(directory.path) && "\(error)".contains("aclImdb")
            }
            #expect { try IMDB.loadReviews(from: directory.appendingPathComponent("nope.tar.gz")) } throws: { error in
                "\(error)".contains("nope.tar.gz")
            }
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"] != nil))
    func sharedIMDBHasTwentyFiveThousandReviewsPerSplit() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"]!)
        let reviews = try IMDB.loadReviews(from: root.appendingPathComponent("imdb"))
        #expect(reviews.train.texts.count == 25_000 && reviews.test.texts.count == 25_000)
        #expect(reviews.train.labels.reduce(0, +) == 12_500)
    }
}
