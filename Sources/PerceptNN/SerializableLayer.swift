import PerceptTensor

/// A layer that can be written to a model file and rebuilt from it: its type name and
/// configuration (the constructor's arguments) are stored as JSON, its parameters as tensors.
public protocol SerializableLayer: Layer {
    /// The constructor's arguments as JSON values.
    var configuration: [String: JSONValue] { get }
    /// Rebuilds the layer (without parameters) from ``configuration``.
    init(configuration: LayerConfigurationReader) throws
    /// The names of ``Layer/parameters``, in the same order (e.g. `kernel`, `bias`).
    var parameterNames: [String] { get }
    /// The shapes ``Layer/build(inputShape:generator:)`` would give the parameters, computed without
    /// allocating them (so a model file can be checked against its tensors before anything is built).
    func parameterShapes(inputShape: [Int]) -> [[Int]]
    /// The names of the tensors the layer keeps but does not train (e.g. running statistics),
    /// saved and restored with the parameters.
    var bufferNames: [String] { get }
    /// Those tensors, in the order of ``bufferNames``, once built; setting them restores a saved state.
    var buffers: [Tensor] { get set }
    /// The shapes of ``buffers`` for inputs of `inputShape`, computed without allocating them.
    func bufferShapes(inputShape: [Int]) -> [[Int]]
}

extension SerializableLayer {
    public var parameterNames: [String] { [] }
    public func parameterShapes(inputShape: [Int]) -> [[Int]] { [] }
    public var bufferNames: [String] { [] }
    public var buffers: [Tensor] {
        get { [] }
        set {}
    }
    public func bufferShapes(inputShape: [Int]) -> [[Int]] { [] }
}

/// The layer types a model file may name, and how to rebuild each.
public enum LayerRegistry {
    /// Rebuilders by type name; add a line here for each new serializable layer.
    public static let types: [String: @Sendable (LayerConfigurationReader) throws -> any SerializableLayer] = [
        "Dense": { try Dense(configuration: $0) },
        "Dropout": { try Dropout(configuration: $0) },
        "Flatten": { try Flatten(configuration: $0) },
        "Activation": { try ActivationLayer(configuration: $0) },
        "Conv2D": { try Conv2D(configuration: $0) },
        "MaxPooling2D": { try MaxPool2D(configuration: $0) },
        "AveragePooling2D": { try AvgPool2D(configuration: $0) },
        "GlobalAveragePooling2D": { try GlobalAveragePooling2D(configuration: $0) },
        "Reshape": { try Reshape(configuration: $0) },
        "RandomFlip": { try RandomFlip(configuration: $0) },
        "RandomTranslation": { try RandomTranslation(configuration: $0) },
        "BatchNormalization": { try BatchNormalization(configuration: $0) },
        "Embedding": { try Embedding(configuration: $0) },
        "SimpleRNN": { try SimpleRNN(configuration: $0) },
        "LSTM": { try LSTM(configuration: $0) },
        "GRU": { try GRU(configuration: $0) },
        "Bidirectional": { try Bidirectional(configuration: $0) },
    ]

    /// Rebuilds a layer from its type name and configuration.
    public static func make(typeName: String, configuration: [String: JSONValue]) throws -> any SerializableLayer {
        guard let make = types[typeName] else {
            throw ModelError.invalidConfiguration(
                layer: typeName, key: "type",
                reason: "unknown layer type; known: " + types.keys.sorted().joined(separator: ", "))
        }
        return try make(LayerConfigurationReader(typeName: typeName, values: configuration))
    }
}

extension Dense: SerializableLayer {
    public var configuration: [String: JSONValue] {
        var values: [String: JSONValue] = [
            "units": .number(Double(units)), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.rawValue),
        ]
        if case let .l2(lambda) = kernelRegularizer { values["l2"] = .number(Double(lambda)) }
        return values
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        guard let activation = Activation(rawValue: try configuration.string("activation")) else {
            throw ModelError.invalidConfiguration(layer: "Dense", key: "activation", reason: "unknown activation")
        }
        guard let initializer = Initializer(rawValue: try configuration.string("kernel_initializer")) else {
            throw ModelError.invalidConfiguration(layer: "Dense", key: "kernel_initializer", reason: "unknown initializer")
        }
        let l2 = try configuration.optionalNumber("l2", in: 0...1e6)
        self.init(try configuration.integer("units", in: 1...1 << 24), activation: activation,
                  useBias: try configuration.bool("use_bias"), kernelInitializer: initializer,
                  kernelRegularizer: l2.map { .l2(Float($0)) })
    }

    public var parameterNames: [String] { useBias ? ["kernel", "bias"] : ["kernel"] }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] {
        let kernel = [inputShape.count == 1 ? inputShape[0] : -1, units]
        return useBias ? [kernel, [units]] : [kernel]
    }
}

extension Dropout: SerializableLayer {
    public var configuration: [String: JSONValue] { ["rate": .number(Double(rate))] }

    public convenience init(configuration: LayerConfigurationReader) throws {
        self.init(Float(try configuration.number("rate", in: 0...0.999_999)))
    }
}

extension Flatten: SerializableLayer {
    public var configuration: [String: JSONValue] { [:] }

    public convenience init(configuration: LayerConfigurationReader) throws {
        self.init()
    }
}

extension ActivationLayer: SerializableLayer {
    public var configuration: [String: JSONValue] { ["activation": .string(activation.rawValue)] }

    public convenience init(configuration: LayerConfigurationReader) throws {
        guard let activation = Activation(rawValue: try configuration.string("activation")) else {
            throw ModelError.invalidConfiguration(layer: "Activation", key: "activation", reason: "unknown activation")
        }
        self.init(activation)
    }
}
