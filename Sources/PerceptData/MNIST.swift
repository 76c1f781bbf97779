import Foundation
import PerceptTensor

/// The MNIST handwritten digits: 28 × 28 grayscale images of the digits 0 to 9.
///
/// The data set is four IDX files with standard names (see ``fileNames``), gzipped or not. Load
/// them from a directory with ``load(from:split:)``, fetch them with ``DatasetDownloader``, or use
/// the small subset shipped inside this library with ``loadEmbedded(split:)``: the first 10,000
/// training and the first 2,000 test examples of the real data set.
public enum MNIST {
    /// Which half of MNIST to load.
    public enum Split: String, Sendable, CaseIterable {
        /// The 60,000 training examples.
        case train
        /// The 10,000 test examples.
        case test
    }

    /// The height and width of every image, in pixels.
    public static let imageSide = 28
    /// The number of classes (the digits 0 to 9).
    public static let classCount = 10

    /// The standard name of the gzipped image file of `split`, e.g. `train-images-idx3-ubyte.gz`.
    public static func imagesFileName(for split: Split) -> String {
        "\(filePrefix(split))-images-idx3-ubyte.gz"
    }

    /// The standard name of the gzipped label file of `split`, e.g. `train-labels-idx1-ubyte.gz`.
    public static func labelsFileName(for split: Split) -> String {
        "\(filePrefix(split))-labels-idx1-ubyte.gz"
    }

    /// The four standard file names: training images and labels, then test images and labels.
    public static let fileNames = [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ]

    /// Loads one split from a directory holding the standard MNIST files.
    ///
    /// Each file is looked up under its standard name (`….gz`), then under the same name without
    /// `.gz`. The features have the shape `[n, 28, 28]` with values `pixel / 255` in `[0, 1]`.
    ///
    /// - Throws: ``DataError`` naming the file when one is missing (with how to get it), damaged,
    ///   not an MNIST file, holds a label of 10 or more, or disagrees with the other on the
    ///   number of examples.
    public static func load(from directory: URL, split: Split) throws -> LabeledDataset {
        let imagesURL = try locate(imagesFileName(for: split), in: directory)
        let labelsURL = try locate(labelsFileName(for: split), in: directory)
        return try load(imagesAt: imagesURL, labelsAt: labelsURL)
    }

    /// Loads MNIST-format images and labels from two explicitly named files.
    ///
    /// - Throws: ``DataError`` as for ``load(from:split:)``.
    public static func load(imagesAt imagesURL: URL, labelsAt labelsURL: URL) throws -> LabeledDataset {
        let images = try IDXFile.read(contentsOf: imagesURL)
        let imagesPath = imagesURL.path
        guard images.elementType == .unsignedByte, images.dimensions.count == 3,
            let pixels = images.unsignedBytes
        else {
            throw DataError.badMagicNumber(
                path: imagesPath, expected: "0x00000803 (unsigned bytes, 3 dimensions)",
                found: magicNumber(images) + " (\(describe(images)))")
        }
        guard images.dimensions[1] == imageSide, images.dimensions[2] == imageSide else {
            throw DataError.unexpectedShape(
                path: imagesPath, expected: "[n, \(imageSide), \(imageSide)]", found: images.dimensions)
        }

        let labelArray = try IDXFile.read(contentsOf: labelsURL)
        let labelsPath = labelsURL.path
        guard labelArray.elementType == .unsignedByte, labelArray.dimensions.count == 1,
            let labelBytes = labelArray.unsignedBytes
        else {
            throw DataError.badMagicNumber(
                path: labelsPath, expected: "0x00000801 (unsigned bytes, 1 dimension)",
                found: magicNumber(labelArray) + " (\(describe(labelArray)))")
        }
        let count = images.dimensions[0]
        guard labelBytes.count == count else {
            throw DataError.countMismatch(
                imagesPath: imagesPath, imageCount: count, labelsPath: labelsPath, labelCount: labelBytes.count)
        }
        if let bad = labelBytes.firstIndex(where: { Int($0) >= classCount }) {
            throw DataError.invalidLabel(
                path: labelsPath, index: bad, value: Int(labelBytes[bad]), classCount: classCount)
        }

        let features = Tensor(shape: [count, imageSide, imageSide]) { out in
            pixels.withUnsafeBufferPointer { source in
                for i in 0..<source.count { out[i] = Float(source[i]) / 255 }
            }
        }
        return LabeledDataset(features: features, labels: labelBytes.map { Int($0) }, classCount: classCount)
    }

    /// The directory inside this library's resources that holds the embedded subset, under the
    /// four standard file names.
    public static var embeddedDirectory: URL {
        Bundle.module.url(forResource: "mnist-subset", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("mnist-subset", isDirectory: true)
    }

    /// Loads the subset of MNIST shipped with this library: the first 10,000 training examples
    /// or the first 2,000 test examples, in their original order.
    ///
    /// It needs no download, which makes it suitable for examples, tests and quick experiments.
    public static func loadEmbedded(split: Split) throws -> LabeledDataset {
        try load(from: embeddedDirectory, split: split)
    }

    private static func filePrefix(_ split: Split) -> String {
        switch split {
        case .train: "train"
        case .test: "t10k"
        }
    }

    /// The file `name` in `directory`, or else its uncompressed form (without `.gz`).
    private static func locate(_ name: String, in directory: URL) throws -> URL {
        let compressed = directory.appendingPathComponent(name)
        let uncompressedName = String(name.dropLast(".gz".count))
        let uncompressed = directory.appendingPathComponent(uncompressedName)
        let files = FileManager.default
        if files.fileExists(atPath: compressed.path) { return compressed }
        if files.fileExists(atPath: uncompressed.path) { return uncompressed }

        var isDirectory: ObjCBool = false
        let directoryExists = files.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let whereabouts =
            directoryExists
            ? "The MNIST file \(name) (or its uncompressed form \(uncompressedName)) is missing from the directory \(directory.path)."
            : "The MNIST data directory \(directory.path) does not exist."
        let hint =
            "\(whereabouts) To get MNIST, run `percept datasets download mnist --data-dir \(directory.path)`, "
            + "or pass --data-dir pointing at a folder that holds the four files "
            + fileNames.joined(separator: ", ") + "."
        throw DataError.fileNotFound(path: compressed.path, hint: hint)
    }

    private static func magicNumber(_ array: IDXArray) -> String {
        let value = UInt32(array.elementType.rawValue) << 8 | UInt32(array.dimensions.count & 0xFF)
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// For example "unsigned bytes, 1 dimension".
    private static func describe(_ array: IDXArray) -> String {
        let type =
            switch array.elementType {
            case .unsignedByte: "unsigned bytes"
            case .signedByte: "signed bytes"
            case .int16: "16-bit integers"
            case .int32: "32-bit integers"
            case .float32: "32-bit floats"
            case .float64: "64-bit floats"
            }
        let rank = array.dimensions.count
        return "\(type), \(rank) \(rank == 1 ? "dimension" : "dimensions")"
    }
}
