import Foundation
import PerceptClassical
import PerceptNN

/// Any model Percept saves, as read back from its file: the metadata says which kind it is.
public enum SavedModel {
    /// A network saved by ``ModelFile``.
    case network(Sequential)
    /// A text classifier saved by ``TextClassifier/save(to:)``.
    case textClassifier(TextClassifier)
    /// A classical classifier saved by ``ClassifierFile``.
    case classifier(any PersistentClassifier)

    /// Reads the model file at `url`, whichever kind it holds.
    ///
    /// - Throws: ``IOError`` naming the file and what is wrong with it.
    public static func load(from url: URL) throws -> SavedModel {
        try decode(try SafetensorsFile.read(contentsOf: url), path: url.path)
    }

    /// Rebuilds the model held by a safetensors file; `path` names it in errors.
    public static func decode(_ file: SafetensorsFile, path: String) throws -> SavedModel {
        if file.metadata[ClassifierFile.metadataKey] != nil { return .classifier(try ClassifierFile.decode(file, path: path)) }
        if file.metadata[TextClassifier.metadataKey] != nil { return .textClassifier(try TextClassifier.decode(file, path: path)) }
        if file.metadata[ModelFile.architectureKey] != nil { return .network(try ModelFile.decode(file, path: path)) }
        throw IOError.unsupported(
            path: path,
            reason: "no Percept model in this safetensors file (its metadata has none of '\(ModelFile.architectureKey)', "
                + "'\(ClassifierFile.metadataKey)', '\(TextClassifier.metadataKey)')")
    }
}
