import Foundation
import Testing

@Suite("percept train for convolutional networks", .serialized)
struct ConvolutionalCLITests {
    @Test func lenet5TrainsAndWritesTheReportAndTheEvaluationFigures() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let confusion = directory.appendingPathComponent("confusion.svg")
        let misclassified = directory.appendingPathComponent("misclassified.png")
        // 5% of the 10,000 embedded images: a few seconds even in a debug build.
        let run = try PerceptRun([
            "train", "lenet5", "--dataset", "mnist-subset", "--epochs", "1", "--validation-split", "0.95", "--batch-size", "16",
            "--report", report.path, "--output", directory.appendingPathComponent("out").path,
            "--confusion", confusion.path, "--misclassified", misclassified.path,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains(" conv2d (Conv2D)              (None, 28, 28, 6)         156"))
        #expect(run.output.contains("Total params: 61,706"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        #expect(json["model"] as? String == "lenet5")
        #expect((json["test_accuracy"] as? Double ?? 0) > 0.5)
        #expect(try String(contentsOf: confusion, encoding: .utf8).contains("<svg"))
        #expect(try Data(contentsOf: misclassified).prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func cifarWithoutItsFilesNamesTheMissingFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try PerceptRun(["train", "cifar-cnn", "--dataset", "cifar10", "--data-dir", directory.path, "--epochs", "1"])
        #expect(run.status != 0)
        #expect(run.error.contains("data_batch_1.bin") && run.error.contains("cifar-10-binary.tar.gz"))
    }

    @Test func everyConvolutionalModelIsListed() throws {
        let run = try PerceptRun(["train", "nonsense"])
        for model in ["lenet5", "cnn", "cifar-cnn", "cifar-vgg"] { #expect(run.error.contains(model)) }
    }
}
