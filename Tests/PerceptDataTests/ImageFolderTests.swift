import Foundation
@testable import PerceptData
import PerceptImage
import Testing

@Suite("Image folders: labels from folders or file names, stratified splits")
struct ImageFolderTests {
    /// A binary PGM of `width × height` pixels all of `value`.
    static func pgm(width: Int = 4, height: Int = 3, value: UInt8) -> Data {
        Data("P5\n\(width) \(height)\n255\n".utf8) + Data(repeating: value, count: width * height)
    }

    @Test func classFoldersAreLabelledInNaturalOrder() throws {
        try withTemporaryDirectory { root in
            for (subject, count) in [("s1", 3), ("s2", 2), ("s10", 4)] {
                let folder = root.appendingPathComponent(subject)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for index in 1...count { try Self.pgm(value: UInt8(index)).write(to: folder.appendingPathComponent("\(index * 5).pgm")) }
            }
            try Data("about the faces".utf8).write(to: root.appendingPathComponent("README"))
            let folder = try ImageFolder(classFolders: root)
            #expect(folder.classNames == ["s1", "s2", "s10"])
            #expect(folder.labels == [0, 0, 0, 1, 1, 2, 2, 2, 2])
            #expect(folder.countsPerClass == [3, 2, 4])
            // Within a class, 5 < 10 < 15 (not "10" < "15" < "5").
            #expect(folder.files.prefix(3).map(\.lastPathComponent) == ["5.pgm", "10.pgm", "15.pgm"])
            let images = try folder.loadImages { $0.resized(width: 2, height: 2) }
            #expect(images.count == 9 && images.allSatisfy { $0.width == 2 && $0.channels == 1 })
            #expect(images[2].pixels == [3, 3, 3, 3])
        }
    }

    @Test func fileNamePatternNamesTheClassAndSkipsOtherFiles() throws {
        try withTemporaryDirectory { root in
            for name in ["subject02.happy", "subject01.sad", "subject01.glasses", "subject10.wink", "Readme.txt"] {
                try Self.pgm(value: 9).write(to: root.appendingPathComponent(name))
            }
            let folder = try ImageFolder(directory: root, fileNamePattern: #"(subject\d+)\..+"#)
            #expect(folder.classNames == ["subject01", "subject02", "subject10"])
            #expect(folder.files.map(\.lastPathComponent) == ["subject01.glasses", "subject01.sad", "subject02.happy", "subject10.wink"])
            #expect(folder.labels == [0, 0, 1, 2])

            #expect(throws: DataError.invalidFileNamePattern(pattern: "subject\\d+", detail: "it has no capture group to name the class")) {
                try ImageFolder(directory: root, fileNamePattern: #"subject\d+"#)
            }
            #expect(throws: DataError.self) { try ImageFolder(directory: root, fileNamePattern: "(unclosed") }
            #expect(throws: DataError.noImages(directory: root.path, layout: "files named like (person\\d+).png")) {
                try ImageFolder(directory: root, fileNamePattern: #"(person\d+).png"#)
            }
            #expect(throws: DataError.noImages(directory: root.path, layout: "one sub-folder of images per class")) {
                try ImageFolder(classFolders: root)
            }
            let missing = root.appendingPathComponent("absent")
            #expect(throws: DataError.fileNotFound(path: missing.path, hint: "")) { try ImageFolder(classFolders: missing) }
        }
    }

