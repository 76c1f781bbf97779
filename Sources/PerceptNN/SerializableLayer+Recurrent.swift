import PerceptTensor

// Model-file configurations of the text and sequence layers and of batch normalization (see
// `SerializableLayer`). Recurrent weights are stored as `kernel` `[features, gates·units]`,
// `recurrent_kernel` `[units, gates·units]`, `bias` `[gates·units]` and, for the GRU,
// `recurrent_bias`, with the gates in the order of `RecurrentCell`; a `Bidirectional` layer
// stores its two directions under `forward.` and `backward.`.

extension Embedding: SerializableLayer {
    public var configuration: [String: JSONValue] {
        ["input_dim": .number(Double(inputDimension)), "output_dim": .number(Double(outputDimension)),
         "mask_zero": .bool(maskZero)]
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        self.init(inputDimension: try configuration.integer("input_dim", in: 1...(1 << 24)),
                  outputDimension: try configuration.integer("output_dim", in: 1...(1 << 16)),
                  maskZero: try configuration.bool("mask_zero"))
    }

    public var parameterNames: [String] { ["embeddings"] }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] { [[inputDimension, outputDimension]] }
}

extension RecurrentLayer {
    /// Reads the constructor's arguments shared by the recurrent layers.
    static func recurrentArguments(_ configuration: LayerConfigurationReader) throws
        -> (units: Int, returnSequences: Bool, goBackwards: Bool, dropout: Float, truncation: Int?)
    {
        let truncation: Int?
        switch configuration.values["truncation"] {
        case nil, .null?: truncation = nil
        default: truncation = try configuration.integer("truncation", in: 1...(1 << 24))
        }
        return (try configuration.integer("units", in: 1...(1 << 16)), try configuration.bool("return_sequences"),
                try configuration.bool("go_backwards"), Float(try configuration.number("dropout", in: 0...0.999_999)),
                truncation)
    }

    var recurrentParameterNames: [String] {
        ["kernel", "recurrent_kernel", "bias"] + (cell == .gru ? ["recurrent_bias"] : [])
    }

    func recurrentParameterShapes(inputShape: [Int]) -> [[Int]] {
        let gates = cell.gateCount * units
        let shapes = [[inputShape.count == 2 ? inputShape[1] : -1, gates], [units, gates], [gates]]
        return shapes + (cell == .gru ? [[gates]] : [])
    }
}

/// The configuration, parameter names and shapes shared by ``SimpleRNN``, ``LSTM`` and ``GRU``.
extension SerializableLayer where Self: RecurrentLayer {
    public var configuration: [String: JSONValue] {
        ["units": .number(Double(units)), "return_sequences": .bool(returnSequences), "go_backwards": .bool(goBackwards),
         "dropout": .number(Double(dropout)), "truncation": truncation.map { .number(Double($0)) } ?? .null]
    }

    public var parameterNames: [String] { recurrentParameterNames }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] { recurrentParameterShapes(inputShape: inputShape) }
}

extension SimpleRNN: SerializableLayer {
    public convenience init(configuration: LayerConfigurationReader) throws {
        let a = try Self.recurrentArguments(configuration)
        self.init(a.units, returnSequences: a.returnSequences, goBackwards: a.goBackwards, dropout: a.dropout, truncation: a.truncation)
    }
}

extension LSTM: SerializableLayer {
    public convenience init(configuration: LayerConfigurationReader) throws {
        let a = try Self.recurrentArguments(configuration)
        self.init(a.units, returnSequences: a.returnSequences, goBackwards: a.goBackwards, dropout: a.dropout, truncation: a.truncation)
    }
}

extension GRU: SerializableLayer {
    public convenience init(configuration: LayerConfigurationReader) throws {
        let a = try Self.recurrentArguments(configuration)
        self.init(a.units, returnSequences: a.returnSequences, goBackwards: a.goBackwards, dropout: a.dropout, truncation: a.truncation)
    }
}

extension Bidirectional: SerializableLayer {
    public var configuration: [String: JSONValue] {
        let inner = forwardLayer as? any SerializableLayer
        return ["merge": .string(merge.rawValue),
                "layer": .object(["type": .string(forwardLayer.typeName), "config": .object(inner?.configuration ?? [:])])]
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        guard let merge = Merge(rawValue: try configuration.string("merge")) else {
            throw ModelError.invalidConfiguration(layer: "Bidirectional", key: "merge", reason: "expected concatenate or sum")
        }
        guard case let .object(inner) = configuration.values["layer"], case let .string(type) = inner["type"],
              ["SimpleRNN", "LSTM", "GRU"].contains(type), case let .object(values) = inner["config"]
        else {
            throw ModelError.invalidConfiguration(
                layer: "Bidirectional", key: "layer", reason: "expected {\"type\": SimpleRNN, LSTM or GRU, \"config\": {…}}")
        }
        guard let layer = try LayerRegistry.make(typeName: type, configuration: values) as? RecurrentLayer else {
            throw ModelError.invalidConfiguration(layer: "Bidirectional", key: "layer", reason: "\(type) is not recurrent")
        }
        self.init(layer, merge: merge)
    }

    public var parameterNames: [String] {
        forwardLayer.recurrentParameterNames.map { "forward." + $0 } + backwardLayer.recurrentParameterNames.map { "backward." + $0 }
    }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] {
        let shapes = forwardLayer.recurrentParameterShapes(inputShape: inputShape)
        return shapes + shapes
    }
}

extension BatchNormalization: SerializableLayer {
    public var configuration: [String: JSONValue] {
        ["momentum": .number(Double(momentum)), "epsilon": .number(Double(epsilon))]
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        let epsilon = try configuration.number("epsilon", in: 0...1)
        guard epsilon > 0 else {
            throw ModelError.invalidConfiguration(layer: "BatchNormalization", key: "epsilon", reason: "must be positive")
        }
        self.init(momentum: Float(try configuration.number("momentum", in: 0...1)), epsilon: Float(epsilon))
    }

    public var parameterNames: [String] { ["gamma", "beta"] }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] {
        let channels = [inputShape.last ?? -1]
        return [channels, channels]
    }

    public var bufferNames: [String] { ["moving_mean", "moving_variance"] }

    public var buffers: [Tensor] {
        get { [movingMean, movingVariance].compactMap { $0 } }
        set {
            precondition(newValue.count == 2, "BatchNormalization keeps 2 buffers, got \(newValue.count)")
            movingMean = newValue[0]
            movingVariance = newValue[1]
        }
    }

    public func bufferShapes(inputShape: [Int]) -> [[Int]] { parameterShapes(inputShape: inputShape) }
}
