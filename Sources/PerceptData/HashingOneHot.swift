/// Keras's `one_hot` text encoder (the hashing trick): each word of `text`, as split by
/// ``TextTokenizer``, becomes `hash(word) mod (n − 1) + 1`, an index in `1..<n` (0 stays free
/// for padding). Different words may share an index.
///
/// The hash is 64-bit FNV-1a of the word's UTF-8 bytes, so indices are the same on every run and
/// machine (Keras uses Python's `hash`, which is randomised per process, so its indices differ
/// from run to run and cannot be reproduced).
public func hashingOneHot(_ text: String, n: Int, tokenizer: TextTokenizer = TextTokenizer()) -> [Int] {
    precondition(n >= 2, "hashingOneHot needs n ≥ 2, got \(n)")
    return tokenizer.words(in: text).map { word in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(n - 1)) + 1
    }
}
