import Foundation
import PerceptTensor
import Testing

@testable import PerceptData

/// Writes a small MNIST-shaped split (28 × 28 images) into `directory` under the standard names.
private func writeSplit(
    _ split: MNIST.Split, images: Int, labels: [UInt8], in directory: URL, gzipped: Bool = true,
    side: UInt32 = 28
) throws {
    let pixelCount = images * Int(side * side)
    let pixels = (0..<pixelCount).map { UInt8(truncatingIfNeeded: $0 * 7) }
    let imageFile = idxBytes(dimensions: [UInt32(images), side, side], payload: pixels)
    let labelFile = idxBytes(dimensions: [UInt32(labels.count)], payload: labels)
    let imagesName = MNIST.imagesFileName(for: split)
    let labelsName = MNIST.labelsFileName(for: split)
    if gzipped {
        try write(gzipStored(imageFile), to: imagesName, in: directory)
        try write(gzipStored(labelFile), to: labelsName, in: directory)
    } else {
        try write(imageFile, to: String(imagesName.dropLast(3)), in: directory)
        try write(labelFile, to: String(labelsName.dropLast(3)), in: directory)
    }
}

@Suite("MNIST loading")
struct MNISTTests {
    @Test("the four standard file names")
    func standardNames() {
        #expect(MNIST.fileNames == [
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        ])
        #expect(MNIST.imagesFileName(for: .test) == "t10k-images-idx3-ubyte.gz")
        #expect(MNIST.labelsFileName(for: .train) == "train-labels-idx1-ubyte.gz")
    }

    @Test("a small gzipped split loads with pixels scaled to [0, 1]", arguments: [true, false])
    func loadsSmallSplit(gzipped: Bool) throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.test, images: 3, labels: [3, 0, 9], in: directory, gzipped: gzipped)
            let dataset = try MNIST.load(from: directory, split: .test)
            #expect(dataset.count == 3)
            #expect(dataset.classCount == 10)
            #expect(dataset.labels == [3, 0, 9])
            #expect(dataset.features.shape == [3, 28, 28])
            #expect(dataset.features[0, 0, 1] == Float(7) / 255)
            #expect(dataset.features[2, 27, 27] == Float(UInt8(truncatingIfNeeded: (3 * 784 - 1) * 7)) / 255)
            #expect(dataset.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test("the .gz file is preferred when both forms are present")
    func prefersGzippedFile() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.train, images: 1, labels: [4], in: directory, gzipped: true)
            try writeSplit(.train, images: 2, labels: [5, 6], in: directory, gzipped: false)
            #expect(try MNIST.load(from: directory, split: .train).labels == [4])
        }
    }

    @Test("a missing file names the file, the directory and how to get it")
    func missingFileMessage() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.train, images: 1, labels: [4], in: directory)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("train-labels-idx1-ubyte.gz"))
            let error = #expect(throws: DataError.self) { try MNIST.load(from: directory, split: .train) }
            guard case .fileNotFound(let path, _) = error, let message = error?.description else {
                Issue.record("expected fileNotFound, got \(String(describing: error))")
                return
            }
            #expect(path == directory.appendingPathComponent("train-labels-idx1-ubyte.gz").path)
            #expect(message.contains("train-labels-idx1-ubyte.gz"))
            #expect(message.contains("missing from the directory \(directory.path)"))
            #expect(message.contains("percept datasets download mnist --data-dir \(directory.path)"))
            #expect(message.contains("--data-dir"))
        }
    }

    @Test("a missing directory says the directory does not exist")
    func missingDirectoryMessage() {
        let directory = URL(fileURLWithPath: "/nonexistent/percept-mnist")
        let error = #expect(throws: DataError.self) { try MNIST.load(from: directory, split: .test) }
        #expect(error?.description.contains("The MNIST data directory /nonexistent/percept-mnist does not exist") == true)
        #expect(error?.description.contains("t10k-images-idx3-ubyte.gz") == true)
    }

    @Test("images and labels with different counts are rejected, naming both files")
    func rejectsCountMismatch() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.train, images: 3, labels: [1, 2], in: directory)
            let imagesPath = directory.appendingPathComponent("train-images-idx3-ubyte.gz").path
            let labelsPath = directory.appendingPathComponent("train-labels-idx1-ubyte.gz").path
            let expected = DataError.countMismatch(imagesPath: imagesPath, imageCount: 3, labelsPath: labelsPath, labelCount: 2)
            #expect(throws: expected) { try MNIST.load(from: directory, split: .train) }
            #expect(expected.description.contains("holds 3 images") && expected.description.contains("holds 2 labels"))
        }
    }

    @Test("a label of 10 or more is rejected with its position")
    func rejectsOutOfRangeLabel() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.test, images: 3, labels: [1, 10, 2], in: directory)
            let labelsPath = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path
            #expect(throws: DataError.invalidLabel(path: labelsPath, index: 1, value: 10, classCount: 10)) {
                try MNIST.load(from: directory, split: .test)
            }
        }
    }

    @Test("images that are not 28 × 28 are rejected")
    func rejectsWrongImageSize() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.test, images: 2, labels: [1, 2], in: directory, side: 27)
            let imagesPath = directory.appendingPathComponent("t10k-images-idx3-ubyte.gz").path
            #expect(throws: DataError.unexpectedShape(path: imagesPath, expected: "[n, 28, 28]", found: [2, 27, 27])) {
                try MNIST.load(from: directory, split: .test)
            }
        }
    }

    @Test("swapped files (labels where images belong) are rejected by magic number")
    func rejectsSwappedFiles() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.test, images: 2, labels: [1, 2], in: directory)
            let error = #expect(throws: DataError.self) {
                try MNIST.load(
                    imagesAt: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
                    labelsAt: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
            }
            guard case .badMagicNumber(_, let expected, let found) = error else {
                Issue.record("expected badMagicNumber, got \(String(describing: error))")
                return
            }
            #expect(expected.hasPrefix("0x00000803"))
            #expect(found.hasPrefix("0x00000801"))
        }
    }

    @Test("a truncated labels file is reported by name")
    func rejectsTruncatedLabels() throws {
        try withTemporaryDirectory { directory in
            try writeSplit(.test, images: 2, labels: [1, 2], in: directory)
            let labelsURL = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
            try write(gzipStored(idxBytes(dimensions: [10000], payload: [UInt8](repeating: 1, count: 5000))),
                      to: labelsURL.lastPathComponent, in: directory)
            let expected = DataError.truncated(path: labelsURL.path, dimensions: [10000], expectedBytes: 10008, actualBytes: 5008)
            #expect(throws: expected) { try MNIST.load(from: directory, split: .test) }
        }
    }

    @Test("the embedded training subset holds the first 10,000 real MNIST examples")
    func loadsEmbeddedTrainingSubset() throws {
        let train = try MNIST.loadEmbedded(split: .train)
        #expect(train.count == 10_000)
        #expect(train.features.shape == [10_000, 28, 28])
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        let (low, high) = train.features.scalars.reduce((Float.infinity, -Float.infinity)) { (min($0.0, $1), max($0.1, $1)) }
        #expect(low == 0)
        #expect(high == 1)
        #expect(Set(train.labels) == Set(0..<10))
        // Class counts of the first 10,000 real MNIST training labels.
        #expect(train.classCounts == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    }

    @Test("the embedded test subset holds the first 2,000 real MNIST test examples")
    func loadsEmbeddedTestSubset() throws {
        let test = try MNIST.loadEmbedded(split: .test)
        #expect(test.count == 2_000)
        #expect(test.features.shape == [2_000, 28, 28])
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(test.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("the embedded directory holds exactly the four standard files, under 3 MB in all")
    func embeddedDirectoryContents() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: MNIST.embeddedDirectory.path)
        #expect(names.sorted() == MNIST.fileNames.sorted())
        let total = try names.reduce(0) { sum, name in
            let attributes = try FileManager.default.attributesOfItem(
                atPath: MNIST.embeddedDirectory.appendingPathComponent(name).path)
            return sum + ((attributes[.size] as? NSNumber)?.intValue ?? .max / 8)
        }
        #expect(total <= 3_000_000)
    }

    @Test(
        "the full MNIST from PERCEPT_SHARED_DATA loads 60,000 + 10,000 examples and agrees with the subset",
        .enabled(if: sharedMNISTDirectory != nil, "set PERCEPT_SHARED_DATA to a directory with the four MNIST files"))
    func loadsFullMNIST() throws {
        let directory = try #require(sharedMNISTDirectory)
        let train = try MNIST.load(from: directory, split: .train)
        #expect(train.count == 60_000)
        #expect(train.features.shape == [60_000, 28, 28])
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(train.classCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        let test = try MNIST.load(from: directory, split: .test)
        #expect(test.count == 10_000)
        #expect(test.classCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])

        let embedded = try MNIST.loadEmbedded(split: .train)
        #expect(embedded == train.subset(..<10_000))
        #expect(try MNIST.loadEmbedded(split: .test) == test.subset(..<2_000))
    }
}
