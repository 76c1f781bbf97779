import Foundation

/// The word index Keras ships with its IMDB data (`imdb_word_index.json`, 88,584 words): a JSON
/// object mapping each word to its frequency rank, 1 being the most frequent.
///
/// ``parse(_:path:)`` returns the words ordered by rank, ready for
/// ``Vocabulary/init(rankedWords:size:)``. The ranks are only sorted, never used as positions,
/// so a forged rank such as 10¹⁵ cannot make the reader allocate more than the file holds.
public enum KerasWordIndex {
    /// Reads the word index at `url`.
    ///
    /// - Throws: ``DataError`` when the file is missing or unreadable, and
    ///   ``TextDataError/malformedWordIndex(path:detail:)`` when its contents are not a word index.
    public static func read(contentsOf url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError.fileNotFound(path: url.path, hint: "")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError.readFailed(path: url.path, detail: error.localizedDescription)
        }
        return try parse(data, path: url.path)
    }

    /// Parses the bytes of a word index; `path` names it in errors. Every word must be a non-empty
    /// string and every rank a distinct whole number from 1 to 2³¹ − 1.
    public static func parse(_ data: Data, path: String) throws -> [String] {
        func fail(_ detail: String) -> TextDataError { .malformedWordIndex(path: path, detail: detail) }
        guard !data.isEmpty else { throw fail("the file is empty") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
        guard let index = object as? [String: Any] else { throw fail("the top level is not a JSON object of word: rank") }
        guard !index.isEmpty else { throw fail("the object holds no words") }
        var ranked: [(rank: Int, word: String)] = []
        ranked.reserveCapacity(index.count)
        for (word, value) in index {
            guard !word.isEmpty else { throw fail("a word is the empty string") }
            // JSON true and false arrive as NSNumbers of Objective-C type "c" (char).
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                  let rank = Int(exactly: number.doubleValue),
                  rank >= 1, rank <= Int(Int32.max)
            else {
                throw fail("the rank of '\(word.prefix(40))' is \(String(describing: value).prefix(40)), not a whole number from 1 to \(Int32.max)")
            }
            ranked.append((rank, word))
        }
        ranked.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.word < $1.word }
        for (previous, next) in zip(ranked, ranked.dropFirst()) where previous.rank == next.rank {
            throw fail("the words '\(previous.word.prefix(40))' and '\(next.word.prefix(40))' share the rank \(next.rank)")
        }
        return ranked.map(\.word)
    }
}
