import Foundation
import PerceptImage
import PerceptTensor

/// The two face-recognition data sets: where their files come from, how their labels are read
/// and how each face is prepared for a network.
public enum FaceDataset: String, CaseIterable, Sendable {
    /// The Yale Face Database: 15 subjects × 11 images (lighting, expression, glasses), 320 × 243
    /// GIFs named `subjectNN.condition` in one folder.
    case yale = "yale-faces"
    /// The AT&T (formerly ORL) Database of Faces: 40 subjects × 10 images, 92 × 112 PGMs in
    /// `sN/M.pgm`.
    case att = "att-faces"

    /// Where the data set is published (neither publishes a checksum).
    public var canonicalURL: String {
        switch self {
        case .yale: "http://vision.ucsd.edu/datasets/yale_face_dataset_original/yalefaces.zip"
        case .att: "https://cam-orl.co.uk/facedatabase.html (att_faces.zip)"
        }
    }

    /// The usual split per subject: 8 train / 3 test for Yale, 7 / 3 for AT&T.
    public var defaultSplit: (train: Int, test: Int) {
        switch self {
        case .yale: (8, 3)
        case .att: (7, 3)
        }
    }

    /// The size of the faces given to a network (width, height).
    public var faceSize: (width: Int, height: Int) {
        switch self {
        case .yale: (48, 48)
        case .att: (46, 56)
        }
    }

    /// The images of the data set in `directory` (the unpacked folder, or a folder holding it
    /// as `yalefaces/`, respectively `orl_faces/` or `att_faces/`), labelled by subject.
    ///
    /// - Throws: ``DataError`` naming the folder when it is missing or holds no faces.
    public func imageFolder(at directory: URL) throws(DataError) -> ImageFolder {
        let folderNames = self == .yale ? ["yalefaces"] : ["orl_faces", "att_faces"]
        let root = folderNames.map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) } ?? directory
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw .fileNotFound(path: root.path, hint: "Download \(canonicalURL), unpack it and pass its folder as --data-dir.")
        }
        switch self {
        case .yale: return try ImageFolder(directory: root, fileNamePattern: #"(subject\d+)\..+"#)
        case .att: return try ImageFolder(classFolders: root)
        }
    }

    /// One face as the networks see it: gray, the Yale images cropped to the central 240 × 240
    /// (the face, without most of the background), resized to ``faceSize`` and histogram-equalised
    /// (which evens out Yale's left, right and centre lighting; on two Yale splits the mean accuracy
    /// was the same with and without it, the spread between splits smaller with it).
    public func prepare(_ image: Image) -> Image {
        var face = image.grayscale()
        if self == .yale, face.width >= 240, face.height >= 240 {
            face = face.cropped(x: (face.width - 240) / 2, y: (face.height - 240) / 2, width: 240, height: 240)
        }
        return Self.equalized(face.resized(width: faceSize.width, height: faceSize.height))
    }

    /// Histogram equalisation of a gray image: each value replaced by its rank in the image's
    /// cumulative histogram, spread over 0–255, so that every face uses the whole range whatever
    /// the lighting.
    static func equalized(_ image: Image) -> Image {
        var histogram = [Int](repeating: 0, count: 256)
        for value in image.pixels { histogram[Int(value)] += 1 }
        var cumulative = [Int](repeating: 0, count: 256)
        var total = 0
        for value in 0..<256 {
            total += histogram[value]
            cumulative[value] = total
        }
        let lowest = cumulative.first { $0 > 0 } ?? 0
        let span = max(total - lowest, 1)
        let map = cumulative.map { UInt8(max(0, min(255, (($0 - lowest) * 255 + span / 2) / span))) }
        return Image(width: image.width, height: image.height, channels: 1, pixels: image.pixels.map { map[Int($0)] })
    }

    /// Prepared faces as a `[n, height, width, 1]` batch, each face standardised to mean 0 and
    /// standard deviation 1 (which removes overall brightness and contrast, not the person).
    public static func features(of faces: [Image]) -> Tensor {
        var batch = Tensor(images: faces)
        let size = batch.count / max(faces.count, 1)
        batch.withUnsafeMutableBufferPointer { values in
            for face in 0..<faces.count {
                let slice = UnsafeMutableBufferPointer(rebasing: values[(face * size)..<((face + 1) * size)])
                let mean = slice.reduce(0, +) / Float(size)
                let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(size)
                let scale = 1 / max(variance.squareRoot(), 1e-3)
                for i in slice.indices { slice[i] = (slice[i] - mean) * scale }
            }
        }
        return batch
    }
}
