import Foundation
import PerceptTensor

/// CIFAR-10: 60,000 colour images of 32 × 32 pixels in 10 classes (airplane, automobile, bird,
/// cat, deer, dog, frog, horse, ship, truck), 50,000 for training and 10,000 for testing.
///
/// This reads the binary version (`cifar-10-binary.tar.gz` from
/// https://www.cs.toronto.edu/~kriz/, md5 c32a1d4ab5d03f1284b67883e8d87530, unpacked into
/// `cifar-10-batches-bin/`): five training files `data_batch_1.bin` … `data_batch_5.bin` and
/// `test_batch.bin`, each 10,000 records of one label byte followed by 3,072 pixel bytes (the
/// 1,024 red values, then green, then blue, each plane row by row).
public enum CIFAR10 {
    /// Which part of CIFAR-10 to load.
    public enum Split: String, Sendable, CaseIterable {
        /// The 50,000 training images (the five data batches, in order).
        case train
        /// The 10,000 test images.
        case test
    }

    /// The height and width of every image, in pixels.
    public static let imageSide = 32
    /// The colour channels: red, green, blue.
    public static let channelCount = 3
    /// The number of classes.
    public static let classCount = 10
    /// The class names, by label.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    /// The length of one record: the label byte and the 3 × 32 × 32 pixels.
    public static let recordBytes = 1 + 3 * 32 * 32

    /// The binary batch files of `split`, in order.
    public static func fileNames(for split: Split) -> [String] {
        switch split {
        case .train: (1...5).map { "data_batch_\($0).bin" }
        case .test: ["test_batch.bin"]
        }
    }

    /// Loads one split from a directory holding the binary batch files (or their folder
    /// `cifar-10-batches-bin/`).
    ///
    /// The features have the shape `[n, 32, 32, 3]` (channels last) with values `pixel / 255`.
    ///
    /// - Throws: ``DataError`` naming the file when one is missing (with how to get it), is not a
    ///   whole number of records, or holds a label of 10 or more.
    public static func load(from directory: URL, split: Split) throws -> LabeledDataset {
        let folder = resolve(directory)
        let urls = try fileNames(for: split).map { try locate($0, in: folder) }
        return try load(batchFilesAt: urls)
    }

    /// Loads and concatenates CIFAR-10 binary batch files.
    public static func load(batchFilesAt urls: [URL]) throws -> LabeledDataset {
        var files: [(path: String, data: Data)] = []
        for url in urls {
            do {
                files.append((url.path, try Data(contentsOf: url, options: .mappedIfSafe)))
            } catch {
                throw DataError.readFailed(path: url.path, detail: error.localizedDescription)
            }
        }
        return try parse(batches: files)
    }

