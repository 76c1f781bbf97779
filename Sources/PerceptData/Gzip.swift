import CZlib
import Foundation

/// Decompression of gzip (and zlib) data held in memory, through the system's zlib.
///
/// Foundation on Linux cannot decompress gzip, so this wraps zlib's `inflate` directly. The
/// format is detected from the first bytes (zlib's automatic header detection), concatenated gzip
/// members (as `cat a.gz b.gz` produces) are decompressed one after the other, and a stream that
/// is cut short or damaged throws ``DataError/corruptGzip(path:detail:)``.
public enum Gzip {
    /// Whether `data` starts with the gzip magic bytes `0x1f 0x8b`.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// Decompresses a whole gzip or zlib buffer.
    ///
    /// - Parameters:
    ///   - data: the compressed bytes: one or more gzip members, or a single zlib stream.
    ///   - path: the file the bytes came from, used only to name it in errors.
    /// - Returns: the decompressed bytes of every member, in order.
    /// - Throws: ``DataError/corruptGzip(path:detail:)`` when the input is empty, truncated,
    ///   fails its integrity check, or is followed by bytes that are not another gzip member.
    public static func decompress(_ data: Data, path: String = "in-memory data") throws -> Data {
        guard !data.isEmpty else {
            throw DataError.corruptGzip(path: path, detail: "the input is empty, so it holds no compressed stream")
        }
        var stream = z_stream()
        // 15 is the largest window; adding 32 makes zlib detect a gzip or zlib header by itself.
        let windowBits: Int32 = 15 + 32
        let initStatus = inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw DataError.corruptGzip(path: path, detail: "zlib could not start decompressing (error \(initStatus))")
        }
        defer { inflateEnd(&stream) }

        var output = Data()
        output.reserveCapacity(expectedSize(ofDecompressing: data))
        let chunkSize = 1 << 18
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }

        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            let base = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var handedToZlib = 0
            while true {
                // `avail_in` is 32 bits wide, so inputs over 4 GiB are fed in pieces.
                if stream.avail_in == 0 && handedToZlib < input.count {
                    let piece = min(input.count - handedToZlib, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: base + handedToZlib)
                    stream.avail_in = UInt32(piece)
                    handedToZlib += piece
                }
                stream.next_out = chunk
                stream.avail_out = UInt32(chunkSize)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = chunkSize - Int(stream.avail_out)
                if produced > 0 { output.append(chunk, count: produced) }
                let unread = Int(stream.avail_in) + (input.count - handedToZlib)

                switch status {
                case Z_STREAM_END:
                    if unread == 0 { return }
                    let next = base + (input.count - unread)
                    guard unread >= 2, next[0] == 0x1F, next[1] == 0x8B else {
                        throw DataError.corruptGzip(
                            path: path,
                            detail: "\(unread) unexpected bytes follow the end of the compressed stream")
                    }
                    guard inflateReset(&stream) == Z_OK else {
                        throw DataError.corruptGzip(path: path, detail: "zlib could not start the next gzip member")
                    }
                case Z_OK, Z_BUF_ERROR:
                    if produced == 0 && unread == 0 {
                        throw DataError.corruptGzip(
                            path: path,
                            detail: "the compressed stream ends early (after \(input.count) bytes), so the file "
                                + "is truncated")
                    }
                    if produced == 0 && status == Z_BUF_ERROR {
                        throw DataError.corruptGzip(path: path, detail: "zlib can make no progress")
                    }
                case Z_NEED_DICT:
                    throw DataError.corruptGzip(
                        path: path, detail: "the stream asks for a preset dictionary, which gzip files never use")
                case Z_DATA_ERROR:
                    let reason = stream.msg.map { String(cString: $0) } ?? "invalid compressed data"
                    throw DataError.corruptGzip(path: path, detail: "\(reason) at input byte \(input.count - unread)")
                case Z_MEM_ERROR:
                    throw DataError.corruptGzip(path: path, detail: "zlib ran out of memory")
                default:
                    throw DataError.corruptGzip(path: path, detail: "zlib failed with error \(status)")
                }
            }
        }
        return output
    }

    /// A capacity to reserve for the output, so that large files are not copied while growing.
    ///
    /// A gzip member ends with its uncompressed size modulo 2³², which is exact for one member
    /// under 4 GiB. The hint is capped at 64 times the input so that a forged trailer cannot make
    /// us reserve absurd amounts; output beyond the hint still grows as needed.
    private static func expectedSize(ofDecompressing data: Data) -> Int {
        let cap = min(data.count, Int.max / 64) * 64
        guard isGzip(data), data.count >= 18 else { return min(data.count * 4, cap) }
        let end = data.endIndex
        let trailerSize = (0..<4).reduce(0) { sum, i in sum | Int(data[end - 4 + i]) << (8 * i) }
        return min(trailerSize, cap)
    }
}
