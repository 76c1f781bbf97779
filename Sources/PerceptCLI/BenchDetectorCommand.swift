import ArgumentParser
import Foundation
import Percept

/// `percept bench detector`: the inference speed of a saved detector on 200 × 200 scenes.
struct BenchDetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector",
        abstract: "Scenes per second of a saved detector on generated 200 × 200 scenes, one at a time, end to end.",
        discussion: "Example: percept bench detector --model detector.safetensors --data-dir ~/mnist")

    @Option(help: ArgumentHelp("A detector saved by percept train detector --save.", valueName: "file"))
    var model: String

    @OptionGroup var data: DataOptions

    @Option(help: "Timed scenes (after one warm-up scene).")
    var scenes: Int = 200

    @Option(help: "Seed of the scenes (digits from the test split).")
    var seed: UInt64 = 1

    @Option(help: "Threads the work is split between (OpenBLAS itself runs on one).")
    var threads: Int = 2

    @Flag(help: "Print one JSON line instead of text.")
    var json = false

    func validate() throws {
        guard scenes >= 1 else { throw ValidationError("--scenes must be at least 1, got \(scenes)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        BLAS.setThreadCount(threads)
        let detector = try DetectorFile.load(from: URL(fileURLWithPath: model))
        let (_, test, _) = try data.load()
        let rate = try scenesPerSecond(detector, digits: test, count: scenes, seed: seed)
        if json {
            print("{\"workload\": \"detector\", \"framework\": \"percept\", \"threads\": \(threads), \"scenes\": \(scenes), "
                + "\"side\": 200, \"scenes_per_second\": " + String(format: "%.2f", rate) + "}")
        } else {
            print("detector: " + String(format: "%.1f", rate) + " scenes/s on \(scenes) scenes of 200×200 (\(threads) threads)")
        }
    }
}

/// Scenes per second on `count` generated 200 × 200 scenes of `digits`, detected one at a time,
/// from the image to the final detections (network, decoding, non-maximum suppression), after one
/// warm-up scene.
func scenesPerSecond(_ detector: GridDetector, digits: LabeledDataset, count: Int, seed: UInt64) throws -> Double {
    let scenes = try DigitSceneGenerator(source: digits, seed: seed, sideRange: 200...200).scenes(0..<(count + 1))
    _ = detector.detect(scenes[0].image)
    let clock = ContinuousClock()
    let start = clock.now
    for scene in scenes.dropFirst() { _ = detector.detect(scene.image) }
    let elapsed = (clock.now - start).components
    return Double(count) / max(Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18, 1e-9)
}
