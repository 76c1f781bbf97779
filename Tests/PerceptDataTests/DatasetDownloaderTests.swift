import Foundation
import Testing

@testable import PerceptData

/// The two gzipped fixtures as a catalog, with lengths and digests taken from `sha256sum`.
private let fixtureFiles = [
    DatasetFile(
        name: "tiny-images-idx3-ubyte.gz", byteCount: 42,
        sha256: "7f1883d98a427a253f4c12d356283caa9b10e0459eb3530820efe9ab1fcc52cd"),
    DatasetFile(
        name: "tiny-labels-idx1-ubyte.gz", byteCount: 31,
        sha256: "c290c20e54e94c442220eab9bf253e9ecff38916ca8d98104394044f31bffb9b"),
]

/// Copies the fixtures to a "server" directory and returns a catalog whose base URL points there.
private func serverCatalog(in root: URL) throws -> (catalog: DatasetCatalog, server: URL) {
    let server = root.appendingPathComponent("server", isDirectory: true)
    try FileManager.default.createDirectory(at: server, withIntermediateDirectories: true)
    for file in fixtureFiles {
        try FileManager.default.copyItem(at: fixture(file.name), to: server.appendingPathComponent(file.name))
    }
    let catalog = DatasetCatalog(
        name: "tiny", baseURL: URL(fileURLWithPath: server.path, isDirectory: true), files: fixtureFiles)
    return (catalog, server)
}

/// Progress reports collected from the downloader's callback.
private final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    func append(_ entry: String) { lock.withLock { entries.append(entry) } }
    var all: [String] { lock.withLock { entries } }
}

private func contents(of directory: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
}

