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
        for (path, data) in files {
            guard !data.isEmpty else { throw DataError.emptyFile(path: path) }
            guard data.count % recordBytes == 0 else {
                throw DataError.badRecordLength(
                    path: path, recordBytes: recordBytes,
                    layout: "1 label byte, then 3,072 pixel bytes: 32 × 32 red, green, blue", actualBytes: data.count)
            }
            // Check every label before allocating the images.
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                for record in 0..<(data.count / recordBytes) where bytes[record * recordBytes] >= classCount {
                    throw DataError.invalidLabel(
                        path: path, index: record, value: Int(bytes[record * recordBytes]), classCount: classCount)
                }
            }
        }
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
