import Foundation
import PerceptData
import PerceptTensor
import Testing

@Suite("CIFAR-10 binary batches")
struct CIFAR10Tests {
    /// One record: the label, then the red, green and blue planes, here filled with 3 values.
    static func record(label: UInt8, red: UInt8, green: UInt8, blue: UInt8) -> [UInt8] {
        [label] + [UInt8](repeating: red, count: 1024) + [UInt8](repeating: green, count: 1024)
            + [UInt8](repeating: blue, count: 1024)
    }

    @Test func readsRecordsChannelsLast() throws {
        try withTemporaryDirectory { directory in
            var bytes = Self.record(label: 3, red: 255, green: 0, blue: 51)
            var second = Self.record(label: 9, red: 0, green: 0, blue: 0)
            second[1 + 1024 + 33] = 102  // green plane, row 1, column 1
            bytes += second
            try Data(bytes).write(to: directory.appendingPathComponent("test_batch.bin"))
            let test = try CIFAR10.load(from: directory, split: .test)
            #expect(test.labels == [3, 9])
            #expect(test.features.shape == [2, 32, 32, 3])
            #expect(test.features[0, 5, 7, 0] == 1 && test.features[0, 5, 7, 1] == 0 && test.features[0, 5, 7, 2] == 0.2)
            #expect(test.features[1, 1, 1, 1] == 0.4 && test.features[1, 1, 2, 1] == 0)
        }
    }

    @Test func aTruncatedFileIsNamedWithItsLength() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("test_batch.bin")
            try Data(Self.record(label: 1, red: 0, green: 0, blue: 0) + [1, 2, 3]).write(to: path)
            do {
                _ = try CIFAR10.load(from: directory, split: .test)
                Issue.record("a truncated file was accepted")
            } catch let error as DataError {
                #expect(error == .badRecordLength(
                    path: path.path, recordBytes: 3073, layout: "1 label byte, then 3,072 pixel bytes: 32 × 32 red, green, blue",
                    actualBytes: 3076))
                #expect(error.description.contains("3076 bytes") && error.description.contains("3 bytes left over"))
            }
        }
    }

    @Test func aBadLabelAndAMissingFileAreReported() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("test_batch.bin")
            try Data(Self.record(label: 1, red: 0, green: 0, blue: 0) + Self.record(label: 10, red: 0, green: 0, blue: 0))
                .write(to: path)
            #expect(throws: DataError.invalidLabel(path: path.path, index: 1, value: 10, classCount: 10)) {
                try CIFAR10.load(from: directory, split: .test)
            }
            do {
                _ = try CIFAR10.load(from: directory, split: .train)
                Issue.record("a missing file was accepted")
            } catch let error as DataError {
                #expect(error.description.contains("data_batch_1.bin") && error.description.contains("--data-dir"))
            }
        }
    }

    @Test func channelStandardisation() {
        let data = LabeledDataset(
            features: Tensor(shape: [2, 1, 1, 2], scalars: [0, 10, 2, 30]), labels: [0, 1], classCount: 2)
        let (mean, deviation) = data.channelStatistics()
        #expect(mean == [1, 20] && deviation == [1, 10])
        #expect(data.standardizingChannels(mean: mean, deviation: deviation).features.scalars == [-1, -1, 1, 1])
    }

    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"] != nil,
                 "set PERCEPT_SHARED_ROOT to a folder holding cifar10/"))
    func readsTheRealTestBatch() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"]!)
        let test = try CIFAR10.load(from: root.appendingPathComponent("cifar10"), split: .test)
        #expect(test.count == 10_000)
        #expect(test.classCounts == [Int](repeating: 1_000, count: 10))
    }
}
