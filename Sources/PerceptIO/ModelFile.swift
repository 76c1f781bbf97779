import Foundation
import PerceptNN
import PerceptReports
import PerceptTensor

/// A model saved as one self-describing safetensors file: the weights as `F32` tensors named
/// `<layer name>.<parameter>` (e.g. `dense_1.kernel`, shape `[inputs, units]`; non-trained state
/// such as `batch_normalization.moving_mean` alike), and the
/// architecture, input shape and loss as JSON in the header's metadata under `percept.model`.
///
/// Any safetensors reader sees the weights; Percept rebuilds the whole model from the file alone,
/// and the rebuilt model predicts bit-identically to the saved one.
public enum ModelFile {
    /// The metadata key holding the architecture JSON.
    public static let architectureKey = "percept.model"

    /// The architecture as stored in the metadata.
    struct Architecture: Codable {
        var format = "percept.sequential"
        var version = 1
        var inputShape: [Int]
        var loss: String?
        var layers: [LayerSpecification]

        enum CodingKeys: String, CodingKey {
            case format, version, loss, layers
            case inputShape = "input_shape"
        }
    }

    struct LayerSpecification: Codable {
        var type: String
        var name: String
        var config: [String: JSONValue]
    }

    /// The model as a safetensors file in memory.
    public static func encode(_ model: Sequential, extraTensors: [(name: String, tensor: Tensor)] = [],
                              extraMetadata: [String: String] = [:]) throws -> SafetensorsFile {
        guard let inputShape = model.inputShape else { throw IOError.cannotSave(reason: "the model is not built") }
        var specifications: [LayerSpecification] = []
        var tensors: [(name: String, tensor: Tensor)] = []
        for layer in model.layers {
            guard let layer = layer as? any SerializableLayer else {
                throw IOError.cannotSave(reason: "layer \(layer.name) (\(layer.typeName)) cannot be saved yet")
            }
            specifications.append(LayerSpecification(type: layer.typeName, name: layer.name, config: layer.configuration))
            for (name, parameter) in zip(layer.parameterNames, layer.parameters) {
                tensors.append(("\(layer.name).\(name)", parameter.value))
            }
            for (name, buffer) in zip(layer.bufferNames, layer.buffers) {
                tensors.append(("\(layer.name).\(name)", buffer))
            }
        }
        let architecture = Architecture(inputShape: inputShape, loss: model.loss?.rawValue, layers: specifications)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = extraMetadata
        metadata[architectureKey] = String(decoding: try encoder.encode(architecture), as: UTF8.self)
        metadata["format"] = "pt"  // safetensors' convention for tensors PyTorch can load
        return SafetensorsFile(tensors: tensors + extraTensors, metadata: metadata)
    }

    /// Saves the model to `url`, atomically (temporary file, flush, rename).
    public static func save(_ model: Sequential, to url: URL) throws {
        try AtomicFileWriter.write(try encode(model).encoded(), to: url)
    }

    /// Rebuilds a model from a safetensors file; `path` names it in errors. Tensors whose names
    /// start with one of `ignoringPrefixes` are left for the caller (e.g. optimizer state).
    public static func decode(_ file: SafetensorsFile, path: String, ignoringPrefixes: [String] = []) throws -> Sequential {
        guard let json = file.metadata[architectureKey] else {
            throw IOError.unsupported(path: path, reason: "no '\(architectureKey)' metadata: not a Percept model file")
        }
        let architecture: Architecture
        do {
            architecture = try JSONDecoder().decode(Architecture.self, from: Data(json.utf8))
        } catch {
            throw IOError.malformed(path: path, reason: "the model description is not valid: \(error)")
        }
        guard architecture.format == "percept.sequential", architecture.version == 1 else {
            throw IOError.unsupported(path: path, reason: "model format \(architecture.format) version \(architecture.version)")
        }
        guard architecture.inputShape.allSatisfy({ $0 > 0 && $0 < 1 << 24 }), architecture.inputShape.count <= 8,
              architecture.inputShape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) < 1 << 31
        else {
            throw IOError.malformed(path: path, reason: "input shape \(architecture.inputShape) is not valid")
        }
        let layers: [any Layer]
        do {
            layers = try architecture.layers.map { try LayerRegistry.make(typeName: $0.type, configuration: $0.config) }
        } catch {
            throw IOError.malformed(path: path, reason: "\(error)")
        }
        // Check every parameter against the file before building, so that a model description can
        // never make the reader allocate more than the file's tensors hold.
        var expected = Set<String>()
        var shape = architecture.inputShape
        var generator = RandomGenerator(seed: 0)
        for (layer, specification) in zip(layers, architecture.layers) {
            guard let layer = layer as? any SerializableLayer else { continue }
            let names = layer.parameterNames + layer.bufferNames
            let shapes = layer.parameterShapes(inputShape: shape) + layer.bufferShapes(inputShape: shape)
            for (name, parameterShape) in zip(names, shapes) {
                let key = "\(specification.name).\(name)"
                expected.insert(key)
                guard let stored = file[key] else { throw IOError.malformed(path: path, reason: "tensor '\(key)' is missing") }
                guard stored.shape == parameterShape else {
                    throw IOError.malformed(
                        path: path, reason: "tensor '\(key)' has shape \(stored.shape), the layer needs \(parameterShape)")
                }
                guard stored.isFinite else {
                    throw IOError.malformed(path: path, reason: "tensor '\(key)' holds NaN or infinite values")
                }
            }
            do {
                shape = try layer.build(inputShape: shape, generator: &generator)
            } catch {
                throw IOError.malformed(path: path, reason: "\(error)")
            }
            guard shape.allSatisfy({ $0 > 0 }), shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) < 1 << 31
            else { throw IOError.malformed(path: path, reason: "layer \(specification.name) gives an output of shape \(shape)") }
        }
        let model = Sequential(layers)
        do {
            try model.build(inputShape: architecture.inputShape)
        } catch {
            throw IOError.malformed(path: path, reason: "\(error)")
        }
        for (layer, specification) in zip(layers, architecture.layers) {
            guard let layer = layer as? any SerializableLayer else { continue }
            guard layer.name == specification.name else {
                throw IOError.malformed(path: path, reason: "layer \(specification.name) is rebuilt as \(layer.name)")
            }
            for (name, parameter) in zip(layer.parameterNames, layer.parameters) {
                parameter.value = file["\(layer.name).\(name)"]!
            }
            if !layer.bufferNames.isEmpty {
                layer.buffers = layer.bufferNames.map { file["\(specification.name).\($0)"]! }
            }
        }
        let unexpected = file.tensors.map(\.name).filter { name in
            !expected.contains(name) && !ignoringPrefixes.contains { name.hasPrefix($0) }
        }
        guard unexpected.isEmpty else {
            throw IOError.malformed(path: path, reason: "unexpected tensors: \(unexpected.joined(separator: ", "))")
        }
        if let lossName = architecture.loss {
            guard let loss = Loss(rawValue: lossName) else {
                throw IOError.unsupported(path: path, reason: "unknown loss '\(lossName)'")
            }
            model.compile(optimizer: Adam(), loss: loss)
        }
        return model
    }

    /// Loads a model saved by ``save(_:to:)``.
    public static func load(from url: URL) throws -> Sequential {
        try decode(try SafetensorsFile.read(contentsOf: url), path: url.path)
    }
}
