import Foundation
import Testing

@testable import PerceptData

@Suite("IDX reader")
struct IDXFileTests {
    let tinyPixels: [UInt8] = [0, 255, 128, 1, 2, 3, 4, 5, 250, 251, 252, 253]

    @Test("the tiny raw and gzipped fixtures read as 3 images of 2 × 2", arguments: [
        "tiny-images-idx3-ubyte", "tiny-images-idx3-ubyte.gz", "tiny-images-concatenated.gz",
    ])
    func readsTinyImages(name: String) throws {
        let array = try IDXFile.read(contentsOf: fixture(name))
        #expect(array.elementType == .unsignedByte)
        #expect(array.dimensions == [3, 2, 2])
        #expect(array.count == 12)
        #expect(array.unsignedBytes == tinyPixels)
        #expect(array.floatValues == tinyPixels.map(Float.init))
    }

    @Test("gzip is detected by its magic bytes, not by the file name")
    func detectsGzipByContent() throws {
        try withTemporaryDirectory { directory in
            let compressed = try Data(contentsOf: fixture("tiny-labels-idx1-ubyte.gz"))
            let misnamed = directory.appendingPathComponent("labels.idx")
            try compressed.write(to: misnamed)
            #expect(try IDXFile.read(contentsOf: misnamed).unsignedBytes == [7, 0, 9])
            let raw = try Data(contentsOf: fixture("tiny-labels-idx1-ubyte"))
            let misnamedRaw = directory.appendingPathComponent("labels.gz")
            try raw.write(to: misnamedRaw)
            #expect(try IDXFile.read(contentsOf: misnamedRaw).unsignedBytes == [7, 0, 9])
        }
    }

    @Test("big-endian 32-bit floats are decoded (fixture)")
    func readsFloatFixture() throws {
        let array = try IDXFile.read(contentsOf: fixture("floats-idx1"))
        #expect(array.elementType == .float32)
        #expect(array.dimensions == [3])
        #expect(array.values == .floats([1.5, -2, 0.25]))
        #expect(array.unsignedBytes == nil)
    }

    @Test("every other element type is decoded big-endian as Float")
    func decodesAllElementTypes() throws {
        let signed = idxBytes(typeCode: 0x09, dimensions: [3], payload: [0xFF, 0x80, 0x7F])
        #expect(try IDXFile.parse(Data(signed), path: "i8").floatValues == [-1, -128, 127])

        let int16 = idxBytes(typeCode: 0x0B, dimensions: [2], payload: [0x01, 0x02, 0xFF, 0xFE])
        #expect(try IDXFile.parse(Data(int16), path: "i16").floatValues == [258, -2])

        let int32 = idxBytes(typeCode: 0x0C, dimensions: [2], payload: [0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFD])
        #expect(try IDXFile.parse(Data(int32), path: "i32").floatValues == [65536, -3])

        let float64 = idxBytes(typeCode: 0x0E, dimensions: [1, 2], payload: bytes(of: 0.5) + bytes(of: -1e10))
        let parsed = try IDXFile.parse(Data(float64), path: "f64")
        #expect(parsed.dimensions == [1, 2])
        #expect(parsed.floatValues == [0.5, -1e10])
    }

    @Test("gzipped variants of every element type parse the same as raw ones")
    func gzippedVariantsMatchRaw() throws {
        for (code, payload) in [(UInt8(0x08), [UInt8](1...6)), (0x0B, [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6])] {
            let raw = idxBytes(typeCode: code, dimensions: [2, 3], payload: payload)
            let fromRaw = try IDXFile.parse(Data(raw), path: "raw")
            let fromGzip = try IDXFile.parse(Data(gzipStored(raw)), path: "raw.gz")
            #expect(fromRaw == fromGzip)
            #expect(fromGzip.floatValues == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test("a rank-0 file holds one element")
    func readsScalar() throws {
        let scalar = try IDXFile.parse(Data(idxBytes(dimensions: [], payload: [42])), path: "scalar")
        #expect(scalar.dimensions == [])
        #expect(scalar.unsignedBytes == [42])
    }

    @Test("an empty file is rejected, raw or after decompression")
    func rejectsEmptyFile() throws {
        #expect(throws: DataError.emptyFile(path: "empty.idx")) { try IDXFile.parse(Data(), path: "empty.idx") }
        #expect(throws: DataError.emptyFile(path: "empty.gz")) {
            try IDXFile.parse(Data(gzipStored([])), path: "empty.gz")
        }
    }

    @Test("a wrong magic number is rejected")
    func rejectsWrongMagic() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let error = #expect(throws: DataError.self) { try IDXFile.parse(Data(png), path: "picture.png") }
        guard case .badMagicNumber(let path, _, let found) = error else {
            Issue.record("expected badMagicNumber, got \(String(describing: error))")
            return
        }
        #expect(path == "picture.png")
        #expect(found == "0x89504E47")
    }

