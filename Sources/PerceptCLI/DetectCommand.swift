import ArgumentParser
import Foundation
import Percept

/// `percept detect --model FILE IMAGE --output FILE.png`: the objects a saved detector finds in an image.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find objects in an image with a detector saved by percept train detector --save, and draw them.",
        discussion: """
            Prints one line per detection (class, score, box as x_min y_min x_max y_max in pixel edges), best first, \
            and with --output draws each box in its class's colour with the class number above it.
            Example: percept detect --model detector.safetensors scene.png --output boxes.png
            """)

    @Option(help: ArgumentHelp("A detector saved by percept train detector --save.", valueName: "file"))
    var model: String

    @Argument(help: "The image (PNG, JPEG, BMP, GIF, PGM/PPM); colour images are converted to gray.")
    var image: String

    @Option(help: ArgumentHelp("Write the image with the boxes drawn on it to this PNG file.", valueName: "file.png"))
    var output: String?

    @Option(help: ArgumentHelp("Write the detections as JSON to this file.", valueName: "file.json"))
    var json: String?

    @Option(help: "Report detections from this score on (0 to 1).")
    var minimumScore: Float = 0.5

    @Option(help: "Magnify the drawn image this many times (1 to 8).")
    var scale: Int = 2

    @Option(help: "Invert the image first (the detector expects light ink on a dark background): auto (when the image is mostly light), yes or no.")
    var invert: String = "auto"

    func validate() throws {
        guard minimumScore >= 0 && minimumScore <= 1 else { throw ValidationError("--minimum-score must be in [0, 1], got \(minimumScore)") }
        guard (1...8).contains(scale) else { throw ValidationError("--scale must be 1 to 8, got \(scale)") }
        guard ["auto", "yes", "no"].contains(invert) else { throw ValidationError("--invert must be auto, yes or no, got '\(invert)'") }
    }

    func run() throws {
        let detector = try DetectorFile.load(from: URL(fileURLWithPath: model))
        var picture = try Image(contentsOf: URL(fileURLWithPath: image), channels: 1)
        let mean = picture.pixels.reduce(0) { $0 + Int($1) } / max(picture.pixels.count, 1)
        if invert == "yes" || (invert == "auto" && mean > 127) { picture = picture.inverted() }
        let input = picture.tensor().reshaped([picture.height, picture.width])
        detector.settings.scoreThreshold = min(detector.settings.scoreThreshold, minimumScore)
        let detections = detector.detect(input).filter { $0.score >= minimumScore }
        print("\(image): \(detections.count) detection\(detections.count == 1 ? "" : "s") (\(picture.width)×\(picture.height))")
        for detection in detections {
            let box = detection.box
            print("class \(detection.label)  score " + String(format: "%.3f", detection.score) + "  box "
                + [box.xMin, box.yMin, box.xMax, box.yMax].map { String(format: "%.1f", $0) }.joined(separator: " "))
        }
        if let output {
            try DetectionPicture.image(input, detections: detections, scale: scale, thickness: scale >= 2 ? 2 : 1)
                .writePNG(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
        if let json {
            let listing = DetectionListing(
                image: image, width: picture.width, height: picture.height, scale: scale,
                detections: detections)
            try AtomicFileWriter.write(try reportJSON(listing), to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}

/// The JSON written by `percept detect --json`.
struct DetectionListing: Codable {
    var image: String
    var width: Int, height: Int
    /// How many times the drawn image is magnified.
    var scale: Int
    var detections: [Detection]
}
