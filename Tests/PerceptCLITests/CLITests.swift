import Foundation
import PerceptIO
import Testing

/// Runs the `percept` executable built next to the test bundle.
struct PerceptRun {
    var status: Int32
    var output: String
    var error: String

    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("percept").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("percept")
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        output = String(decoding: outData, as: UTF8.self)
        error = String(decoding: errData, as: UTF8.self)
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("percept-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("percept command line", .serialized)
struct CLITests {
    @Test func trainWritesTheReportHistoryAndCurves() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let output = directory.appendingPathComponent("out")
        let run = try PerceptRun([
            "train", "mlp", "--dataset", "mnist-subset", "--hidden", "32", "--epochs", "2", "--batch-size", "64",
            "--seed", "3", "--report", report.path, "--output", output.path,
        ])
        #expect(run.status == 0, "\(run.error)")
        #expect(!run.output.contains("\r"), "no carriage returns when stdout is not a terminal")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        for key in ["model", "dataset", "loss", "epochs", "test_accuracy", "train_seconds", "train_samples_per_second", "history"] {
            #expect(json[key] != nil, "report lacks \(key)")
        }
        #expect(json["model"] as? String == "mlp-784-32-10")
        #expect(json["loss"] as? String == "cross-entropy")
        #expect(json["epochs"] as? Int == 2)
        let accuracy = try #require(json["test_accuracy"] as? Double)
        #expect(accuracy > 0.8)
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.count == 2)
        for key in ["loss", "accuracy", "val_loss", "val_accuracy"] { #expect(history[0][key] is Double, "\(key)") }

        let csv = try String(contentsOf: output.appendingPathComponent("history.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "epoch,loss,accuracy,val_loss,val_accuracy")
        #expect(lines.count == 3)
        let svg = try String(contentsOf: output.appendingPathComponent("training-curves.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        #expect(svg.contains("Loss") && svg.contains("Accuracy"))
    }

    @Test func theSameSeedGivesTheSameHistory() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func history(_ name: String) throws -> [[String: Double]] {
            let report = directory.appendingPathComponent(name)
            let run = try PerceptRun([
                "train", "mlp", "--dataset", "mnist-subset", "--hidden", "16", "--epochs", "1", "--loss", "squared-error",
                "--seed", "5", "--quiet", "--report", report.path,
            ])
            #expect(run.status == 0, "\(run.error)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
            return (json["history"] as! [[String: Any]]).map { record in
                record.filter { ["loss", "accuracy", "val_loss", "val_accuracy"].contains($0.key) }.mapValues { $0 as! Double }
            }
        }
        #expect(try history("a.json") == (try history("b.json")))
    }

    @Test func unknownModelsAndFlagsAreRefusedClearly() throws {
        let model = try PerceptRun(["train", "resnet"])
        #expect(model.status != 0)
        #expect(model.error.contains("unknown model 'resnet'; available: mlp"))
        let flag = try PerceptRun(["train", "mlp", "--epochz", "3"])
        #expect(flag.status != 0)
        #expect(flag.error.contains("--epochz"))
        let loss = try PerceptRun(["train", "mlp", "--loss", "hinge"])
        #expect(loss.status != 0)
        #expect(loss.error.contains("unknown loss 'hinge'"))
    }

    @Test func aMissingDataFileIsNamedWithHowToGetIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let run = try PerceptRun(["train", "mlp", "--data-dir", directory.path, "--report", report.path])
        #expect(run.status != 0)
        #expect(run.error.contains("train-images-idx3-ubyte"))
        #expect(run.error.contains("percept datasets download mnist"))
        #expect(!FileManager.default.fileExists(atPath: report.path), "nothing written on failure")
    }

    @Test func aCorruptDataFileIsNamedAndNothingIsWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let subset = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: subset, withIntermediateDirectories: true)
        // A labels file whose magic number says "images".
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 0, count: 784)
        for name in ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"] {
            try Data(header).write(to: subset.appendingPathComponent(name))
        }
        let output = directory.appendingPathComponent("out")
        let run = try PerceptRun(["train", "mlp", "--data-dir", subset.path, "--output", output.path])
        #expect(run.status != 0)
        #expect(run.error.contains("labels-idx1-ubyte"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing written on failure")
    }

    @Test func demoRunsOnTheEmbeddedData() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try PerceptRun(["demo", "--epochs", "1", "--output", directory.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("test accuracy"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("training-curves.svg").path))
    }
}

