import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of a downloadable data set, with what it must look like once downloaded.
public struct DatasetFile: Sendable, Equatable {
    /// A hash function a publisher gives digests with.
    public enum DigestAlgorithm: String, Sendable, Equatable {
        /// SHA-256 (FIPS 180-4), preferred.
        case sha256 = "SHA-256"
        /// MD5 (RFC 1321), for publishers that give nothing else.
        case md5 = "MD5"
    }

    /// The file name, both at the source and on disk.
    public var name: String
    /// The exact length of the file, in bytes.
    public var byteCount: Int
    /// The hash function of ``digest``.
    public var algorithm: DigestAlgorithm
    /// The published digest of the file, as lowercase hexadecimal digits.
    public var digest: String

    /// Describes a file by its name, length and SHA-256 digest.
    public init(name: String, byteCount: Int, sha256: String) {
        self.init(name: name, byteCount: byteCount, algorithm: .sha256, digest: sha256)
    }

    /// Describes a file by its name, length and MD5 digest (when that is all its publisher gives).
    public init(name: String, byteCount: Int, md5: String) {
        self.init(name: name, byteCount: byteCount, algorithm: .md5, digest: md5)
    }

    private init(name: String, byteCount: Int, algorithm: DigestAlgorithm, digest: String) {
        self.name = name
        self.byteCount = byteCount
        self.algorithm = algorithm
        self.digest = digest.lowercased()
    }

    /// The digest of the file at `url` by ``algorithm``.
    func digest(ofFileAt url: URL) throws -> String {
        switch algorithm {
        case .sha256: try Checksum.digest(fileAt: url, using: SHA256Hasher.self)
        case .md5: try Checksum.digest(fileAt: url, using: MD5Hasher.self)
        }
    }

    /// A hasher for ``algorithm``.
    func makeHasher() -> any DigestHasher {
        switch algorithm {
        case .sha256: SHA256Hasher()
        case .md5: MD5Hasher()
        }
    }
}

/// A data set that can be downloaded: where its files live and how to check them.
public struct DatasetCatalog: Sendable, Equatable {
    /// The short name used on the command line, e.g. `mnist`.
    public var name: String
    /// The URL every file name is appended to. It may also be a `file://` URL.
    public var baseURL: URL
    /// The files that make up the data set.
    public var files: [DatasetFile]

    /// Describes a data set by its name, base URL and files.
    public init(name: String, baseURL: URL, files: [DatasetFile]) {
        self.name = name
        self.baseURL = baseURL
        self.files = files
    }

    /// Where `file` is downloaded from.
    public func url(of file: DatasetFile) -> URL {
        baseURL.appendingPathComponent(file.name)
    }

