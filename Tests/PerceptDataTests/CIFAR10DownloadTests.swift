import Foundation
import Testing

@testable import PerceptData

/// `CIFAR10.download` against a synthetic archive served from a `file://` folder: the same layout
/// as `cifar-10-binary.tar.gz` (six batch files in `cifar-10-batches-bin/`, plus a metadata file),
/// two records per batch, gzip-compressed by the tests' stored-block writer. No network.
@Suite("CIFAR-10 download and extraction", .serialized)
struct CIFAR10DownloadTests {
    /// Two records per batch, the label of each record its batch index.
    static func batches() -> [(name: String, body: Data)] {
        CIFAR10.batchFileNames.enumerated().map { index, name in
            let records = CIFAR10Tests.record(label: UInt8(index), red: 10, green: 20, blue: UInt8(index))
                + CIFAR10Tests.record(label: 9, red: 1, green: 2, blue: 3)
            return ("cifar-10-batches-bin/\(name)", Data(records))
        }
    }

    /// Writes `archive` as the catalog's only file in `server/` and returns the catalog.
    static func catalog(serving archive: Data, in root: URL, md5: String? = nil) throws -> DatasetCatalog {
        let server = root.appendingPathComponent("server", isDirectory: true)
        try FileManager.default.createDirectory(at: server, withIntermediateDirectories: true)
        try archive.write(to: server.appendingPathComponent("cifar-10-binary.tar.gz"))
        let file = DatasetFile(name: "cifar-10-binary.tar.gz", byteCount: archive.count, md5: md5 ?? Checksum.md5(of: archive))
        return DatasetCatalog(name: "cifar10", baseURL: URL(fileURLWithPath: server.path, isDirectory: true), files: [file])
    }

    @Test func theCanonicalArchiveIsDescribedByItsPublishedLengthAndMD5() {
        let file = DatasetCatalog.cifar10.files[0]
        #expect(DatasetCatalog.cifar10.url(of: file).absoluteString == "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")
        #expect(file.byteCount == 170_052_171 && file.algorithm == .md5 && file.digest == "c32a1d4ab5d03f1284b67883e8d87530")
        #expect(DatasetCatalog.named("cifar10") == .cifar10)
    }

    @Test func aVerifiedArchiveIsExtractedAndLoads() throws {
        try withTemporaryDirectory { root in
            let archive = Data(gzipStored([UInt8](tarArchive(Self.batches() + [("cifar-10-batches-bin/readme.html", Data("hi".utf8))]))))
            let catalog = try Self.catalog(serving: archive, in: root)
            let target = root.appendingPathComponent("cache", isDirectory: true)
            let folder = try CIFAR10.download(into: target, catalog: catalog)
            #expect(folder == target)
            let names = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
            #expect(names == (["cifar-10-binary.tar.gz"] + CIFAR10.batchFileNames).sorted())
            let train = try CIFAR10.load(from: target, split: .train)
            let test = try CIFAR10.load(from: target, split: .test)
            #expect(train.count == 10 && test.count == 2)
            #expect(train.labels == [0, 9, 1, 9, 2, 9, 3, 9, 4, 9] && test.labels == [5, 9])
            #expect(test.features[0, 0, 0, 2] == Float(5) / 255)
            // A second call finds everything in place and leaves it as is.
            let before = try FileManager.default.attributesOfItem(atPath: target.appendingPathComponent("test_batch.bin").path)
            try CIFAR10.download(into: target, catalog: catalog)
            let after = try FileManager.default.attributesOfItem(atPath: target.appendingPathComponent("test_batch.bin").path)
            #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        }
    }

    @Test func aWrongMD5DiscardsTheDownloadAndExtractsNothing() throws {
        try withTemporaryDirectory { root in
            let archive = Data(gzipStored([UInt8](tarArchive(Self.batches()))))
            let catalog = try Self.catalog(serving: archive, in: root, md5: "c32a1d4ab5d03f1284b67883e8d87530")
            let target = root.appendingPathComponent("cache", isDirectory: true)
            let url = catalog.url(of: catalog.files[0]).absoluteString
            #expect(throws: DataError.checksumMismatch(
                url: url, expected: "MD5 c32a1d4ab5d03f1284b67883e8d87530", actual: "MD5 \(Checksum.md5(of: archive))")) {
                try CIFAR10.download(into: target, catalog: catalog)
            }
            #expect((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [] == [])
        }
    }

    @Test func anArchiveMissingABatchOrHoldingABadOneIsNamed() throws {
        try withTemporaryDirectory { root in
            let incomplete = root.appendingPathComponent("incomplete.tar")
            try tarArchive(Array(Self.batches().dropLast())).write(to: incomplete)
            #expect(throws: TextDataError.missingLayout(path: incomplete.path, expected: "cifar-10-batches-bin/ with test_batch.bin")) {
                try CIFAR10.extractBatches(fromArchive: incomplete, into: root.appendingPathComponent("out"))
            }
            var entries = Self.batches()
            entries[2].body.removeLast()
            let damaged = root.appendingPathComponent("damaged.tar")
            try tarArchive(entries).write(to: damaged)
            #expect(throws: DataError.self) {
                try CIFAR10.extractBatches(fromArchive: damaged, into: root.appendingPathComponent("out"))
            }
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path), "nothing half-written")
            // Entries outside the archive's folder are never used as paths.
            entries = Self.batches()
            entries[0].name = "../data_batch_1.bin"
            let escaping = root.appendingPathComponent("escaping.tar")
            try tarArchive(entries).write(to: escaping)
            #expect(throws: TextDataError.self) {
                try CIFAR10.extractBatches(fromArchive: escaping, into: root.appendingPathComponent("out"))
            }
        }
    }
}
