import Foundation
import Testing

@testable import PerceptData

@Suite("Gzip decompression")
struct GzipTests {
    let message = Array("The quick brown fox jumps over the lazy dog.".utf8)

    @Test("a file compressed by GNU gzip decompresses to the original bytes")
    func decompressesGNUGzipOutput() throws {
        let compressed = try Data(contentsOf: fixture("tiny-images-idx3-ubyte.gz"))
        let original = try Data(contentsOf: fixture("tiny-images-idx3-ubyte"))
        #expect(Gzip.isGzip(compressed))
        #expect(try Gzip.decompress(compressed) == original)
    }

    @Test("a gzip member written by hand (stored blocks, CRC-32) decompresses")
    func decompressesHandWrittenMember() throws {
        #expect(try Gzip.decompress(Data(gzipStored(message))) == Data(message))
    }

    @Test("a payload larger than one stored block and than the output chunk survives")
    func decompressesLargePayload() throws {
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 ^ $0 >> 7) }
        #expect(try Gzip.decompress(Data(gzipStored(payload))) == Data(payload))
    }

    @Test("a zlib stream is detected and decompressed too")
    func decompressesZlibStream() throws {
        let stream = Data(zlibStored(message))
        #expect(!Gzip.isGzip(stream))
        #expect(try Gzip.decompress(stream) == Data(message))
    }

    @Test("concatenated gzip members decompress to the concatenation")
    func decompressesConcatenatedMembers() throws {
        let joined = gzipStored(Array(message[..<10])) + gzipStored(Array(message[10...]))
        #expect(try Gzip.decompress(Data(joined)) == Data(message))
        let gnuJoined = try Data(contentsOf: fixture("tiny-images-concatenated.gz"))
        #expect(try Gzip.decompress(gnuJoined) == (try Data(contentsOf: fixture("tiny-images-idx3-ubyte"))))
    }

    @Test("an empty member decompresses to nothing")
    func decompressesEmptyMember() throws {
        #expect(try Gzip.decompress(Data(gzipStored([]))).isEmpty)
    }

    @Test("truncated input throws corruptGzip at every cut point")
    func rejectsTruncatedInput() throws {
        let whole = gzipStored(message)
        for length in 1..<whole.count {
            let error = #expect(throws: DataError.self, "cut after \(length) bytes") {
                try Gzip.decompress(Data(whole[..<length]), path: "cut.gz")
            }
            guard case .corruptGzip(let path, _) = error else {
                Issue.record("expected corruptGzip, got \(String(describing: error))")
                continue
            }
            #expect(path == "cut.gz")
        }
    }

    @Test("a truncated GNU gzip file says it is truncated")
    func truncatedMessage() throws {
        let whole = try Data(contentsOf: fixture("tiny-images-idx3-ubyte.gz"))
        let error = #expect(throws: DataError.self) {
            try Gzip.decompress(whole.prefix(whole.count - 6), path: "short.gz")
        }
        #expect(error?.description.contains("truncated") == true)
        #expect(error?.description.hasPrefix("short.gz:") == true)
    }

    @Test("a wrong CRC-32 is reported as corrupt")
    func rejectsBadChecksum() throws {
        var member = gzipStored(message)
        member[member.count - 8] ^= 0xFF
        let error = #expect(throws: DataError.self) { try Gzip.decompress(Data(member), path: "crc.gz") }
        guard case .corruptGzip(_, let detail) = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("check"))
    }

    @Test("corrupt deflate data is reported as corrupt")
    func rejectsCorruptDeflate() throws {
        // Block type 11 (reserved) is invalid in every deflate stream.
        let member: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x07, 0x00, 0x00]
        let error = #expect(throws: DataError.self) { try Gzip.decompress(Data(member), path: "bad.gz") }
        guard case .corruptGzip(let path, _) = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(path == "bad.gz")
    }

    @Test("bytes that are neither gzip nor zlib are rejected")
    func rejectsNonCompressedInput() {
        #expect(throws: DataError.self) { try Gzip.decompress(Data(message)) }
        #expect(throws: DataError.self) { try Gzip.decompress(Data()) }
    }

    @Test("garbage after the last member is rejected")
    func rejectsTrailingGarbage() {
        let padded = gzipStored(message) + [0, 0, 0, 0]
        let error = #expect(throws: DataError.self) { try Gzip.decompress(Data(padded), path: "padded.gz") }
        #expect(error?.description.contains("4 unexpected bytes") == true)
    }
}
