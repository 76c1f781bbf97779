import Foundation
import PerceptImage
import PerceptTensor

/// Image files on disk labelled by identity: from sub-folder names (`root/<class>/<file>`, the
/// AT&T faces' `sN/M.pgm`) or from a pattern on the file names (the Yale faces'
/// `subjectNN.condition`).
///
/// Classes are numbered in the natural order of their names (`s2` before `s10`), files within a
/// class likewise, so the same folder always gives the same labels and order.
///
/// ```swift
/// let faces = try ImageFolder(classFolders: URL(fileURLWithPath: "orl_faces"))
/// let split = try faces.stratifiedSplit(trainPerClass: 7, testPerClass: 3, seed: 1)
/// let images = try faces.loadImages { $0.grayscale().resized(width: 46, height: 56) }
/// ```
public struct ImageFolder: Sendable {
    /// The image files, in class order.
    public let files: [URL]
    /// The class of each file, in `0..<classNames.count`.
    public let labels: [Int]
    /// The name of each class: its folder name, or the first capture group of the file-name pattern.
    public let classNames: [String]

    /// The files of a folder holding one sub-folder per class; hidden files and files in the root
    /// (such as a README) are skipped.
    ///
    /// - Throws: ``DataError`` when the folder is missing or holds no class folder with files.
    public init(classFolders root: URL) throws(DataError) {
        var entries: [(className: String, file: URL)] = []
        for folder in try Self.contents(of: root) where Self.isDirectory(folder) {
            for file in try Self.contents(of: folder) where !Self.isDirectory(file) {
                entries.append((folder.lastPathComponent, file))
            }
        }
        try self.init(entries: entries, root: root, layout: "one sub-folder of images per class")
    }

    /// The files of `directory` whose names match `pattern` (a regular expression matched against
    /// the whole file name); its first capture group names the class, e.g. `subject(\d+)\..*`.
    /// Other files (a README) are skipped.
    ///
    /// - Throws: ``DataError`` when the folder is missing, the pattern is not a valid regular
    ///   expression with a capture group, or no file matches.
    public init(directory: URL, fileNamePattern pattern: String) throws(DataError) {
        let expression: NSRegularExpression
        do {
            expression = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        } catch {
            throw .invalidFileNamePattern(pattern: pattern, detail: "not a regular expression")
        }
        guard expression.numberOfCaptureGroups >= 1 else {
            throw .invalidFileNamePattern(pattern: pattern, detail: "it has no capture group to name the class")
        }
        var entries: [(className: String, file: URL)] = []
        for file in try Self.contents(of: directory) where !Self.isDirectory(file) {
            let name = file.lastPathComponent
            let range = NSRange(name.startIndex..., in: name)
            guard let match = expression.firstMatch(in: name, range: range),
                  let group = Range(match.range(at: 1), in: name) else { continue }
            entries.append((String(name[group]), file))
        }
        try self.init(entries: entries, root: directory, layout: "files named like \(pattern)")
    }

    private init(entries: [(className: String, file: URL)], root: URL, layout: String) throws(DataError) {
        guard !entries.isEmpty else { throw .noImages(directory: root.path, layout: layout) }
        let names = Array(Set(entries.map(\.className))).sorted { Self.naturallyBefore($0, $1) }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let sorted = entries.sorted {
            $0.className == $1.className
                ? Self.naturallyBefore($0.file.lastPathComponent, $1.file.lastPathComponent)
                : index[$0.className]! < index[$1.className]!
        }
        files = sorted.map(\.file)
        labels = sorted.map { index[$0.className]! }
        classNames = names
    }

    /// The number of images of each class, indexed by class.
    public var countsPerClass: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// A seeded split stratified by class: `trainPerClass` images of every class for training and
    /// the next `testPerClass` for testing, drawn at random without overlap (a class's other images
    /// are left out). The same seed gives the same split; both lists are in class order.
    ///
    /// - Throws: ``DataError/tooFewImages(directory:className:count:needed:)`` when a class has
    ///   fewer than `trainPerClass + testPerClass` images.
    public func stratifiedSplit(trainPerClass: Int, testPerClass: Int, seed: UInt64) throws(DataError) -> (train: [Int], test: [Int]) {
        precondition(trainPerClass >= 1 && testPerClass >= 0, "stratifiedSplit: needs at least one training image per class")
        var generator = RandomGenerator(seed: seed)
        var train: [Int] = [], test: [Int] = []
        var members = [[Int]](repeating: [], count: classNames.count)
        for (file, label) in labels.enumerated() { members[label].append(file) }
        for (label, files) in members.enumerated() {
            guard files.count >= trainPerClass + testPerClass else {
                throw .tooFewImages(
                    directory: self.files[files.first ?? 0].deletingLastPathComponent().path, className: classNames[label],
                    count: files.count, needed: trainPerClass + testPerClass)
            }
            let order = generator.permutation(files.count).map { files[$0] }
            train += order[..<trainPerClass].sorted()
            test += order[trainPerClass..<(trainPerClass + testPerClass)].sorted()
        }
        return (train, test)
    }

    /// Decodes every file and passes it through `prepare` (e.g. grayscale and resize), in parallel.
    ///
    /// - Throws: the ``ImageError`` of the first file that cannot be decoded, naming it.
    public func loadImages(channels: Int? = nil, prepare: @Sendable (Image) -> Image = { $0 }) throws -> [Image] {
        let results = UnsafeMutableBufferPointer<Result<Image, ImageError>?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let shared = SendableBuffer(results)
        let files = self.files
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            shared.buffer[index] = Result { () throws(ImageError) -> Image in
                prepare(try Image(contentsOf: files[index], channels: channels))
            }
        }
        return try results.map { try $0!.get() }
    }

    /// `a` before `b` in natural order: digit runs compared as numbers, so `s2` precedes `s10`.
    static func naturallyBefore(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric]) == .orderedAscending
    }

    private static func contents(of directory: URL) throws(DataError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: directory.path, hint: "")
        }
        guard isDirectory.boolValue else { throw .readFailed(path: directory.path, detail: "it is not a folder") }
        do {
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
        } catch {
            throw .readFailed(path: directory.path, detail: error.localizedDescription)
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
    }
}

/// A buffer that the iterations of one `concurrentPerform` fill at disjoint indices.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
