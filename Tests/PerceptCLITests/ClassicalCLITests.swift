import Foundation
import Testing

@Suite("percept train <classical model> and percept compare", .serialized)
struct ClassicalCLITests {
    @Test(arguments: ["ridge", "lda", "kfda", "perceptron", "kernel-perceptron", "logistic-regression", "svm-linear",
                      "svm-rbf", "svm-poly"])
    func everyClassicalModelTrainsAndReports(model: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let extra = ["kfda": ["--components", "200"], "lda": ["--shrinkage", "0.1"]][model] ?? []
        let run = try PerceptRun(["train", model, "--dataset", "mnist-subset", "--train-limit", "400", "--quiet",
                                  "--report", report.path, "--output", directory.appendingPathComponent("out").path] + extra)
        #expect(run.status == 0, "\(run.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        for key in ["model", "dataset", "loss", "epochs", "test_accuracy", "train_seconds", "train_samples_per_second",
                    "predict_seconds", "history", "hyperparameters"] {
            #expect(json[key] != nil, "report lacks \(key)")
        }
        #expect(json["model"] as? String == model)
        #expect(json["train_samples"] as? Int == 400)
        #expect(try #require(json["test_accuracy"] as? Double) > 0.6)
        let csv = try String(contentsOf: directory.appendingPathComponent("out/per-class-accuracy.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("class,samples,accuracy\n"))
    }

    @Test(arguments: ["ridge", "lda", "kfda", "perceptron", "kernel-perceptron", "logistic-regression", "svm-linear",
                      "svm-rbf", "svm-poly"])
    func aSavedModelEvaluatesAndPredictsLikeTheTrainedOne(model: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("\(model).safetensors")
        let extra = ["kfda": ["--components", "100"], "lda": ["--shrinkage", "0.1"]][model] ?? []
        let train = try PerceptRun(["train", model, "--dataset", "mnist-subset", "--train-limit", "300", "--quiet",
                                    "--save", file.path] + extra)
        #expect(train.status == 0, "\(train.error)")
        let trained = try #require(train.output.components(separatedBy: "test accuracy ").last?.prefix(6))
        let evaluate = try PerceptRun(["evaluate", "--model", file.path, "--dataset", "mnist-subset"])
        #expect(evaluate.status == 0, "\(evaluate.error)")
        #expect(evaluate.output.components(separatedBy: "accuracy ").last?.prefix(6) == trained, "\(evaluate.output)")

        // Two test images as an IDX file: the predictions are labels, one line per image.
        var idx = Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28])
        idx.append(contentsOf: (0..<(2 * 784)).map { UInt8(($0 * 37) % 256) })
        let images = directory.appendingPathComponent("two-idx3-ubyte")
        try idx.write(to: images)
        let predict = try PerceptRun(["predict", "--model", file.path, images.path])
        #expect(predict.status == 0, "\(predict.error)")
        #expect(predict.output.split(separator: "\n").count == 2 && predict.output.contains("two-idx3-ubyte[1]: "), "\(predict.output)")
    }

    @Test func aClassifierFileThatDoesNotFitIsRefusedWithItsName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("ridge.safetensors")
        #expect(try PerceptRun(["train", "ridge", "--dataset", "mnist-subset", "--train-limit", "100", "--quiet",
                                "--save", file.path]).status == 0)
        var idx = Data([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4])
        idx.append(contentsOf: [UInt8](repeating: 9, count: 16))
        let images = directory.appendingPathComponent("small-idx3-ubyte")
        try idx.write(to: images)
        let predict = try PerceptRun(["predict", "--model", file.path, images.path])
        #expect(predict.status != 0 && predict.error.contains("do not have the 784 features"), "\(predict.error)")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.prefix(bytes.count - 4).write(to: file)
        let truncated = try PerceptRun(["evaluate", "--model", file.path, "--dataset", "mnist-subset"])
        #expect(truncated.status != 0 && truncated.error.contains(file.path), "\(truncated.error)")
    }

    @Test func badHyperparametersAreRefusedWithTheReason() throws {
        let run = try PerceptRun(["train", "svm-rbf", "--dataset", "mnist-subset", "--train-limit", "100", "--gamma=-1"])
        #expect(run.status != 0)
        #expect(run.error.contains("kernel gamma = -1.0 is invalid; expected a finite number > 0"), "\(run.error)")
        let kernel = try PerceptRun(["train", "kfda", "--dataset", "mnist-subset", "--kernel", "cubic"])
        #expect(kernel.status != 0)
        #expect(kernel.error.contains("unknown kernel 'cubic'"), "\(kernel.error)")
    }

    @Test func compareWritesTheTableAsMarkdownCSVAndSVG() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("comparison.json")
        let run = try PerceptRun(["compare", "--dataset", "mnist-subset", "--train-limit", "300", "--models",
                                  "ridge,svm-rbf,mlp-cross-entropy", "--mlp-epochs", "1", "--report", report.path,
                                  "--output", directory.path])
        #expect(run.status == 0, "\(run.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["model"] as? String } == ["ridge", "svm-rbf", "mlp-cross-entropy"])
        for row in rows {
            for key in ["test_accuracy", "fit_seconds", "predict_seconds"] { #expect(row[key] is Double, "\(key)") }
        }
        let markdown = try String(contentsOf: directory.appendingPathComponent("comparison.md"), encoding: .utf8)
        #expect(markdown.contains("| model") && markdown.contains("svm-rbf"))
        let csv = try String(contentsOf: directory.appendingPathComponent("comparison.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 4)
        let svg = try String(contentsOf: directory.appendingPathComponent("comparison.svg"), encoding: .utf8)
        #expect(svg.contains("Test accuracy") && svg.contains("Fit seconds"))
    }

    @Test func compareRefusesAnUnknownModel() throws {
        let run = try PerceptRun(["compare", "--dataset", "mnist-subset", "--models", "ridge,forest"])
        #expect(run.status != 0)
        #expect(run.error.contains("unknown model 'forest'"), "\(run.error)")
    }
}
