/// Everything that can go wrong while reading, checking or downloading a data set.
///
/// Every case names the file (or URL) involved and what is wrong with it, and its
/// ``description`` is a complete sentence meant to be shown to a user as is, for example:
///
///     t10k-labels-idx1-ubyte.gz: truncated: the header declares 10000 elements
///     (10008 bytes with the header) but the file holds only 5000 bytes.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file at `path` does not exist; `hint` says how to get it (it may be empty).
    case fileNotFound(path: String, hint: String)
    /// The file at `path` exists but could not be read.
    case readFailed(path: String, detail: String)
    /// The file at `path` could not be written, moved or removed.
    case writeFailed(path: String, detail: String)
    /// The file at `path` holds no bytes at all (or decompresses to none).
    case emptyFile(path: String)
    /// The first bytes of `path` are not the magic number the format requires.
    ///
    /// `expected` and `found` are readable renderings, such as `"0x00000803"`.
    case badMagicNumber(path: String, expected: String, found: String)
    /// The IDX header of `path` names an element type code this reader does not know.
    case unsupportedElementType(path: String, typeCode: UInt8)
    /// The file ends inside its header: a header of this rank needs `expectedBytes` bytes.
    case truncatedHeader(path: String, expectedBytes: Int, actualBytes: Int)
    /// The header declares `dimensions`, which need `expectedBytes` bytes (header included),
    /// but the file holds only `actualBytes`.
    case truncated(path: String, dimensions: [Int], expectedBytes: Int, actualBytes: Int)
    /// The header declares `dimensions`, which need `expectedBytes` bytes (header included),
    /// but the file holds more: the extra bytes are unexplained.
    case trailingBytes(path: String, dimensions: [Int], expectedBytes: Int, actualBytes: Int)
    /// The declared dimensions multiply to a size that does not fit in memory addresses.
    case dimensionsOverflow(path: String, dimensions: [Int])
    /// The gzip (or zlib) stream of `path` cannot be decompressed; `detail` says why.
    case corruptGzip(path: String, detail: String)
    /// The array in `path` has dimensions other than those required.
    ///
    /// `expected` is a readable rendering such as `"[n, 28, 28]"`.
    case unexpectedShape(path: String, expected: String, found: [Int])
    /// An image file and its label file disagree on the number of examples.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// The label at `index` of `path` is `value`, outside `0..<classCount`.
    case invalidLabel(path: String, index: Int, value: Int, classCount: Int)
    /// A file of fixed-length records (such as a CIFAR-10 batch) holds `actualBytes`, which is not
    /// a whole number of `recordBytes`-byte records; `layout` describes one record.
    case badRecordLength(path: String, recordBytes: Int, layout: String, actualBytes: Int)
    /// A download from `url` has the wrong digest; `expected` and `actual` name the algorithm and
    /// the lowercase hexadecimal digest, e.g. `SHA-256 7f18…` or `MD5 c32a…`.
    case checksumMismatch(url: String, expected: String, actual: String)
    /// A download from `url` has the wrong length in bytes.
    case sizeMismatch(url: String, expectedBytes: Int, actualBytes: Int)
    /// A download from `url` failed before it completed; `detail` says why.
    case downloadFailed(url: String, detail: String)
    /// A setting given to a data generator or transformation, `name`, is not usable; `reason`
    /// says why.
    case invalidArgument(name: String, reason: String)
    /// The folder holds no image files in the expected `layout` (e.g. "one sub-folder per class").
    case noImages(directory: String, layout: String)
    /// The file-name pattern of an image folder cannot be used; `detail` says why.
    case invalidFileNamePattern(pattern: String, detail: String)
    /// Class `className` has `count` images but a split needs `needed` of each class.
    case tooFewImages(directory: String, className: String, count: Int, needed: Int)

    /// A full sentence naming the file or URL and what is wrong with it.
    public var description: String {
        switch self {
        case .fileNotFound(let path, let hint):
            let sentence = "\(path): file not found"
            return hint.isEmpty ? "\(sentence); check the path for typos." : "\(sentence). \(hint)"
        case .readFailed(let path, let detail):
            return "\(path): the file exists but could not be read: \(detail)."
        case .writeFailed(let path, let detail):
            return "\(path): could not write the file: \(detail)."
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes of data); it was probably cut short while being "
                + "copied or downloaded, so fetch it again."
        case .badMagicNumber(let path, let expected, let found):
            return "\(path): bad magic number: expected \(expected) at the start of the file but found "
                + "\(found); this is not the kind of file it should be (or it is damaged)."
        case .unsupportedElementType(let path, let typeCode):
            return "\(path): unsupported IDX element type 0x\(Self.hexByte(typeCode)); known types are "
                + "0x08 (unsigned byte), 0x09 (signed byte), 0x0B (16-bit integer), 0x0C (32-bit integer), "
                + "0x0D (32-bit float) and 0x0E (64-bit float)."
        case .truncatedHeader(let path, let expectedBytes, let actualBytes):
            return "\(path): truncated header: the IDX header needs \(expectedBytes) bytes but the file "
                + "holds only \(actualBytes) \(Self.bytes(actualBytes)); the file was cut short."
        case .truncated(let path, let dimensions, let expectedBytes, let actualBytes):
            return "\(path): truncated: the header declares \(Self.elements(dimensions)) "
                + "(\(expectedBytes) bytes with the header) but the file holds only \(actualBytes) "
                + "\(Self.bytes(actualBytes))\(Self.afterDecompression(path)); the file was cut short."
        case .trailingBytes(let path, let dimensions, let expectedBytes, let actualBytes):
            return "\(path): trailing bytes: the header declares \(Self.elements(dimensions)) "
                + "(\(expectedBytes) bytes with the header) but the file holds \(actualBytes) bytes"
                + "\(Self.afterDecompression(path)), \(actualBytes - expectedBytes) more than that; "
                + "the header or the data is wrong."
        case .dimensionsOverflow(let path, let dimensions):
            return "\(path): impossible header: the declared dimensions "
                + "\(dimensions.map(String.init).joined(separator: " × ")) multiply to more bytes than "
                + "any file can hold; the header is corrupt."
        case .corruptGzip(let path, let detail):
            return "\(path): corrupt gzip data: \(detail); download or copy the file again."
        case .unexpectedShape(let path, let expected, let found):
            return "\(path): unexpected shape: expected dimensions \(expected) but the file holds "
                + "\(Self.shape(found))."
        case .countMismatch(let imagesPath, let imageCount, let labelsPath, let labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labelCount) labels; "
                + "the two files must describe the same examples (are they from the same split?)."
        case .invalidLabel(let path, let index, let value, let classCount):
            return "\(path): invalid label: label \(index) is \(value), but labels must lie between 0 "
                + "and \(classCount - 1) for \(classCount) classes."
        case .badRecordLength(let path, let recordBytes, let layout, let actualBytes):
            let whole = actualBytes / recordBytes
            return "\(path): truncated or not a record file: it holds \(actualBytes) \(Self.bytes(actualBytes)), "
                + "which is not a whole number of \(recordBytes)-byte records (\(layout)); \(whole) whole records "
                + "and \(actualBytes - whole * recordBytes) bytes left over. Copy or download the file again."
        case .checksumMismatch(let url, let expected, let actual):
            return "\(url): checksum mismatch: expected \(expected) but the downloaded file has "
                + "\(actual); the file was discarded (the download was damaged or the mirror changed)."
        case .sizeMismatch(let url, let expectedBytes, let actualBytes):
            return "\(url): size mismatch: expected \(expectedBytes) bytes but the download holds "
                + "\(actualBytes) \(Self.bytes(actualBytes)); the file was discarded."
        case .downloadFailed(let url, let detail):
            return "\(url): download failed: \(detail); nothing was saved. Check the network connection and "
                + "the URL, or copy the files by hand into the data directory."
        case .invalidArgument(let name, let reason):
            return "invalid \(name): \(reason)."
        case .noImages(let directory, let layout):
            return "\(directory): no images found; expected \(layout)."
        case .invalidFileNamePattern(let pattern, let detail):
            return "the file-name pattern \(pattern) cannot be used: \(detail)."
        case .tooFewImages(let directory, let className, let count, let needed):
            return "\(directory): class \(className) has \(count) \(count == 1 ? "image" : "images") but the split "
                + "needs \(needed) of every class; ask for fewer training or test images per class."
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    private static func bytes(_ count: Int) -> String { count == 1 ? "byte" : "bytes" }

    private static func shape(_ dimensions: [Int]) -> String {
        "[" + dimensions.map(String.init).joined(separator: ", ") + "]"
    }

    /// "10000 elements" or "10000 × 28 × 28 = 7840000 elements".
    private static func elements(_ dimensions: [Int]) -> String {
        if dimensions.isEmpty { return "a single element" }
        if dimensions.count == 1 { return "\(dimensions[0]) elements" }
        let product = dimensions.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        return dimensions.map(String.init).joined(separator: " × ") + " = \(product) elements"
    }

    private static func afterDecompression(_ path: String) -> String {
        path.hasSuffix(".gz") ? " once decompressed" : ""
    }
}
