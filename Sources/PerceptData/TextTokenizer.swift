/// Splits text into lower-case words the way Keras's `Tokenizer` does by default: HTML line breaks
/// (`<br />`) are removed, letters are lower-cased, and the punctuation characters
/// ``TextTokenizer/separators`` (Keras's `filters`: all ASCII punctuation but the apostrophe)
/// separate words like spaces and are dropped.
public struct TextTokenizer: Sendable {
    /// The ASCII characters that separate words besides white space.
    public static let separators = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"

    private let isSeparator: [Bool]

    /// Creates a tokenizer.
    public init() {
        var table = [Bool](repeating: false, count: 256)
        for byte in Self.separators.utf8 { table[Int(byte)] = true }
        for byte in " \t\n\r\u{0B}\u{0C}".utf8 { table[Int(byte)] = true }
        isSeparator = table
    }

    /// The words of `text`, in order.
    public func words(in text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current.removeAll(keepingCapacity: true) }
        }
        let lineBreak = Array("<br />".utf8), shortBreak = Array("<br/>".utf8)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                let matched = [lineBreak, shortBreak].first { pattern in
                    index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                        $0 == $1 || ($0 >= 65 && $0 <= 90 && $0 + 32 == $1)
                    }
                }
                if let matched {
                    flush()
                    index += matched.count
                    continue
                }
            }
            if isSeparator[Int(byte)] {
                flush()
            } else {
                current.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
            index += 1
        }
        flush()
        return words
    }
}