    /// Parses and concatenates the bytes of binary batch files; each `path` names its file in errors.
    ///
    /// The format has no header: a file must be a whole, non-zero number of 3,073-byte records,
    /// each label below 10, so what is allocated (4 bytes per pixel) is set by the files' sizes.
    ///
    /// - Throws: ``DataError/emptyFile(path:)``, ``DataError/badRecordLength(path:recordBytes:layout:actualBytes:)``
    ///   or ``DataError/invalidLabel(path:index:value:classCount:)``.
    public static func parse(batches files: [(path: String, data: Data)]) throws -> LabeledDataset {
        // Check every file before allocating the images.
        for (path, data) in files { try validateBatch(data, path: path) }
        let count = files.reduce(0) { $0 + $1.data.count / recordBytes }
        var labels = [Int](repeating: 0, count: count)
        let plane = imageSide * imageSide
        let features = Tensor(shape: [count, imageSide, imageSide, channelCount]) { out in
            var image = 0
            for (_, data) in files {
                data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    for record in 0..<(data.count / recordBytes) {
                        let base = record * recordBytes
                        labels[image] = Int(bytes[base])
                        let target = out.baseAddress! + image * plane * channelCount
                        for pixel in 0..<plane {
                            for channel in 0..<channelCount {
                                target[pixel * channelCount + channel] = Float(bytes[base + 1 + channel * plane + pixel]) / 255
                            }
                        }
                        image += 1
                    }
                }
            }
        }
        return LabeledDataset(features: features, labels: labels, classCount: classCount)
    }

    /// Checks that `data` is a whole, non-zero number of records, each with a label below 10.
    static func validateBatch(_ data: Data, path: String) throws {
        guard !data.isEmpty else { throw DataError.emptyFile(path: path) }
        guard data.count % recordBytes == 0 else {
            throw DataError.badRecordLength(
                path: path, recordBytes: recordBytes,
                layout: "1 label byte, then 3,072 pixel bytes: 32 × 32 red, green, blue", actualBytes: data.count)
        }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for record in 0..<(data.count / recordBytes) where bytes[record * recordBytes] >= classCount {
                throw DataError.invalidLabel(path: path, index: record, value: Int(bytes[record * recordBytes]), classCount: classCount)
            }
        }
    }

    /// The six batch files' names, training first.
    public static var batchFileNames: [String] { fileNames(for: .train) + fileNames(for: .test) }

    /// Downloads `cifar-10-binary.tar.gz` into `directory` (default: `$PERCEPT_DATA_DIR` or
    /// `~/.cache/percept/cifar10`), verifies its length and MD5, and extracts the six batch files
    /// next to it, so that ``load(from:split:)`` reads that folder. A verified archive or batch
    /// already there is not fetched or written again.
    ///
    /// - Parameter catalog: where to download from (a `file://` base URL reads a local copy).
    /// - Returns: the folder holding the batch files.
    /// - Throws: ``DataError`` naming the URL or the file at fault, ``TextDataError`` for a damaged archive.
    @discardableResult
    public static func download(
        into directory: URL? = nil, catalog: DatasetCatalog = .cifar10, progress: DatasetDownloader.ProgressHandler? = nil
    ) throws -> URL {
        let downloader = DatasetDownloader(catalog: catalog, directory: directory, progress: progress)
        try downloader.downloadAll()
        let folder = downloader.directory
        let present = batchFileNames.allSatisfy { name in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name), options: .mappedIfSafe) else { return false }
            return (try? validateBatch(data, path: name)) != nil
        }
        if !present, let archive = catalog.files.first {
            try extractBatches(fromArchive: folder.appendingPathComponent(archive.name), into: folder)
        }
        return folder
    }

    /// Extracts the six batch files of a CIFAR-10 binary archive (`.tar.gz` or `.tar`, the files
    /// in `cifar-10-batches-bin/` or at its top) into `directory`, each checked as a batch and
    /// written atomically. Other entries are ignored; no entry path is used as a file path.
    ///
    /// - Returns: the extracted files, in the order of ``batchFileNames``.
    @discardableResult
    public static func extractBatches(fromArchive archive: URL, into directory: URL) throws -> [URL] {
        let wanted = Set(batchFileNames)
        func batchName(_ path: String) -> String? {
            let parts = path.split(separator: "/").map(String.init)
            guard let name = parts.last, wanted.contains(name),
                  parts.count == 1 || (parts.count == 2 && parts[0] == "cifar-10-batches-bin") else { return nil }
            return name
        }
        let entries = try TarArchive(contentsOf: archive) { batchName($0) != nil }.entries
        var batches: [String: Data] = [:]
        for entry in entries { batches[batchName(entry.path)!] = entry.contents }
        let missing = batchFileNames.filter { batches[$0] == nil }
        guard missing.isEmpty else {
            throw TextDataError.missingLayout(
                path: archive.path, expected: "cifar-10-batches-bin/ with " + missing.joined(separator: ", "))
        }
        for name in batchFileNames { try validateBatch(batches[name]!, path: "\(archive.path): \(name)") }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError.writeFailed(path: directory.path, detail: error.localizedDescription)
        }
        return try batchFileNames.map { name in
            let url = directory.appendingPathComponent(name)
            do { try batches[name]!.write(to: url, options: .atomic) } catch {
                throw DataError.writeFailed(path: url.path, detail: error.localizedDescription)
            }
            return url
        }
    }

    /// `directory/cifar-10-batches-bin` when the files are there (the archive's folder), else
    /// `directory`.
    private static func resolve(_ directory: URL) -> URL {
        let inner = directory.appendingPathComponent("cifar-10-batches-bin", isDirectory: true)
        let probe = inner.appendingPathComponent("test_batch.bin").path
        return FileManager.default.fileExists(atPath: probe) ? inner : directory
    }

    private static func locate(_ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let whereabouts =
            exists
            ? "The CIFAR-10 file \(name) is missing from the directory \(directory.path)."
            : "The CIFAR-10 data directory \(directory.path) does not exist."
        throw DataError.fileNotFound(
            path: url.path,
            hint: "\(whereabouts) Download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html "
                + "(md5 c32a1d4ab5d03f1284b67883e8d87530), unpack it, and pass --data-dir pointing at its "
                + "cifar-10-batches-bin folder (data_batch_1.bin … data_batch_5.bin, test_batch.bin).")
    }
}
