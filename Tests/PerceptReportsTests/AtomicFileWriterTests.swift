import Foundation
import Testing

@testable import PerceptReports

@Suite("AtomicFileWriter")
struct AtomicFileWriterTests {
    /// A fresh directory, removed after `body` runs.
    private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("percept-reports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test("creates missing parent directories and leaves no temporary file")
    func createsParents() throws {
        try withTemporaryDirectory { root in
            let path = root + "/a/b/report.svg"
            try AtomicFileWriter.write("<svg/>", to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "<svg/>")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a/b") == ["report.svg"])
        }
    }

    @Test("replaces an existing file and keeps its permissions")
    func replacesExisting() throws {
        try withTemporaryDirectory { root in
            let path = root + "/history.csv"
            try AtomicFileWriter.write("old content that is longer than the new one", to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            try AtomicFileWriter.write(Data("new".utf8), to: URL(fileURLWithPath: path))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["history.csv"])
        }
    }

    @Test("writes large and empty contents exactly")
    func exactBytes() throws {
        try withTemporaryDirectory { root in
            let large = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try AtomicFileWriter.write(large, to: root + "/large.bin")
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/large.bin")) == large)
            try AtomicFileWriter.write(Data(), to: root + "/empty.bin")
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/empty.bin")).isEmpty)
        }
    }

    @Test("a parent that is a file gives a typed error naming the path")
    func parentIsAFile() throws {
        try withTemporaryDirectory { root in
            try AtomicFileWriter.write("x", to: root + "/file")
            do throws(ReportError) {
                try AtomicFileWriter.write("y", to: root + "/file/child.txt")
                Issue.record("writing below a regular file succeeded")
            } catch {
                #expect(error.path == root + "/file")
                guard case .cannotCreateDirectory = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(error.description.contains(root + "/file"))
            }
        }
    }

    @Test("a destination that is a directory is not replaced, and no temporary file remains")
    func destinationIsADirectory() throws {
        try withTemporaryDirectory { root in
            try FileManager.default.createDirectory(atPath: root + "/taken/inner", withIntermediateDirectories: true)
            #expect(throws: ReportError.self) { try AtomicFileWriter.write("z", to: root + "/taken") }
            do throws(ReportError) {
                try AtomicFileWriter.write("z", to: root + "/taken")
                Issue.record("a directory was replaced by a file")
            } catch {
                #expect(error.path == root + "/taken")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["taken"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/taken") == ["inner"])
        }
    }
}
