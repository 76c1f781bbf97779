import ArgumentParser
import Foundation
import Percept

/// `percept scenes`: writes generated detection scenes as PNG files with a JSON file of their boxes.
struct ScenesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenes",
        abstract: "Write generated detection scenes (MNIST digits on a canvas) as PNG files and their boxes as JSON.",
        discussion: """
            Scene i of a seed is always the same: with the default --split test, --seed S writes the scenes \
            `percept train detector --test-seed S` evaluates on. Each scene is 100–200 px wide and high and holds \
            1–6 digits whose longer side is 16–48 px; a box is the tight rectangle around a digit's resized ink \
            (pixels from 10% intensity in the original), in pixel edges: a digit covering columns 3 to 7 has \
            x_min 3 and x_max 8. Boxes overlap by at most 20% of the smaller one's area.
            Example: percept scenes --count 10 --seed 0 --output scenes --data-dir ~/mnist
            """)

    @OptionGroup var data: DataOptions

    @Option(help: "How many scenes to write.")
    var count: Int

    @Option(help: "The seed of the scenes.")
    var seed: UInt64 = 0

    @Option(help: "Which split the digits come from: test (evaluation scenes) or train.")
    var split: String = "test"

    @Option(help: ArgumentHelp("The folder to write scene-NNNN.png files and scenes.json into (created if needed).",
                               valueName: "dir"))
    var output: String

    func validate() throws {
        guard data.dataset == "mnist" || data.dataset == "mnist-subset" else {
            throw ValidationError("scenes are made of digits: --dataset must be mnist or mnist-subset, got '\(data.dataset)'")
        }
        guard count >= 1 && count <= 1_000_000 else { throw ValidationError("--count must be 1 to 1000000, got \(count)") }
        guard ["test", "train"].contains(split) else { throw ValidationError("--split must be test or train, got '\(split)'") }
    }

    func run() throws {
        let (train, test, datasetName) = try data.load()
        let generator = try DigitSceneGenerator(source: split == "test" ? test : train, seed: seed)
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let digits = max(4, String(count - 1).count)
        var entries: [SceneListing.Scene] = []
        for start in stride(from: 0, to: count, by: 256) {
            for (offset, scene) in generator.scenes(start..<min(start + 256, count)).enumerated() {
                let number = String(start + offset)
                let name = "scene-" + String(repeating: "0", count: max(0, digits - number.count)) + number + ".png"
                try Image(tensor: scene.image).writePNG(to: directory.appendingPathComponent(name))
                entries.append(SceneListing.Scene(
                    file: name, width: scene.width, height: scene.height,
                    objects: scene.objects))
            }
        }
        let listing = SceneListing(dataset: datasetName, split: split, seed: seed, scenes: entries)
        try AtomicFileWriter.write(try reportJSON(listing), to: directory.appendingPathComponent("scenes.json"))
        print("wrote \(count) scenes (\(entries.reduce(0) { $0 + $1.objects.count }) digits) and scenes.json to \(directory.path)")
    }
}

/// The `scenes.json` written by `percept scenes`.
struct SceneListing: Codable {
    struct Scene: Codable {
        var file: String
        var width: Int, height: Int
        var objects: [LabeledBox]
    }

    var dataset: String
    var split: String
    var seed: UInt64
    var scenes: [Scene]
}