@Suite("checkpoint and resume", .serialized)
struct ResumeTests {
    /// Kills a training process with SIGKILL in the middle of an epoch, resumes it from its last
    /// checkpoint, and checks that it ends exactly as an uninterrupted run: same history and a
    /// byte-identical saved model.
    @Test func aRunKilledMidEpochResumesToTheSameResult() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = ["train", "mlp", "--dataset", "mnist-subset", "--hidden", "64", "--epochs", "6", "--seed", "2", "--quiet"]
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        let whole = try PerceptRun(common + ["--save", path("whole.safetensors"), "--report", path("whole.json")])
        #expect(whole.status == 0, "\(whole.error)")

        let checkpoints = directory.appendingPathComponent("checkpoints")
        let victim = Process()
        victim.executableURL = PerceptRun.executable
        victim.arguments = common + ["--checkpoint-dir", checkpoints.path]
        victim.standardOutput = FileHandle.nullDevice
        try victim.run()
        var completed = 0
        let deadline = Date().addingTimeInterval(120)
        while completed < 2 && victim.isRunning && Date() < deadline {
            usleep(5_000)
            completed = (try? Checkpoint.read(from: checkpoints))?.progress.completedEpochs ?? 0
        }
        #expect(completed == 2, "the run reached epoch \(completed) before it could be interrupted")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal, "the process was killed, it did not finish")

        let resumed = try PerceptRun(common + ["--resume", checkpoints.path, "--save", path("resumed.safetensors"),
                                               "--report", path("resumed.json")])
        #expect(resumed.status == 0, "\(resumed.error)")
        func metrics(_ name: String) throws -> [[Double]] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name))) as! [String: Any]
            return (json["history"] as! [[String: Any]]).map { record in
                ["loss", "accuracy", "val_loss", "val_accuracy"].map { record[$0] as! Double }
            }
        }
        #expect(try metrics("resumed.json") == (try metrics("whole.json")))
        #expect(try Data(contentsOf: directory.appendingPathComponent("resumed.safetensors"))
            == (try Data(contentsOf: directory.appendingPathComponent("whole.safetensors"))))
    }

    @Test func aSavedModelEvaluatesAndPredicts() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("m.safetensors").path
        let train = try PerceptRun(["train", "mlp", "--dataset", "mnist-subset", "--hidden", "32", "--epochs", "2", "--quiet", "--save", model])
        #expect(train.status == 0, "\(train.error)")
        let trainedAccuracy = try #require(train.output.split(separator: " ").firstIndex(of: "accuracy").map {
            train.output.split(separator: " ")[$0 + 1]
        })
        let evaluate = try PerceptRun(["evaluate", "--model", model, "--dataset", "mnist-subset"])
        #expect(evaluate.status == 0, "\(evaluate.error)")
        #expect(evaluate.output.contains("accuracy \(trainedAccuracy)"), "\(evaluate.output) vs \(trainedAccuracy)")
        let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/PerceptData/Resources/mnist-subset/t10k-images-idx3-ubyte.gz")
        let predict = try PerceptRun(["predict", "--model", model, images.path])
        #expect(predict.status == 0, "\(predict.error)")
        #expect(predict.output.split(separator: "\n").count == 2000)
        let broken = try PerceptRun(["evaluate", "--model", images.path, "--dataset", "mnist-subset"])
        #expect(broken.status != 0)
        #expect(broken.error.contains("t10k-images-idx3-ubyte.gz: not a valid file"), "\(broken.error)")
    }
}

@Suite("convolutional models on disk", .serialized)
struct ConvolutionalModelFileTests {
    @Test func aSavedLeNetEvaluatesWithItsFigures() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let train = try PerceptRun(["train", "lenet5", "--dataset", "mnist-subset", "--epochs", "1", "--quiet",
                                    "--save", path("lenet5.safetensors")])
        #expect(train.status == 0, "\(train.error)")
        let evaluate = try PerceptRun(["evaluate", "--model", path("lenet5.safetensors"), "--dataset", "mnist-subset",
                                       "--confusion", path("confusion.svg"), "--misclassified", path("wrong.png")])
        #expect(evaluate.status == 0, "\(evaluate.error)")
        #expect(evaluate.output.contains("test split (2000 samples): accuracy"))
        #expect(FileManager.default.fileExists(atPath: path("confusion.svg")))
        let png = try Data(contentsOf: URL(fileURLWithPath: path("wrong.png")))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}
