import Foundation

/// A reader for tar archives (POSIX ustar and GNU long names) held in memory, enough to read data
/// sets shipped as `.tar.gz` without extracting them.
public struct TarArchive: Sendable {
    /// One regular file of the archive.
    public struct Entry: Sendable {
        /// The path inside the archive, e.g. `aclImdb/train/pos/0_9.txt`.
        public var path: String
        /// The file's bytes.
        public var contents: Data
    }

    /// The regular files, in archive order (directories, links and metadata entries are skipped).
    public private(set) var entries: [Entry] = []

    /// Reads the archive at `url`, decompressing it first if it is gzipped.
    ///
    /// - Throws: ``DataError`` when the file is missing or its gzip stream is corrupt, and
    ///   ``TextDataError`` when the archive is truncated or a header is damaged; each names the file.
    public init(contentsOf url: URL, including filter: (String) -> Bool = { _ in true }) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError.fileNotFound(path: url.path, hint: "")
        }
        let raw: Data
        do { raw = try Data(contentsOf: url) } catch {
            throw DataError.readFailed(path: url.path, detail: error.localizedDescription)
        }
        guard !raw.isEmpty else { throw DataError.emptyFile(path: url.path) }
        let bytes = Gzip.isGzip(raw) ? try Gzip.decompress(raw, path: url.path) : raw
        try self.init(bytes: bytes, path: url.path, including: filter)
    }

    /// Reads an uncompressed archive from `bytes`; `path` names it in errors. Only entries whose
    /// path passes `filter` keep their contents.
    public init(bytes: Data, path: String = "in-memory archive", including filter: (String) -> Bool = { _ in true }) throws {
        let block = 512
        var offset = 0
        var longName: String?
        var lastEntry = ""
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.bindMemory(to: UInt8.self)
            while offset + block <= base.count {
                let header = UnsafeBufferPointer(rebasing: base[offset..<(offset + block)])
                if header.allSatisfy({ $0 == 0 }) { return }  // end-of-archive marker
                let stored = try Self.octal(header, 148, 8, path: path, offset: offset, field: "checksum")
                var sum = 0
                for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
                guard sum == stored else {
                    throw TextDataError.corruptArchiveHeader(
                        path: path, offset: offset, detail: "checksum is \(stored) but the header sums to \(sum)")
                }
                let size = try Self.octal(header, 124, 12, path: path, offset: offset, field: "size")
                let type = header[156]
                var name = Self.string(header, 0, 100)
                if Self.string(header, 257, 6).hasPrefix("ustar") {
                    let prefix = Self.string(header, 345, 155)
                    if !prefix.isEmpty { name = prefix + "/" + name }
                }
                if let pending = longName { name = pending; longName = nil }
                let start = offset + block
                guard start + size <= base.count else {
                    throw TextDataError.truncatedArchive(path: path, entry: name, offset: base.count)
                }
                let body = UnsafeBufferPointer(rebasing: base[start..<(start + size)])
                switch type {
                case UInt8(ascii: "L"):  // GNU: the next entry's long name
                    longName = String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
                case UInt8(ascii: "0"), 0:
                    if filter(name) { entries.append(Entry(path: name, contents: Data(body))) }
                default:
                    break
                }
                offset = start + (size + block - 1) / block * block
                lastEntry = name
            }
            // Without an end marker, the archive must end exactly after the last entry's padding.
            if offset != base.count {
                throw TextDataError.truncatedArchive(path: path, entry: offset > base.count ? lastEntry : "", offset: base.count)
            }
        }
    }

    private static func string(_ header: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> String {
        String(decoding: header[start..<(start + length)].prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ header: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, path: String,
                              offset: Int, field: String) throws -> Int {
        var value = 0
        var seenDigit = false
        for byte in header[start..<(start + length)] {
            if byte == 0 || byte == 32 { if seenDigit { break } else { continue } }
            guard byte >= 48 && byte <= 55 else {
                throw TextDataError.corruptArchiveHeader(path: path, offset: offset, detail: "the \(field) field is not an octal number")
            }
            value = value * 8 + Int(byte - 48)
            seenDigit = true
        }
        return value
    }
}
