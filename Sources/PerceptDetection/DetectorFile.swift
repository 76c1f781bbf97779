import Foundation
import PerceptIO
import PerceptNN
import PerceptReports

/// A detector saved as one safetensors file: the network as ``ModelFile`` writes it, plus the
/// detector's ``GridDetector/Settings`` as JSON under the metadata key `percept.detector`.
public enum DetectorFile {
    /// The metadata key holding the detector's settings.
    public static let settingsKey = "percept.detector"

    /// Saves `detector` to `url`, atomically, with its batch normalizations folded into the
    /// convolutions before them (see ``GridDetector/foldingBatchNormalization()``).
    public static func save(_ detector: GridDetector, to url: URL) throws {
        let detector = detector.network.layers.contains { $0 is BatchNormalization }
            ? try detector.foldingBatchNormalization() : detector
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settings = String(decoding: try encoder.encode(detector.settings), as: UTF8.self)
        let file = try ModelFile.encode(detector.network, extraMetadata: [settingsKey: settings])
        try AtomicFileWriter.write(try file.encoded(), to: url)
    }

    /// Loads a detector saved by ``save(_:to:)``.
    ///
    /// - Throws: ``IOError`` naming the file when it cannot be read, is not a Percept model, or is
    ///   a model but not a detector.
    public static func load(from url: URL) throws -> GridDetector {
        let file = try SafetensorsFile.read(contentsOf: url)
        guard let json = file.metadata[settingsKey] else {
            throw IOError.unsupported(
                path: url.path, reason: "no '\(settingsKey)' metadata: a model, but not a detector (save one with percept train detector --save)")
        }
        let network = try ModelFile.decode(file, path: url.path)
        let settings: GridDetector.Settings
        do {
            settings = try JSONDecoder().decode(GridDetector.Settings.self, from: Data(json.utf8))
        } catch {
            throw IOError.malformed(path: url.path, reason: "the detector settings are not valid: \(error)")
        }
        guard settings.classCount >= 1, settings.referenceSize > 0, settings.maximumDetections >= 1 else {
            throw IOError.malformed(path: url.path, reason: "the detector settings are out of range: \(json)")
        }
        do {
            return try GridDetector(network: network, settings: settings)
        } catch {
            throw IOError.malformed(path: url.path, reason: "\(error)")
        }
    }
}
