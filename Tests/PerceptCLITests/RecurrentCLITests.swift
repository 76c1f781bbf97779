import Foundation
import Testing

/// Writes a tiny `aclImdb/{train,test}/{pos,neg}` tree (3 + 3 training, 2 + 2 test reviews).
func writeTinyIMDB(in directory: URL) throws {
    let reviews = [
        "train/pos/0_9.txt": "A wonderful film. Great acting!", "train/pos/1_8.txt": "Great fun, I loved it.",
        "train/pos/2_10.txt": "Loved the great cast.", "train/neg/0_2.txt": "A terrible, boring film.",
        "train/neg/1_1.txt": "Awful acting; I hated it.", "train/neg/2_3.txt": "Boring and awful.",
        "test/pos/0_7.txt": "Great story, wonderful cast.", "test/pos/1_9.txt": "I loved the film!",
        "test/neg/0_4.txt": "Boring. Terrible acting.", "test/neg/1_2.txt": "The worst film, awful.",
    ]
    for (path, text) in reviews {
        let url = directory.appendingPathComponent("aclImdb/\(path)")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

@Suite("percept train for the recurrent models", .serialized)
struct RecurrentCLITests {
    @Test(arguments: ["lstm", "gru", "simple-rnn", "bilstm", "stacked-lstm"])
    func trainsOnATinyReviewSetAndWritesTheReport(model: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try writeTinyIMDB(in: directory)
        let report = directory.appendingPathComponent("report.json")
        let run = try PerceptRun([
            "train", model, "--dataset", "imdb", "--data-dir", directory.path, "--vocab-size", "12", "--max-length", "6",
            "--embedding-size", "4", "--units", "3", "--epochs", "2", "--batch-size", "2", "--validation-split", "0",
            "--report", report.path, "--output", directory.appendingPathComponent("out").path,
        ])
        #expect(run.status == 0, "\(run.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        #expect(json["dataset"] as? String == "imdb")
        #expect(json["loss"] as? String == "binary-cross-entropy")
        #expect(json["epochs"] as? Int == 2)
        #expect(json["test_samples"] as? Int == 4)
        #expect((json["model"] as? String)?.hasPrefix(model) == true)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/history.csv").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/training-curves.svg").path))
    }

    @Test func savedModelPredictsTheSameProbabilityForTheSameText() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try writeTinyIMDB(in: directory)
        let model = directory.appendingPathComponent("model.safetensors")
        let train = try PerceptRun([
            "train", "gru", "--dataset", "imdb", "--data-dir", directory.path, "--vocab-size", "12", "--max-length", "6",
            "--embedding-size", "4", "--units", "3", "--epochs", "3", "--batch-size", "2", "--validation-split", "0",
            "--learning-rate", "0.05", "--save", model.path,
        ])
        #expect(train.status == 0, "\(train.error)")
        let run = try PerceptRun(["predict", "--model", model.path, "Great film, loved it", "Boring and awful"])
        #expect(run.status == 0, "\(run.error)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 2)
        let probabilities = lines.compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(probabilities.count == 2 && probabilities.allSatisfy { (0...1).contains($0) })
        #expect(probabilities[0] > probabilities[1], "\(run.output)")
        let again = try PerceptRun(["predict", "--model", model.path, "Great film, loved it"])
        #expect(again.output.split(separator: "\n").first == lines.first)

        let trainedAccuracy = try #require(train.output.split(separator: "\n").last { $0.contains("test accuracy") })
        let evaluate = try PerceptRun(["evaluate", "--model", model.path, "--dataset", "imdb", "--data-dir", directory.path])
        #expect(evaluate.status == 0, "\(evaluate.error)")
        let accuracy = { (line: Substring) in line.components(separatedBy: "accuracy ").last?.prefix(6) }
        #expect(evaluate.output.contains("imdb test split (4 reviews)"), "\(evaluate.output)")
        #expect(accuracy(Substring(evaluate.output)) == accuracy(trainedAccuracy), "\(evaluate.output) vs \(trainedAccuracy)")
        let onImages = try PerceptRun(["evaluate", "--model", model.path, "--dataset", "mnist-subset"])
        #expect(onImages.status != 0 && onImages.error.contains("is a text classifier"), "\(onImages.error)")

        try Data(#"{"format": "percept-text-classifier-v1"}"#.utf8).write(to: model)
        let broken = try PerceptRun(["predict", "--model", model.path, "text"])
        #expect(broken.status != 0 && broken.error.contains(model.path), "\(broken.error)")
        #expect(broken.error.contains("looks like JSON, not safetensors"), "\(broken.error)")
    }

    @Test func anLSTMOnImageRowsSavesAndEvaluates() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("rows.safetensors")
        let train = try PerceptRun([
            "train", "lstm", "--dataset", "mnist-subset", "--units", "8", "--epochs", "1", "--quiet", "--save", model.path,
        ])
        #expect(train.status == 0, "\(train.error)")
        let evaluate = try PerceptRun(["evaluate", "--model", model.path, "--dataset", "mnist-subset"])
        #expect(evaluate.status == 0 && evaluate.output.contains("accuracy"), "\(evaluate.error)")
    }

    @Test(arguments: ["lstm", "gru", "simple-rnn", "bilstm", "stacked-lstm"])
    func helpShowsTheRecurrentDefaults(model: String) throws {
        let help = try PerceptRun(["train", model, "--help"])
        let text = help.output.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("(default: 4 on imdb, 10 on mnist)"), "\(help.output)")
        #expect(text.contains("--clip-norm <clip-norm> Clip gradients to this global L2 norm. (default: 5.0)"), "\(help.output)")
        #expect(text.contains("(default: 0.04)"), "\(help.output)")
        #expect(!text.contains("(default: 20)"), "\(help.output)")
    }

    @Test func missingReviewsNameTheFolder() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try PerceptRun(["train", "lstm", "--dataset", "imdb", "--data-dir", directory.path])
        #expect(run.status != 0)
        #expect(run.error.contains(directory.path) && run.error.contains("aclImdb"), "\(run.error)")
    }

    @Test func badFlagsAreRefused() throws {
        let run = try PerceptRun(["train", "gru", "--dataset", "imdb", "--data-dir", "/nonexistent", "--padding", "middle"])
        #expect(run.status != 0)
        #expect(run.error.contains("--padding must be pre or post"), "\(run.error)")
        let units = try PerceptRun(["train", "lstm", "--units", "0"])
        #expect(units.error.contains("--units must be at least 1"), "\(units.error)")
    }
}
