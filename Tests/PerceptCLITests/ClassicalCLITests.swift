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
