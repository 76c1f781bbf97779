import Foundation
import PerceptImage
import Testing

@Suite("percept train face-cnn", .serialized)
struct FaceCLITests {
    /// A Yale-style folder of `subjects × perSubject` noisy 24 × 24 PGM "faces": each
    /// subject is a bright square at its own place (unchanged by mirroring), plus noise.
    static func makeFaces(in directory: URL, subjects: Int, perSubject: Int) throws {
        var state: UInt64 = 12345
        func noise() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 59)  // 0..<32
        }
        for subject in 1...subjects {
            for index in 1...perSubject {
                var pixels = [UInt8](repeating: 0, count: 24 * 24)
                for y in 0..<24 {
                    for x in 0..<24 {
                        let inside = abs(x - 12) < 6 && abs(y - 4 - 7 * (subject - 1)) < 4
                        pixels[y * 24 + x] = UInt8((inside ? 200 : 40) + noise())
                    }
                }
                let name = String(format: "subject%02d.pose%d", subject, index)
                try (Data("P5\n24 24\n255\n".utf8) + Data(pixels)).write(to: directory.appendingPathComponent(name))
            }
        }
    }

    @Test func trainsOnSeededSplitsAndWritesTheReport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let faces = directory.appendingPathComponent("faces")
        try FileManager.default.createDirectory(at: faces, withIntermediateDirectories: true)
        try Self.makeFaces(in: faces, subjects: 3, perSubject: 5)
        try Data("not a face".utf8).write(to: faces.appendingPathComponent("Readme.txt"))
        let report = directory.appendingPathComponent("faces.json")
        let confusion = directory.appendingPathComponent("confusion.svg")
        let run = try PerceptRun([
            "train", "face-cnn", "--dataset", "yale-faces", "--data-dir", faces.path, "--splits", "2",
            "--train-per-identity", "3", "--test-per-identity", "2", "--epochs", "12", "--batch-size", "3",
            "--report", report.path, "--confusion", confusion.path,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("split 2/2 (seed 2)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        for key in ["model", "dataset", "loss", "epochs", "test_accuracy", "train_seconds", "train_samples_per_second", "history"] {
            #expect(json[key] != nil, "report lacks \(key)")
        }
        let splits = json["splits"] as! [[String: Any]]
        #expect(splits.map { $0["seed"] as! Int } == [1, 2])
        let accuracies = splits.map { $0["test_accuracy"] as! Double }
        #expect(abs(json["test_accuracy"] as! Double - accuracies.reduce(0, +) / 2) < 1e-12)
        #expect(json["train_samples"] as? Int == 9 && json["test_samples"] as? Int == 6)
        let perIdentity = json["per_identity_accuracy"] as! [String: Double]
        #expect(Set(perIdentity.keys) == ["subject01", "subject02", "subject03"])
        // Three subjects that differ by where their bright square is: easy to tell apart.
        #expect(json["test_accuracy"] as! Double >= 0.8, "\(run.output)")
        #expect(try String(contentsOf: confusion, encoding: .utf8).contains("subject02"))
    }

    @Test func aSplitNeedingMoreImagesThanASubjectHasIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.makeFaces(in: directory, subjects: 2, perSubject: 4)
        let run = try PerceptRun(["train", "face-cnn", "--dataset", "yale-faces", "--data-dir", directory.path, "--epochs", "1"])
        #expect(run.status != 0)
        #expect(run.error.contains("class subject01 has 4 images but the split needs 11"), "\(run.error)")
        let missing = try PerceptRun(["train", "face-cnn", "--dataset", "att-faces", "--data-dir", directory.appendingPathComponent("none").path])
        #expect(missing.status != 0 && missing.error.contains("att_faces.zip"), "\(missing.error)")
    }
}