    /// MNIST's four gzipped IDX files, from the mirror of yann.lecun.com/exdb/mnist that
    /// PyTorch uses, with their published lengths and digests.
    public static let mnist = DatasetCatalog(
        name: "mnist",
        baseURL: URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!,
        files: [
            DatasetFile(
                name: "train-images-idx3-ubyte.gz", byteCount: 9_912_422,
                sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            DatasetFile(
                name: "train-labels-idx1-ubyte.gz", byteCount: 28_881,
                sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            DatasetFile(
                name: "t10k-images-idx3-ubyte.gz", byteCount: 1_648_877,
                sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            DatasetFile(
                name: "t10k-labels-idx1-ubyte.gz", byteCount: 4_542,
                sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ])

    /// CIFAR-10's binary version, one archive from its authors' page; they publish an MD5 digest
    /// only. ``CIFAR10/download(into:progress:)`` also extracts its six batch files.
    public static let cifar10 = DatasetCatalog(
        name: "cifar10",
        baseURL: URL(string: "https://www.cs.toronto.edu/~kriz/")!,
        files: [DatasetFile(name: "cifar-10-binary.tar.gz", byteCount: 170_052_171, md5: "c32a1d4ab5d03f1284b67883e8d87530")])

    /// Every data set this library knows how to download.
    public static let all: [DatasetCatalog] = [.mnist, .cifar10]

    /// The catalog called `name` (case-insensitive), or `nil` if there is none.
    public static func named(_ name: String) -> DatasetCatalog? {
        all.first { $0.name == name.lowercased() }
    }
}

/// Downloads the files of a ``DatasetCatalog`` into a directory and checks them.
///
/// For each file the downloader:
/// 1. skips it when the directory already holds it with the right length and SHA-256;
/// 2. otherwise streams it into a hidden temporary file in the same directory, hashing as it goes;
/// 3. checks the length and digest, and only then renames the temporary file into place, which
///    is atomic, so a file under its final name is always complete and verified.
///
/// A failed or mismatching download removes its temporary file and throws a ``DataError`` naming
/// the URL. `https://`, `http://` and `file://` URLs are supported; the transfer is synchronous.
public struct DatasetDownloader: Sendable {
    /// Called as a file arrives with its name, the bytes received so far and the expected total.
    public typealias ProgressHandler = @Sendable (_ fileName: String, _ bytesDone: Int, _ bytesTotal: Int) -> Void

    /// What happened to one file.
    public enum Outcome: Sendable, Equatable {
        /// The file was already there and verified, so it was not downloaded again.
        case alreadyPresent
        /// The file was downloaded, verified and moved into place.
        case downloaded
    }

    /// The data set to download.
    public var catalog: DatasetCatalog
    /// The directory that receives the files; it is created when missing.
    public var directory: URL
    /// Receives progress reports, if set.
    public var progress: ProgressHandler?

    /// Creates a downloader for `catalog` into `directory`
    /// (by default ``defaultDirectory(for:environment:)``).
    public init(catalog: DatasetCatalog, directory: URL? = nil, progress: ProgressHandler? = nil) {
        self.catalog = catalog
        self.directory = directory ?? Self.defaultDirectory(for: catalog)
        self.progress = progress
    }

    /// The directory data sets are cached in: `$PERCEPT_DATA_DIR` when that variable is set and
    /// not empty, else `~/.cache/percept/<catalog name>` (for MNIST, `~/.cache/percept/mnist`).
    public static func defaultDirectory(
        for catalog: DatasetCatalog = .mnist,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let custom = environment["PERCEPT_DATA_DIR"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/percept", isDirectory: true)
            .appendingPathComponent(catalog.name, isDirectory: true)
    }

    /// Downloads every file of the catalog that is missing or wrong, one after the other.
    ///
    /// - Returns: what happened to each file, in catalog order.
    /// - Throws: the ``DataError`` of the first file that fails; files before it stay in place.
    @discardableResult
    public func downloadAll() throws -> [Outcome] {
        try catalog.files.map { try download($0) }
    }

    /// Makes sure `file` is in ``directory`` with the right length and digest (SHA-256 or MD5, as
    /// published), downloading it if needed.
    ///
    /// - Throws: ``DataError/downloadFailed(url:detail:)``, ``DataError/sizeMismatch(url:expectedBytes:actualBytes:)``,
    ///   ``DataError/checksumMismatch(url:expected:actual:)`` or ``DataError/writeFailed(path:detail:)``.
    @discardableResult
    public func download(_ file: DatasetFile) throws -> Outcome {
        let destination = directory.appendingPathComponent(file.name)
        if isPresent(file) {
            progress?(file.name, file.byteCount, file.byteCount)
            return .alreadyPresent
        }
        let files = FileManager.default
        do {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError.writeFailed(path: directory.path, detail: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(".\(file.name).\(UUID().uuidString).partial")
        guard files.createFile(atPath: temporary.path, contents: nil) else {
            throw DataError.writeFailed(path: temporary.path, detail: "cannot create a temporary file there")
        }
        defer { try? files.removeItem(at: temporary) }

        let source = catalog.url(of: file)
        let received = try transfer(from: source, to: temporary, file: file)
        guard received.byteCount == file.byteCount else {
            throw DataError.sizeMismatch(
                url: source.absoluteString, expectedBytes: file.byteCount, actualBytes: received.byteCount)
        }
        guard received.digest == file.digest else {
            throw DataError.checksumMismatch(
                url: source.absoluteString, expected: "\(file.algorithm.rawValue) \(file.digest)",
                actual: "\(file.algorithm.rawValue) \(received.digest)")
        }
        // rename(2) replaces any stale file under the final name in one step.
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw DataError.writeFailed(path: destination.path, detail: "cannot move the download into place: \(reason)")
        }
        return .downloaded
    }

    /// Whether ``directory`` already holds `file` with the right length and digest.
    public func isPresent(_ file: DatasetFile) -> Bool {
        let path = directory.appendingPathComponent(file.name).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.size] as? NSNumber)?.intValue == file.byteCount
        else { return false }
        return (try? file.digest(ofFileAt: URL(fileURLWithPath: path))) == file.digest
    }

    /// Streams `source` into `temporary`, hashing it, and returns its length and digest.
    private func transfer(from source: URL, to temporary: URL, file: DatasetFile) throws -> (byteCount: Int, digest: String) {
        let output: FileHandle
        do {
            output = try FileHandle(forWritingTo: temporary)
        } catch {
            throw DataError.writeFailed(path: temporary.path, detail: error.localizedDescription)
        }
        defer { try? output.close() }
        let sink = DownloadSink(output: output, file: file, progress: progress)
        if source.isFileURL {
            try copyLocalFile(source, into: sink)
        } else {
            try fetchOverNetwork(source, into: sink)
        }
        if let failure = sink.failure {
            throw DataError.downloadFailed(url: source.absoluteString, detail: failure)
        }
        do {
            try output.synchronize()
        } catch {
            throw DataError.writeFailed(path: temporary.path, detail: error.localizedDescription)
        }
        return (sink.received, sink.hasher.finalize())
    }

    private func copyLocalFile(_ source: URL, into sink: DownloadSink) throws {
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: source)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: source.path)
                ? error.localizedDescription : "there is no file at \(source.path)"
            throw DataError.downloadFailed(url: source.absoluteString, detail: reason)
        }
        defer { try? input.close() }
        do {
            while sink.failure == nil, let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                sink.accept(chunk)
            }
        } catch {
            throw DataError.downloadFailed(url: source.absoluteString, detail: error.localizedDescription)
        }
    }