@Suite("Dataset downloader")
struct DatasetDownloaderTests {
    @Test("the MNIST catalog lists the four files with their published sizes and digests")
    func mnistCatalog() {
        let catalog = DatasetCatalog.mnist
        #expect(catalog.baseURL.absoluteString == "https://ossci-datasets.s3.amazonaws.com/mnist/")
        #expect(catalog.files.map(\.name) == MNIST.fileNames)
        #expect(catalog.files.map(\.byteCount) == [9_912_422, 28_881, 1_648_877, 4_542])
        #expect(catalog.files[3].digest == "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")
        #expect(catalog.url(of: catalog.files[0]).absoluteString
            == "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz")
        #expect(DatasetCatalog.named("MNIST") == catalog)
        #expect(DatasetCatalog.named("cifar") == nil)
    }

    @Test("the default directory is $PERCEPT_DATA_DIR, else ~/.cache/percept/mnist")
    func defaultDirectory() {
        let custom = DatasetDownloader.defaultDirectory(environment: ["PERCEPT_DATA_DIR": "/data/mnist", "HOME": "/home/u"])
        #expect(custom.path == "/data/mnist")
        let cached = DatasetDownloader.defaultDirectory(environment: ["HOME": "/home/u"])
        #expect(cached.path == "/home/u/.cache/percept/mnist")
        let emptyVariable = DatasetDownloader.defaultDirectory(environment: ["PERCEPT_DATA_DIR": "", "HOME": "/home/u"])
        #expect(emptyVariable.path == "/home/u/.cache/percept/mnist")
    }

    @Test("good file:// copies are downloaded, verified and then skipped the second time")
    func downloadsAndSkips() throws {
        try withTemporaryDirectory { root in
            let (catalog, _) = try serverCatalog(in: root)
            let target = root.appendingPathComponent("cache/tiny", isDirectory: true)
            let reports = ReportLog()
            let downloader = DatasetDownloader(catalog: catalog, directory: target) { name, done, total in
                reports.append("\(name) \(done)/\(total)")
            }
            #expect(try downloader.downloadAll() == [.downloaded, .downloaded])
            #expect(contents(of: target) == fixtureFiles.map(\.name).sorted())
            for file in fixtureFiles {
                #expect(try Data(contentsOf: target.appendingPathComponent(file.name))
                    == (try Data(contentsOf: fixture(file.name))))
                #expect(downloader.isPresent(file))
            }
            #expect(reports.all == ["tiny-images-idx3-ubyte.gz 42/42", "tiny-labels-idx1-ubyte.gz 31/31"])

            #expect(try downloader.downloadAll() == [.alreadyPresent, .alreadyPresent])
            // The downloaded images load as IDX, so the file really is the fixture.
            #expect(try IDXFile.read(contentsOf: target.appendingPathComponent("tiny-images-idx3-ubyte.gz")).dimensions == [3, 2, 2])
        }
    }

    @Test("a corrupted copy throws checksumMismatch naming the URL and leaves no file behind")
    func corruptedCopyIsRejected() throws {
        try withTemporaryDirectory { root in
            let (catalog, server) = try serverCatalog(in: root)
            let file = fixtureFiles[0]
            var bytes = [UInt8](try Data(contentsOf: server.appendingPathComponent(file.name)))
            bytes[20] ^= 0x01
            try write(bytes, to: file.name, in: server)
            let corruptDigest = Checksum.sha256(of: Data(bytes))

            let target = root.appendingPathComponent("cache", isDirectory: true)
            let downloader = DatasetDownloader(catalog: catalog, directory: target)
            let url = catalog.url(of: file).absoluteString
            let expected = DataError.checksumMismatch(url: url, expected: "SHA-256 \(file.digest)", actual: "SHA-256 \(corruptDigest)")
            #expect(throws: expected) { try downloader.download(file) }
            #expect(contents(of: target).isEmpty)
            #expect(expected.description.contains(url) && expected.description.contains(file.digest))
            #expect(expected.description.contains(corruptDigest))
        }
    }

    @Test("a copy of the wrong length throws sizeMismatch and leaves no file behind")
    func shortCopyIsRejected() throws {
        try withTemporaryDirectory { root in
            let (catalog, server) = try serverCatalog(in: root)
            let file = fixtureFiles[1]
            let bytes = [UInt8](try Data(contentsOf: server.appendingPathComponent(file.name)))
            try write(Array(bytes.dropLast(4)), to: file.name, in: server)

            let target = root.appendingPathComponent("cache", isDirectory: true)
            let downloader = DatasetDownloader(catalog: catalog, directory: target)
            #expect(throws: DataError.sizeMismatch(url: catalog.url(of: file).absoluteString, expectedBytes: 31, actualBytes: 27)) {
                try downloader.download(file)
            }
            #expect(contents(of: target).isEmpty)
        }
    }

    @Test("a longer copy is cut off and rejected without writing the whole thing")
    func longCopyIsRejected() throws {
        try withTemporaryDirectory { root in
            let (catalog, server) = try serverCatalog(in: root)
            let file = fixtureFiles[1]
            try write([UInt8](repeating: 7, count: 5000), to: file.name, in: server)
            let target = root.appendingPathComponent("cache", isDirectory: true)
            let error = #expect(throws: DataError.self) { try DatasetDownloader(catalog: catalog, directory: target).download(file) }
            guard case .downloadFailed(let url, let detail) = error else {
                Issue.record("expected downloadFailed, got \(String(describing: error))")
                return
            }
            #expect(url == catalog.url(of: file).absoluteString)
            #expect(detail.contains("more than the expected 31 bytes"))
            #expect(contents(of: target).isEmpty)
        }
    }

    @Test("a stale file under the final name is replaced by a verified download")
    func staleFileIsReplaced() throws {
        try withTemporaryDirectory { root in
            let (catalog, _) = try serverCatalog(in: root)
            let target = root.appendingPathComponent("cache", isDirectory: true)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let file = fixtureFiles[0]
            try write([UInt8](repeating: 0, count: 42), to: file.name, in: target)
            let downloader = DatasetDownloader(catalog: catalog, directory: target)
            #expect(!downloader.isPresent(file))
            #expect(try downloader.download(file) == .downloaded)
            #expect(try Checksum.sha256(fileAt: target.appendingPathComponent(file.name)) == file.digest)
            #expect(contents(of: target) == [file.name])
        }
    }

    @Test("a missing source throws downloadFailed naming the URL")
    func missingSource() throws {
        try withTemporaryDirectory { root in
            let (catalog, server) = try serverCatalog(in: root)
            let file = fixtureFiles[0]
            try FileManager.default.removeItem(at: server.appendingPathComponent(file.name))
            let target = root.appendingPathComponent("cache", isDirectory: true)
            let error = #expect(throws: DataError.self) { try DatasetDownloader(catalog: catalog, directory: target).download(file) }
            guard case .downloadFailed(let url, _) = error else {
                Issue.record("expected downloadFailed, got \(String(describing: error))")
                return
            }
            #expect(url == catalog.url(of: file).absoluteString)
            #expect(contents(of: target).isEmpty)
        }
    }
}
