import PerceptTensor

// Model-file configurations of the convolutional layers (see `SerializableLayer`).

extension Conv2D: SerializableLayer {
    public var configuration: [String: JSONValue] {
        var values: [String: JSONValue] = [
            "filters": .number(Double(filters)),
            "kernel_size": .array([.number(Double(kernelSize.height)), .number(Double(kernelSize.width))]),
            "strides": .array([.number(Double(strides.height)), .number(Double(strides.width))]),
            "padding": .string(padding.rawValue), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.rawValue),
        ]
        if case let .l2(lambda) = kernelRegularizer { values["l2"] = .number(Double(lambda)) }
        return values
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        let size = try configuration.pair("kernel_size", in: 1...4096)
        let strides = try configuration.pair("strides", in: 1...4096)
        guard let padding = Padding(rawValue: try configuration.string("padding")),
              let activation = Activation(rawValue: try configuration.string("activation")),
              let initializer = Initializer(rawValue: try configuration.string("kernel_initializer"))
        else {
            throw ModelError.invalidConfiguration(layer: "Conv2D", key: "padding", reason: "unknown padding, activation or initializer")
        }
        let l2 = try configuration.optionalNumber("l2", in: 0...1e6)
        self.init(try configuration.integer("filters", in: 1...1 << 16), kernelSize: size, strides: strides, padding: padding,
                  activation: activation, useBias: try configuration.bool("use_bias"), kernelInitializer: initializer,
                  kernelRegularizer: l2.map { .l2(Float($0)) })
    }

    public var parameterNames: [String] { useBias ? ["kernel", "bias"] : ["kernel"] }

    public func parameterShapes(inputShape: [Int]) -> [[Int]] {
        let kernel = [kernelSize.height, kernelSize.width, inputShape.count == 3 ? inputShape[2] : -1, filters]
        return useBias ? [kernel, [filters]] : [kernel]
    }
}

extension MaxPool2D: SerializableLayer {
    public var configuration: [String: JSONValue] { poolingConfiguration(poolSize, strides, padding) }

    public convenience init(configuration: LayerConfigurationReader) throws {
        let (size, strides, padding) = try poolingArguments(configuration)
        self.init(poolSize: size, strides: strides, padding: padding)
    }
}

extension AvgPool2D: SerializableLayer {
    public var configuration: [String: JSONValue] { poolingConfiguration(poolSize, strides, padding) }

    public convenience init(configuration: LayerConfigurationReader) throws {
        let (size, strides, padding) = try poolingArguments(configuration)
        self.init(poolSize: size, strides: strides, padding: padding)
    }
}

extension GlobalAveragePooling2D: SerializableLayer {
    public var configuration: [String: JSONValue] { [:] }

    public convenience init(configuration: LayerConfigurationReader) throws { self.init() }
}

extension Reshape: SerializableLayer {
    public var configuration: [String: JSONValue] {
        ["target_shape": .array(targetShape.map { .number(Double($0)) })]
    }

    public convenience init(configuration: LayerConfigurationReader) throws {
        guard case let .array(values) = configuration.values["target_shape"], (1...8).contains(values.count) else {
            throw ModelError.invalidConfiguration(layer: "Reshape", key: "target_shape", reason: "expected 1 to 8 extents")
        }
        let shape = try values.map { value -> Int in
            guard case let .number(number) = value, number.rounded() == number, number >= 1, number < 16_777_216 else {
                throw ModelError.invalidConfiguration(layer: "Reshape", key: "target_shape", reason: "extents must be positive integers")
            }
            return Int(number)
        }
        self.init(shape)
    }
}

extension RandomFlip: SerializableLayer {
    public var configuration: [String: JSONValue] { [:] }

    public convenience init(configuration: LayerConfigurationReader) throws { self.init() }
}

extension RandomTranslation: SerializableLayer {
    public var configuration: [String: JSONValue] { ["max_shift": .number(Double(maxShift))] }

    public convenience init(configuration: LayerConfigurationReader) throws {
        self.init(maxShift: try configuration.integer("max_shift", in: 0...4096))
    }
}

private func poolingConfiguration(_ size: (height: Int, width: Int), _ strides: (height: Int, width: Int), _ padding: Padding)
    -> [String: JSONValue]
{
    [
        "pool_size": .array([.number(Double(size.height)), .number(Double(size.width))]),
        "strides": .array([.number(Double(strides.height)), .number(Double(strides.width))]),
        "padding": .string(padding.rawValue),
    ]
}

private func poolingArguments(_ configuration: LayerConfigurationReader) throws -> ((Int, Int), (Int, Int), Padding) {
    guard let padding = Padding(rawValue: try configuration.string("padding")) else {
        throw ModelError.invalidConfiguration(layer: configuration.typeName, key: "padding", reason: "expected valid or same")
    }
    return (try configuration.pair("pool_size", in: 1...4096), try configuration.pair("strides", in: 1...4096), padding)
}

extension LayerConfigurationReader {
    /// Two whole numbers stored as a JSON array (a window size or strides).
    public func pair(_ key: String, in range: ClosedRange<Int>) throws -> (Int, Int) {
        guard case let .array(values) = values[key], values.count == 2,
              case let .number(first) = values[0], case let .number(second) = values[1],
              first.rounded() == first, second.rounded() == second,
              range.contains(Int(exactly: first) ?? -1), range.contains(Int(exactly: second) ?? -1)
        else {
            throw ModelError.invalidConfiguration(layer: typeName, key: key, reason: "expected two whole numbers in \(range)")
        }
        return (Int(first), Int(second))
    }
}