    @Test func stratifiedSplitTakesKAndMOfEveryClassWithoutOverlap() throws {
        try withTemporaryDirectory { root in
            for subject in 1...4 {
                for index in 1...(6 + subject) {
                    try Self.pgm(value: UInt8(index)).write(to: root.appendingPathComponent("subject\(subject).\(index)"))
                }
            }
            let folder = try ImageFolder(directory: root, fileNamePattern: #"(subject\d+)\..+"#)
            let (train, test) = try folder.stratifiedSplit(trainPerClass: 4, testPerClass: 3, seed: 7)
            #expect(Set(train).isDisjoint(with: test))
            for label in 0..<4 {
                #expect(train.filter { folder.labels[$0] == label }.count == 4)
                #expect(test.filter { folder.labels[$0] == label }.count == 3)
            }
            let again = try folder.stratifiedSplit(trainPerClass: 4, testPerClass: 3, seed: 7)
            #expect(again.train == train && again.test == test)
            // Over many seeds every image of a class is drawn for testing at some point.
            var tested = Set<Int>()
            for seed in 0..<40 { tested.formUnion(try folder.stratifiedSplit(trainPerClass: 4, testPerClass: 3, seed: UInt64(seed)).test) }
            #expect(tested.count == folder.files.count)

            let error = #expect(throws: DataError.self) { try folder.stratifiedSplit(trainPerClass: 6, testPerClass: 2, seed: 1) }
            #expect(error == .tooFewImages(directory: root.path, className: "subject1", count: 7, needed: 8))
        }
    }

    @Test func anUndecodableFileIsNamed() throws {
        try withTemporaryDirectory { root in
            let folder = root.appendingPathComponent("s1")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.pgm(value: 1).write(to: folder.appendingPathComponent("1.pgm"))
            try Self.pgm(value: 1).prefix(14).write(to: folder.appendingPathComponent("2.pgm"))
            let images = try ImageFolder(classFolders: root)
            let error = #expect(throws: ImageError.self) { try images.loadImages() }
            #expect(error == .truncated(path: folder.appendingPathComponent("2.pgm").path, format: "PGM/PPM", neededBytes: 12, availableBytes: 3))
        }
    }

    @Test func faceFeaturesAreStandardisedPerFace() {
        let faces = [Image(width: 2, height: 1, channels: 1, pixels: [0, 255]), Image(width: 2, height: 1, channels: 1, pixels: [10, 10])]
        let features = FaceDataset.features(of: faces)
        #expect(features.shape == [2, 1, 2, 1])
        #expect(features.scalars == [-1, 1, 0, 0])
        // Yale's 320 × 243 images lose their sides.
        #expect(FaceDataset.yale.prepare(Image(width: 320, height: 243, fill: [1, 2, 3])).width == FaceDataset.yale.faceSize.width)
        // AT&T's are halved; histogram equalisation maps a flat face to 0.
        let att = FaceDataset.att.prepare(Image(width: 92, height: 112, fill: [7]))
        #expect(att.width == 46 && att.height == 56 && att.pixels.allSatisfy { $0 == 0 })
    }

    @Test func equalisationSpreadsTheCumulativeHistogram() {
        // Histogram 0: 2, 100: 1, 200: 1; cumulative 2, 3, 4; (c − 2) · 255 / 2, rounded.
        let image = Image(width: 4, height: 1, channels: 1, pixels: [0, 200, 0, 100])
        #expect(FaceDataset.equalized(image).pixels == [0, 255, 0, 128])
    }
}

@Suite("The real face data sets (when PERCEPT_SHARED_ROOT names the shared data folder)")
struct FaceDatasetIntegrationTests {
    static let sharedRoot: URL? = ProcessInfo.processInfo.environment["PERCEPT_SHARED_ROOT"]
        .flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }

    @Test(.enabled(if: sharedRoot != nil), arguments: [(FaceDataset.yale, 15, 11), (FaceDataset.att, 40, 10)])
    func everyFaceDecodesAndEverySubjectIsComplete(dataset: FaceDataset, subjects: Int, perSubject: Int) throws {
        let folder = try dataset.imageFolder(at: Self.sharedRoot!)
        #expect(folder.classNames.count == subjects)
        #expect(folder.countsPerClass == [Int](repeating: perSubject, count: subjects))
        let faces = try folder.loadImages(prepare: dataset.prepare)
        #expect(faces.allSatisfy { $0.width == dataset.faceSize.width && $0.height == dataset.faceSize.height && $0.channels == 1 })
    }
}