    private func fetchOverNetwork(_ source: URL, into sink: DownloadSink) throws {
        let delegateQueue = OperationQueue()
        delegateQueue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: delegateQueue)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: source).resume()
        sink.finished.wait()
    }
}

/// Receives a download chunk by chunk: writes it to a file, hashes it and reports progress.
///
/// As a `URLSession` delegate its callbacks arrive one at a time on a serial queue; the waiting
/// thread reads the results only after ``finished`` is signalled, so no lock is needed.
private final class DownloadSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let output: FileHandle
    let file: DatasetFile
    let progress: DatasetDownloader.ProgressHandler?
    let finished = DispatchSemaphore(value: 0)
    var hasher: any DigestHasher
    var received = 0
    var failure: String?

    init(output: FileHandle, file: DatasetFile, progress: DatasetDownloader.ProgressHandler?) {
        self.output = output
        self.file = file
        self.progress = progress
        hasher = file.makeHasher()
    }

    /// Writes and hashes one chunk; stops taking data once the file is longer than expected.
    func accept(_ chunk: Data) {
        guard failure == nil else { return }
        received += chunk.count
        if received > file.byteCount {
            failure = "the server sent more than the expected \(file.byteCount) bytes"
            return
        }
        do {
            try output.write(contentsOf: chunk)
        } catch {
            failure = "cannot write the download to disk: \(error.localizedDescription)"
            return
        }
        hasher.update(chunk)
        progress?(file.name, received, file.byteCount)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            failure = "the server answered HTTP \(http.statusCode)"
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        accept(data)
        if failure != nil { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error, failure == nil { failure = error.localizedDescription }
        finished.signal()
    }
}
