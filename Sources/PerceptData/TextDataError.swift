/// What can go wrong while reading text data sets and tar archives. Each case names the file and
/// the fault; ``description`` is a sentence meant to be shown as is.
public enum TextDataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The tar archive `path` ends inside an entry or a header.
    case truncatedArchive(path: String, entry: String, offset: Int)
    /// The 512-byte header at `offset` of `path` fails its checksum or holds an unreadable field.
    case corruptArchiveHeader(path: String, offset: Int, detail: String)
    /// The data set's layout was not found under `path`; `expected` says what was looked for.
    case missingLayout(path: String, expected: String)
    /// A split of the data set holds no examples.
    case emptySplit(path: String, split: String)
    /// The Keras word index `path` is not a JSON object of distinct positive ranks; `detail` says why.
    case malformedWordIndex(path: String, detail: String)

    public var description: String {
        switch self {
        case let .truncatedArchive(path, entry, offset):
            return "\(path): truncated tar archive: it ends inside \(entry.isEmpty ? "a header" : "entry '\(entry)'") "
                + "(at byte \(offset) of the decompressed archive); the file was cut short, so copy or download it again."
        case let .corruptArchiveHeader(path, offset, detail):
            return "\(path): corrupt tar header at byte \(offset) of the decompressed archive: \(detail)."
        case let .missingLayout(path, expected):
            return "\(path): not found: expected \(expected)."
        case let .emptySplit(path, split):
            return "\(path): the \(split) split holds no reviews (no .txt files in its pos/ and neg/ folders)."
        case let .malformedWordIndex(path, detail):
            return "\(path): not a Keras word index: \(detail)."
        }
    }
}
