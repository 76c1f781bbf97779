import Foundation
import PerceptData
import PerceptDetection
import PerceptImage
import Testing

/// `percept scenes`, `percept detect` and a short `percept train detector`, through the executable.
@Suite("percept scenes, detect and train detector", .serialized)
struct DetectionCLITests {
    /// A detector trained by `percept train detector` on the full MNIST (kept small: its weights
    /// are about 650 kB).
    static let detectorFixture = Bundle.module.url(forResource: "detector", withExtension: "safetensors", subdirectory: "Fixtures")!

    struct Listing: Decodable {
        struct Scene: Decodable {
            var file: String
            var width: Int, height: Int
            var objects: [LabeledBox]
        }
        var seed: UInt64
        var scenes: [Scene]
    }

    struct Found: Decodable {
        var width: Int, height: Int, scale: Int
        var detections: [Detection]
    }

    @Test func scenesAreWrittenAsPNGWithTheirBoxes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try PerceptRun(["scenes", "--dataset", "mnist-subset", "--count", "3", "--seed", "4", "--output", directory.path])
        #expect(run.status == 0, "\(run.error)")
        let listing = try JSONDecoder().decode(Listing.self, from: Data(contentsOf: directory.appendingPathComponent("scenes.json")))
        #expect(listing.seed == 4 && listing.scenes.map(\.file) == ["scene-0000.png", "scene-0001.png", "scene-0002.png"])
        let expected = try DigitSceneGenerator(source: MNIST.loadEmbedded(split: .test), seed: 4).scenes(0..<3)
        for (entry, scene) in zip(listing.scenes, expected) {
            #expect(entry.objects == scene.objects)
            let image = try Image(contentsOf: directory.appendingPathComponent(entry.file))
            #expect(image.width == scene.width && image.height == scene.height && image.channels == 1)
            // 8-bit rounding of the canvas.
            let decoded = image.tensor().scalars
            #expect(zip(decoded, scene.image.scalars).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
        }
    }

    @Test func detectDrawsEachBoxWhereItReportsIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenes = try PerceptRun(["scenes", "--dataset", "mnist-subset", "--count", "4", "--seed", "9", "--output", directory.path])
        #expect(scenes.status == 0, "\(scenes.error)")
        let listing = try JSONDecoder().decode(Listing.self, from: Data(contentsOf: directory.appendingPathComponent("scenes.json")))
        var objects = 0, found = 0
        for entry in listing.scenes {
            let picture = directory.appendingPathComponent("boxes-" + entry.file)
            let json = directory.appendingPathComponent(entry.file + ".json")
            let run = try PerceptRun([
                "detect", "--model", Self.detectorFixture.path, directory.appendingPathComponent(entry.file).path,
                "--output", picture.path, "--json", json.path, "--scale", "2",
            ])
            #expect(run.status == 0, "\(run.error)")
            let result = try JSONDecoder().decode(Found.self, from: Data(contentsOf: json))
            #expect(result.width == entry.width && result.height == entry.height && result.scale == 2)
            #expect(run.output.split(separator: "\n").filter { $0.hasPrefix("class ") }.count == result.detections.count)

            // The drawing, decoded again: every reported box is outlined in its class's colour.
            let image = try Image(contentsOf: picture, channels: 3)
            #expect(image.width == 2 * entry.width && image.height == 2 * entry.height)
            for (rank, detection) in result.detections.enumerated() {
                let frame = DetectionPicture.outline(of: detection.box, scale: 2)
                var outline: [(Int, Int)] = []
                for x in frame.left...frame.right { outline += [(x, frame.top), (x, frame.bottom)] }
                for y in frame.top...frame.bottom { outline += [(frame.left, y), (frame.right, y)] }
                let color = DetectionPicture.color(for: detection.label)
                let matching = outline.filter { x, y in (0..<3).map { image[x: x, y: y, channel: $0] } == color }.count
                // The best box is drawn last and is complete; others may be crossed by a better box or its label.
                let share = Double(matching) / Double(outline.count)
                #expect(rank == 0 ? share == 1 : share > 0.6, "box \(rank) \(detection.box): \(matching) of \(outline.count) outline pixels")
            }
            // Away from every outline and label the picture is the gray scene, magnified.
            let source = try Image(contentsOf: directory.appendingPathComponent(entry.file))
            let (x, y) = (1, 2 * entry.height - 2)
            if !result.detections.contains(where: { $0.box.yMax * 2 >= Float(y - 12) && $0.box.xMin * 2 <= 3 }) {
                let gray = source[x: x / 2, y: y / 2, channel: 0]
                #expect((0..<3).map { image[x: x, y: y, channel: $0] } == [gray, gray, gray])
            }

            // And the detector finds the digits of the scene.
            objects += entry.objects.count
            found += entry.objects.filter { object in
                result.detections.contains { $0.label == object.label && $0.box.intersectionOverUnion(with: object.box) >= 0.5 }
            }.count
        }
        #expect(Double(found) >= 0.8 * Double(objects), "found \(found) of \(objects) digits")
    }

    @Test func detectRejectsAModelThatIsNotADetector() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("mlp.safetensors")
        let train = try PerceptRun([
            "train", "mlp", "--dataset", "mnist-subset", "--hidden", "8", "--epochs", "1", "--quiet", "--save", model.path,
        ])
        #expect(train.status == 0, "\(train.error)")
        try Image(width: 20, height: 20, fill: [0]).writePNG(to: directory.appendingPathComponent("empty.png"))
        let run = try PerceptRun(["detect", "--model", model.path, directory.appendingPathComponent("empty.png").path])
        #expect(run.status != 0 && run.error.contains("not a detector"), "\(run.error)")
    }

    @Test func trainDetectorWritesTheDetectionReport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("detector.json")
        let model = directory.appendingPathComponent("detector.safetensors")
        let run = try PerceptRun([
            "train", "detector", "--dataset", "mnist-subset", "--epochs", "1", "--scenes-per-epoch", "16",
            "--validation-scenes", "4", "--test-scenes", "5", "--speed-scenes", "2", "--quiet", "--report", report.path,
            "--save", model.path,
        ])
        #expect(run.status == 0, "\(run.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        for key in ["model", "dataset", "epochs", "test_accuracy", "test_loss", "train_seconds", "train_samples_per_second",
                    "history", "map50", "average_precision", "scenes_per_second", "parameters", "percept_version"] {
            #expect(json[key] != nil, "report lacks \(key)")
        }
        #expect(json["test_samples"] as? Int == 5 && json["train_samples"] as? Int == 16)
        #expect((json["scenes_per_second"] as? Double ?? 0) > 0)
        _ = try DetectorFile.load(from: model)

        let bench = try PerceptRun(["bench", "detector", "--model", model.path, "--dataset", "mnist-subset", "--scenes", "2", "--json"])
        #expect(bench.status == 0, "\(bench.error)")
        let line = try JSONSerialization.jsonObject(with: Data(bench.output.utf8)) as! [String: Any]
        #expect(line["workload"] as? String == "detector" && (line["scenes_per_second"] as? Double ?? 0) > 0)
    }
}
