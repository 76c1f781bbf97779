/// A word index built from training texts: the `size − 3` most frequent words get the indices
/// 3, 4, … in order of decreasing frequency (ties broken alphabetically), and indices 0, 1 and 2
/// are reserved as in Keras's `imdb.load_data`: ``padding``, ``start`` and ``outOfVocabulary``.
public struct Vocabulary: Sendable, Equatable {
    /// The index used for padding.
    public static let padding = 0
    /// The index marking the start of a sequence.
    public static let start = 1
    /// The index of every word outside the vocabulary.
    public static let outOfVocabulary = 2
    /// The first index given to a word.
    public static let firstWordIndex = 3

    /// The number of indices, reserved ones included: every index is in `0..<size`.
    public let size: Int
    /// The kept words, most frequent first; word `words[k]` has index `k + 3`.
    public let words: [String]
    private let indices: [String: Int]

    /// Builds the vocabulary of the `size − 3` most frequent words of `documents` (lists of words).
    ///
    /// - Precondition: `size > 3`.
    public init(documents: [[String]], size: Int) {
        precondition(size > Self.firstWordIndex, "a vocabulary needs more than 3 indices, got \(size)")
        var counts: [String: Int] = [:]
        for document in documents { for word in document { counts[word, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        words = ranked.prefix(size - Self.firstWordIndex).map(\.key)
        self.size = size
        var table: [String: Int] = [:]
        for (rank, word) in words.enumerated() { table[word] = rank + Self.firstWordIndex }
        indices = table
    }

    /// A vocabulary from words already ranked, most frequent first (as saved from ``words``);
    /// only the first `size − 3` are kept.
    public init(rankedWords: [String], size: Int) {
        precondition(size > Self.firstWordIndex, "a vocabulary needs more than 3 indices, got \(size)")
        words = Array(rankedWords.prefix(size - Self.firstWordIndex))
        self.size = size
        var table: [String: Int] = [:]
        for (rank, word) in words.enumerated() where table[word] == nil { table[word] = rank + Self.firstWordIndex }
        indices = table
    }

    /// The index of `word`, or ``outOfVocabulary``.
    public func index(of word: String) -> Int { indices[word] ?? Self.outOfVocabulary }

    /// The indices of `words`, preceded by ``start`` when `markStart` is true.
    public func encode(_ words: [String], markStart: Bool = true) -> [Int] {
        (markStart ? [Self.start] : []) + words.map(index(of:))
    }
}
