import Foundation
import PerceptData
import PerceptImage
import Testing

@Suite("percept predict on image files", .serialized)
struct ImagePredictionCLITests {
    @Test func predictClassifiesDigitsDrawnAsPNGFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("mlp.safetensors")
        let train = try PerceptRun([
            "train", "mlp", "--dataset", "mnist-subset", "--hidden", "64", "--epochs", "3", "--seed", "1", "--quiet",
            "--save", model.path,
        ])
        #expect(train.status == 0, "\(train.error)")
        // The first ten digits of the MNIST test set, saved as black ink on white paper, 3× larger.
        let test = try MNIST.loadEmbedded(split: .test)
        var paths = [String]()
        for index in 0..<10 {
            let pixels = test.features.rows(index..<(index + 1)).scalars.map { UInt8(($0 * 255).rounded()) }
            let digit = Image(width: 28, height: 28, channels: 1, pixels: pixels).inverted().resized(width: 84, height: 84)
            let url = directory.appendingPathComponent("digit-\(index).png")
            try digit.writePNG(to: url)
            paths.append(url.path)
        }
        let run = try PerceptRun(["predict", "--model", model.path] + paths)
        #expect(run.status == 0, "\(run.error)")
        let predicted = run.output.split(separator: "\n").filter { $0.contains(": class ") }.map { line in
            Int(line.split(separator: " ")[2])!
        }
        #expect(predicted.count == 10)
        let correct = zip(predicted, test.labels.prefix(10)).filter { $0 == $1 }.count
        #expect(correct >= 8, "predicted \(predicted), labels \(Array(test.labels.prefix(10)))")
        #expect(run.output.contains("probabilities: 0 "))

        let broken = directory.appendingPathComponent("broken.png")
        try Data("not a png".utf8).write(to: broken)
        let failed = try PerceptRun(["predict", "--model", model.path, broken.path])
        #expect(failed.status != 0 && failed.error.contains("broken.png: not a decodable image"))
    }
}