    @Test("an unknown type code is rejected")
    func rejectsUnknownType() {
        #expect(throws: DataError.unsupportedElementType(path: "x", typeCode: 0x0A)) {
            try IDXFile.parse(Data(idxBytes(typeCode: 0x0A, dimensions: [1], payload: [0])), path: "x")
        }
    }

    @Test("a header cut inside any field is reported as a truncated header")
    func rejectsTruncatedHeader() {
        let whole = idxBytes(dimensions: [3, 2, 2], payload: tinyPixels)
        for length in 1..<16 {
            let expectedBytes = length < 4 ? 4 : 16
            #expect(
                throws: DataError.truncatedHeader(path: "cut", expectedBytes: expectedBytes, actualBytes: length),
                "cut after \(length) bytes"
            ) {
                try IDXFile.parse(Data(whole[..<length]), path: "cut")
            }
            #expect(throws: DataError.truncatedHeader(path: "cut.gz", expectedBytes: expectedBytes, actualBytes: length)) {
                try IDXFile.parse(Data(gzipStored(Array(whole[..<length]))), path: "cut.gz")
            }
        }
    }

    @Test("data shorter than the header declares is reported as truncated")
    func rejectsTruncatedData() {
        let short = idxBytes(dimensions: [3, 2, 2], payload: Array(tinyPixels[..<7]))
        let expected = DataError.truncated(path: "short", dimensions: [3, 2, 2], expectedBytes: 28, actualBytes: 23)
        #expect(throws: expected) { try IDXFile.parse(Data(short), path: "short") }
        #expect(throws: DataError.truncated(path: "short.gz", dimensions: [3, 2, 2], expectedBytes: 28, actualBytes: 23)) {
            try IDXFile.parse(Data(gzipStored(short)), path: "short.gz")
        }
    }

    @Test("bytes after the declared data are rejected")
    func rejectsTrailingBytes() {
        let long = idxBytes(dimensions: [3, 2, 2], payload: tinyPixels + [9, 9])
        #expect(throws: DataError.trailingBytes(path: "long", dimensions: [3, 2, 2], expectedBytes: 28, actualBytes: 30)) {
            try IDXFile.parse(Data(long), path: "long")
        }
        #expect(throws: DataError.trailingBytes(path: "long.gz", dimensions: [3, 2, 2], expectedBytes: 28, actualBytes: 30)) {
            try IDXFile.parse(Data(gzipStored(long)), path: "long.gz")
        }
    }

    @Test("huge declared dimensions throw before anything is allocated")
    func rejectsHugeDimensions() {
        // 2^32 - 1 cubed overflows Int: the header cannot be right.
        let max = UInt32.max
        let overflowing = idxBytes(dimensions: [max, max, max], payload: [1, 2, 3])
        #expect(throws: DataError.dimensionsOverflow(path: "huge", dimensions: [Int(max), Int(max), Int(max)])) {
            try IDXFile.parse(Data(overflowing), path: "huge")
        }
        // Fits in Int but is terabytes more than the file holds: truncated, not an allocation.
        let large = idxBytes(typeCode: 0x0E, dimensions: [max, 28, 28], payload: [1, 2, 3])
        let expectedBytes = Int(max) * 28 * 28 * 8 + 16
        #expect(
            throws: DataError.truncated(path: "large", dimensions: [Int(max), 28, 28], expectedBytes: expectedBytes, actualBytes: 19)
        ) {
            try IDXFile.parse(Data(large), path: "large")
        }
    }

    @Test("a missing file is reported with its path")
    func rejectsMissingFile() throws {
        let missing = fixturesDirectory.appendingPathComponent("no-such-file.idx")
        #expect(throws: DataError.fileNotFound(path: missing.path, hint: "")) {
            try IDXFile.read(contentsOf: missing)
        }
    }

    @Test("a corrupt gzipped file reports corruptGzip with its path")
    func rejectsCorruptGzipFile() throws {
        try withTemporaryDirectory { directory in
            var bytes = [UInt8](try Data(contentsOf: fixture("tiny-images-idx3-ubyte.gz")))
            bytes[bytes.count - 5] ^= 0x55  // inside the ISIZE/CRC trailer
            let url = try write(bytes, to: "corrupt.gz", in: directory)
            let error = #expect(throws: DataError.self) { try IDXFile.read(contentsOf: url) }
            guard case .corruptGzip(let path, _) = error else {
                Issue.record("expected corruptGzip, got \(String(describing: error))")
                return
            }
            #expect(path == url.path)
        }
    }

    private func bytes(of value: Double) -> [UInt8] {
        let bits = value.bitPattern
        return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) }
    }
}
