import Testing

@testable import PerceptData

@Suite("Error messages")
struct DataErrorTests {
    @Test("a truncated label file reads as a full sentence with the numbers")
    func truncatedMessage() {
        let error = DataError.truncated(
            path: "t10k-labels-idx1-ubyte.gz", dimensions: [10000], expectedBytes: 10008, actualBytes: 5000)
        #expect(
            error.description
                == "t10k-labels-idx1-ubyte.gz: truncated: the header declares 10000 elements (10008 bytes with the "
                + "header) but the file holds only 5000 bytes once decompressed; the file was cut short.")
    }

    @Test("multi-dimensional sizes are spelled out")
    func dimensionsInMessages() {
        let error = DataError.trailingBytes(path: "images.idx", dimensions: [2, 28, 28], expectedBytes: 1584, actualBytes: 1590)
        #expect(error.description.contains("2 × 28 × 28 = 1568 elements"))
        #expect(error.description.contains("6 more than that"))
        #expect(!error.description.contains("decompressed"))
    }

    @Test("every case names its file or URL and ends as a sentence", arguments: [
        DataError.fileNotFound(path: "/d/f.gz", hint: ""),
        .fileNotFound(path: "/d/f.gz", hint: "Get it somewhere."),
        .readFailed(path: "/d/f.gz", detail: "permission denied"),
        .writeFailed(path: "/d/f.gz", detail: "disk full"),
        .emptyFile(path: "/d/f.gz"),
        .badMagicNumber(path: "/d/f.gz", expected: "0x00000803", found: "0x1F8B0800"),
        .unsupportedElementType(path: "/d/f.gz", typeCode: 0x0A),
        .truncatedHeader(path: "/d/f.gz", expectedBytes: 16, actualBytes: 9),
        .truncated(path: "/d/f.gz", dimensions: [], expectedBytes: 5, actualBytes: 4),
        .trailingBytes(path: "/d/f.gz", dimensions: [3], expectedBytes: 11, actualBytes: 12),
        .dimensionsOverflow(path: "/d/f.gz", dimensions: [1 << 40, 1 << 40]),
        .corruptGzip(path: "/d/f.gz", detail: "invalid block type"),
        .unexpectedShape(path: "/d/f.gz", expected: "[n, 28, 28]", found: [5, 27, 27]),
        .countMismatch(imagesPath: "/d/f.gz", imageCount: 3, labelsPath: "/d/g.gz", labelCount: 2),
        .invalidLabel(path: "/d/f.gz", index: 4, value: 11, classCount: 10),
        .checksumMismatch(url: "/d/f.gz", expected: "aa", actual: "bb"),
        .sizeMismatch(url: "/d/f.gz", expectedBytes: 10, actualBytes: 1),
        .downloadFailed(url: "/d/f.gz", detail: "connection refused"),
    ])
    func everyCaseIsASentence(error: DataError) {
        let text = error.description
        #expect(text.hasPrefix("/d/f.gz"))
        #expect(text.hasSuffix("."))
        #expect(!text.contains(".."))
        #expect(text.count > 40)
    }

    @Test("specific details appear in their messages")
    func details() {
        #expect(DataError.unsupportedElementType(path: "x", typeCode: 0x0A).description.contains("0x0A"))
        #expect(DataError.invalidLabel(path: "x", index: 4, value: 11, classCount: 10).description.contains("between 0 and 9"))
        #expect(DataError.truncatedHeader(path: "x", expectedBytes: 4, actualBytes: 1).description.contains("only 1 byte;"))
        #expect(DataError.truncated(path: "x", dimensions: [], expectedBytes: 5, actualBytes: 4).description.contains("a single element"))
    }
}
