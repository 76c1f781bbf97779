import Foundation
import PerceptData
import PerceptDetection
import PerceptImage
import PerceptIO
import PerceptNN
import PerceptTensor
import Testing

/// The detector's reading of grid outputs, its file format and its pictures.
@Suite("Grid detector")
struct GridDetectorTests {
    static let objects = [
        LabeledBox(box: BoundingBox(xMin: 10, yMin: 12, xMax: 30, yMax: 44), label: 3),
        LabeledBox(box: BoundingBox(xMin: 60, yMin: 5, xMax: 72, yMax: 21), label: 7),
    ]

    /// Grid outputs that say exactly `objects`: a large objectness and class logit in each
    /// responsible cell, the targets as box values, and a low objectness elsewhere.
    static func outputs(saying objects: [LabeledBox], detector: GridDetector, height: Int, width: Int) -> Tensor {
        let targets = GridTargets(objects: objects, height: height, width: width, stride: detector.stride,
                                  referenceSize: detector.settings.referenceSize)
        let channels = detector.channels
        var outputs = Tensor(zeros: [1, targets.rows, targets.columns, channels])
        outputs.withUnsafeMutableBufferPointer { o in
            for cell in 0..<(targets.rows * targets.columns) { o[cell * channels] = -10 }
            for a in targets.assignments {
                let base = a.cell * channels
                o[base] = 10
                (o[base + 1], o[base + 2], o[base + 3], o[base + 4]) = (a.offsetX, a.offsetY, a.logWidth, a.logHeight)
                o[base + 5 + a.label] = 10
            }
        }
        return outputs
    }

    @Test func decodingRecoversTheBoxesTheTargetsEncode() throws {
        let detector = try GridDetector.untrained(classCount: 10, side: 64)
        #expect(detector.stride == 8)
        let outputs = Self.outputs(saying: Self.objects, detector: detector, height: 50, width: 80)
        let found = detector.detections(fromGrid: outputs, image: 0, height: 50, width: 80)
        #expect(found.count == 2)
        for object in Self.objects {
            let match = try #require(found.first { $0.label == object.label })
            #expect(match.box.intersectionOverUnion(with: object.box) > 0.999)
            #expect(match.score > 0.99)
        }
    }

    @Test func anyImageSizeGivesTheGridOfItsPaddedSize() throws {
        let detector = try GridDetector.untrained(classCount: 10, side: 64)
        for (height, width) in [(64, 64), (100, 137), (9, 200)] {
            let output = detector.outputs(Tensor(zeros: [2, height, width])).value
            #expect(output.shape == [2, (height + 7) / 8, (width + 7) / 8, 15])
        }
    }

    @Test func aSavedDetectorLoadsAndPredictsTheSame() throws {
        let detector = try GridDetector.untrained(classCount: 10, side: 64, seed: 5)
        detector.settings.scoreThreshold = 0.2
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("detector-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try DetectorFile.save(detector, to: url)
        let loaded = try DetectorFile.load(from: url)
        #expect(loaded.settings == detector.settings && loaded.stride == 8)
        var generator = RandomGenerator(seed: 1)
        let images = Tensor.uniform(shape: [1, 40, 56], low: 0, high: 1, generator: &generator)
        // Saving folds the batch normalizations; the outputs stay the same up to rounding.
        let (saved, original) = (loaded.outputs(images).value, detector.outputs(images).value)
        #expect(zip(saved.scalars, original.scalars).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
    }

    @Test func foldingBatchNormalizationKeepsTheOutputs() throws {
        let detector = try GridDetector.untrained(classCount: 10, side: 32, seed: 2)
        // Training-mode passes move the running statistics away from 0 and 1.
        var generator = RandomGenerator(seed: 3)
        let context = ForwardContext(isTraining: true)
        for _ in 0..<20 { _ = detector.outputs(Tensor.uniform(shape: [4, 32, 32], low: 0, high: 1, generator: &generator), context: context) }
        let folded = try detector.foldingBatchNormalization()
        #expect(!folded.network.layers.contains { $0 is BatchNormalization })
        #expect(folded.network.layers.count == 9)
        let images = Tensor.uniform(shape: [2, 48, 40], low: 0, high: 1, generator: &generator)
        let expected = detector.outputs(images).value
        let actual = folded.outputs(images).value
        let largest = zip(expected.scalars, actual.scalars).map { abs($0 - $1) / max(1, abs($0)) }.max()!
        #expect(largest < 1e-4, "largest relative difference \(largest)")
        // The original is untouched.
        #expect(detector.outputs(images).value == expected)
    }

    @Test func aPlainModelFileIsNotADetector() throws {
        let model = ModelZoo.lenet5()
        try model.build(inputShape: [28, 28])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lenet-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelFile.save(model, to: url)
        #expect(throws: IOError.self) { try DetectorFile.load(from: url) }
    }

    @Test func picturesOutlineEachDetectionInItsClassColour() {
        let image = Tensor(repeating: 0.5, shape: [40, 60])
        let detections = [Detection(box: BoundingBox(xMin: 10.4, yMin: 12, xMax: 30, yMax: 35.5), label: 3, score: 0.9)]
        let picture = DetectionPicture.image(image, detections: detections, scale: 2)
        #expect(picture.width == 120 && picture.height == 80)
        let frame = DetectionPicture.outline(of: detections[0].box, scale: 2)
        #expect(frame.left == 20 && frame.top == 24 && frame.right == 59 && frame.bottom == 70)
        let color = DetectionPicture.color(for: 3)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { (0..<3).map { picture[x: x, y: y, channel: $0] } }
        for (x, y) in [(frame.left, 40), (frame.right, 50), (30, frame.top), (45, frame.bottom)] {
            #expect(pixel(x, y) == color)
        }
        #expect(pixel(40, 45) == [128, 128, 128])
    }
}
