import Foundation
import PerceptClassical
import PerceptReports
import PerceptTensor

/// A fitted classical classifier saved as one self-describing safetensors file, in the same
/// format as the networks' ``ModelFile``: the fitted arrays as `F32` tensors (`weights`
/// `[features, classes]`, `intercepts`, `support_vectors` `[m, features]`, `coefficients`, `rho`,
/// `landmarks`, depending on the model), and the model type, its hyperparameters and the small
/// fitted values (classes, feature count, kernel, counters) as JSON in the header's metadata
/// under `percept.classifier`:
///
/// ```json
/// {"format": "percept.classifier", "version": 1, "model": "SupportVectorMachine",
///  "hyperparameters": {"c": 10, "kernel": {"kind": "rbf", "gamma": 0.03, …}, …},
///  "fitted": {"classes": [0, …, 9], "feature_count": 784, "pairs": [[0, 1], …], …}}
/// ```
///
/// The rebuilt model predicts bit-identically to the saved one.
public enum ClassifierFile {
    /// The metadata key holding the description JSON.
    public static let metadataKey = "percept.classifier"
    /// The value of the description's `format` field.
    public static let formatName = "percept.classifier"

    /// The model types a file may name, by their ``Classifier/modelName``.
    public static let modelTypes: [any PersistentClassifier.Type] = [
        RidgeClassifier.self, LinearDiscriminantAnalysis.self, KernelFisherDiscriminant.self, Perceptron.self,
        KernelPerceptron.self, LogisticRegression.self, SupportVectorMachine.self,
    ]

    struct Header: Decodable {
        var format: String
        var version: Int
        var model: String
    }

    struct Description<Model: PersistentClassifier>: Codable {
        var format = ClassifierFile.formatName
        var version = 1
        var model = Model.modelName
        var hyperparameters: Model
        var fitted: FittedSummary
    }

    /// The fitted model as a safetensors file in memory.
    ///
    /// - Throws: ``IOError/cannotSave(reason:)`` when the model is not fitted.
    public static func encode<Model: PersistentClassifier>(_ model: Model) throws -> SafetensorsFile {
        guard let state = model.state else { throw IOError.cannotSave(reason: "\(Model.modelName) is not fitted") }
        let (summary, arrays) = Model.split(state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(Description(hyperparameters: model, fitted: summary))
        return SafetensorsFile(tensors: arrays, metadata: [metadataKey: String(decoding: json, as: UTF8.self), "format": "pt"])
    }

    /// Saves the fitted model to `url`, atomically (temporary file, flush, rename).
    public static func save<Model: PersistentClassifier>(_ model: Model, to url: URL) throws {
        try AtomicFileWriter.write(try encode(model).encoded(), to: url)
    }

    /// Rebuilds a fitted model from a safetensors file; `path` names it in errors.
    public static func decode(_ file: SafetensorsFile, path: String) throws -> any PersistentClassifier {
        guard let text = file.metadata[metadataKey] else {
            throw IOError.unsupported(path: path, reason: "no '\(metadataKey)' metadata: not a Percept classifier file")
        }
        let json = Data(text.utf8)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: json) } catch {
            throw IOError.malformed(path: path, reason: "the classifier description is not valid: \(error)")
        }
        guard header.format == formatName, header.version == 1 else {
            throw IOError.unsupported(path: path, reason: "classifier format \(header.format) version \(header.version)")
        }
        guard let type = modelTypes.first(where: { $0.modelName == header.model }) else {
            throw IOError.unsupported(
                path: path,
                reason: "unknown model '\(header.model)'; known: \(modelTypes.map { $0.modelName }.joined(separator: ", "))")
        }
        return try decode(type, json: json, file: file, path: path)
    }

    private static func decode<Model: PersistentClassifier>(
        _ type: Model.Type, json: Data, file: SafetensorsFile, path: String
    ) throws -> Model {
        let description: Description<Model>
        do { description = try JSONDecoder().decode(Description<Model>.self, from: json) } catch {
            throw IOError.malformed(path: path, reason: "the \(Model.modelName) description is not valid: \(error)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in file.tensors { tensors[name] = tensor }
        var model = description.hyperparameters
        do {
            model.state = try Model.join(description.fitted, FittedArrays(model: Model.modelName, tensors: tensors))
        } catch let error as ClassifierError {
            throw IOError.malformed(path: path, reason: "\(error)")
        }
        let used = Set(Model.split(model.state!).arrays.map(\.name))
        let unexpected = file.tensors.map(\.name).filter { !used.contains($0) }
        guard unexpected.isEmpty else {
            throw IOError.malformed(path: path, reason: "unexpected tensors: \(unexpected.joined(separator: ", "))")
        }
        return model
    }

    /// Loads a classifier saved by ``save(_:to:)``.
    public static func load(from url: URL) throws -> any PersistentClassifier {
        try decode(try SafetensorsFile.read(contentsOf: url), path: url.path)
    }
}
