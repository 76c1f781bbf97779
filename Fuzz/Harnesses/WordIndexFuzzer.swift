import Foundation
import PerceptData

/// libFuzzer entry: any bytes given to the Keras word-index parser must give distinct ranked words
/// that make a vocabulary, or a `TextDataError`, never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWordIndex(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let words = try? KerasWordIndex.parse(data, path: "fuzz.json") {
        precondition(!words.isEmpty && Set(words).count == words.count, "empty or repeated words")
        let vocabulary = Vocabulary(rankedWords: words, size: 3 + min(words.count, 1000))
        precondition(vocabulary.index(of: words[0]) == Vocabulary.firstWordIndex)
    }
    return 0
}
