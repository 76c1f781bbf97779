/// A JSON value, for layer configurations stored in model files.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}

/// Reads typed values out of a layer configuration, with errors that name the layer and the key.
public struct LayerConfigurationReader {
    /// The layer type being read, for error messages.
    public let typeName: String
    /// The configuration.
    public let values: [String: JSONValue]

    /// Creates a reader.
    public init(typeName: String, values: [String: JSONValue]) {
        self.typeName = typeName
        self.values = values
    }

    private func fail(_ key: String, _ expected: String) -> ModelError {
        .invalidConfiguration(layer: typeName, key: key, reason: "expected \(expected), found \(values[key].map { "\($0)" } ?? "nothing")")
    }

    /// A whole number.
    public func integer(_ key: String, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws -> Int {
        guard case let .number(value) = values[key], value.rounded() == value, range.contains(Int(exactly: value) ?? -1)
        else { throw fail(key, "a whole number in \(range)") }
        return Int(value)
    }

    /// A real number in a range.
    public func number(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        guard case let .number(value) = values[key], range.contains(value) else {
            throw fail(key, "a number in \(range)")
        }
        return value
    }

    /// A string.
    public func string(_ key: String) throws -> String {
        guard case let .string(value) = values[key] else { throw fail(key, "a string") }
        return value
    }

    /// A Boolean.
    public func bool(_ key: String) throws -> Bool {
        guard case let .bool(value) = values[key] else { throw fail(key, "true or false") }
        return value
    }

    /// An optional number (`null` or absent gives `nil`).
    public func optionalNumber(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        switch values[key] {
        case nil, .null?: return nil
        default: return try number(key, in: range)
        }
    }
}
