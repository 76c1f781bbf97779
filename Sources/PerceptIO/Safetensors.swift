import Foundation
import PerceptTensor

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian tensor bytes.
///
/// Readable by PyTorch (`safetensors.torch.load_file`) and most other tools. Percept writes `F32`
/// and reads `F32`, `F64`, `F16` and `BF16` (converted to `Float`). Reading checks every header
/// field before use: the header length against the file size, each shape's element count against
/// overflow and against its byte range, and that the ranges tile the data without gap or overlap,
/// so a hostile file can never make the reader allocate more than the file holds.
public struct SafetensorsFile: Sendable, Equatable {
    /// The tensors, in file order.
    public var tensors: [(name: String, tensor: Tensor)]
    /// Free-form string metadata (the header's `__metadata__`).
    public var metadata: [String: String]

    /// The largest header accepted (the format's reference implementation uses the same bound).
    public static let maximumHeaderBytes = 100_000_000

    /// Creates a file from named tensors and metadata.
    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public static func == (lhs: SafetensorsFile, rhs: SafetensorsFile) -> Bool {
        lhs.metadata == rhs.metadata && lhs.tensors.map(\.name) == rhs.tensors.map(\.name)
            && lhs.tensors.map(\.tensor) == rhs.tensors.map(\.tensor)
    }

    /// The tensor named `name`, if present.
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for (name, tensor) in tensors {
            guard name != "__metadata__", header[name] == nil else {
                throw IOError.cannotSave(reason: "tensor name '\(name)' is reserved or repeated")
            }
            let bytes = tensor.count * 4
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned.
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for (_, tensor) in tensors {
            tensor.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Reads a file.
    public static func read(contentsOf url: URL) throws -> SafetensorsFile {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw IOError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, path: url.path)
    }

    /// Parses the bytes of a file; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws -> SafetensorsFile {
        func malformed(_ reason: String) -> IOError { .malformed(path: path, reason: reason) }
        guard data.count >= 8 else {
            throw malformed("\(data.count) bytes is shorter than the 8-byte header length")
        }
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(min(data.count - 8, maximumHeaderBytes)) else {
            let hint = data.first == UInt8(ascii: "{") ? " (the file looks like JSON, not safetensors)" : ""
            throw malformed("the header length \(declared) exceeds the \(data.count - 8) bytes after it\(hint)")
        }
        let headerLength = Int(declared)
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + headerLength))
        guard headerBytes.first == UInt8(ascii: "{") else { throw malformed("the header does not start with '{'") }
        guard let header = (try? JSONSerialization.jsonObject(with: headerBytes)) as? [String: Any] else {
            throw malformed("the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = data.count - dataStart

        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let dictionary = raw as? [String: Any] else { throw malformed("__metadata__ is not an object") }
            for (key, value) in dictionary {
                guard let text = value as? String else { throw malformed("__metadata__['\(key)'] is not a string") }
                metadata[key] = text
            }
        }

        struct Entry {
            var name: String
            var dtype: String
            var shape: [Int]
            var begin: Int
            var end: Int
        }
        var entries: [Entry] = []
        for (name, raw) in header where name != "__metadata__" {
            guard let info = raw as? [String: Any] else { throw malformed("entry '\(name)' is not an object") }
            guard let dtype = info["dtype"] as? String else { throw malformed("entry '\(name)' has no dtype") }
            guard let shapeValues = info["shape"] as? [Any], let offsets = info["data_offsets"] as? [Any],
                  offsets.count == 2
            else { throw malformed("entry '\(name)' needs a shape and two data_offsets") }
            let shape = try shapeValues.map { try nonNegativeInteger($0, "a shape extent of '\(name)'", path: path) }
            let begin = try nonNegativeInteger(offsets[0], "the first offset of '\(name)'", path: path)
            let end = try nonNegativeInteger(offsets[1], "the second offset of '\(name)'", path: path)
            guard begin <= end, end <= dataLength else {
                throw malformed("'\(name)' spans bytes \(begin)..<\(end) but the data holds \(dataLength) bytes")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }

        // The byte ranges must tile the data exactly.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for entry in entries {
            guard entry.begin == expected else {
                throw malformed("'\(entry.name)' starts at byte \(entry.begin), expected \(expected) (ranges overlap or leave a gap)")
            }
            expected = entry.end
        }
        guard expected == dataLength else {
            throw malformed("the tensors cover \(expected) of the \(dataLength) data bytes")
        }

        var tensors: [(name: String, tensor: Tensor)] = []
        for entry in entries {
            guard let width = elementWidth(entry.dtype) else {
                throw IOError.unsupported(path: path, reason: "'\(entry.name)' has dtype \(entry.dtype); readable: F32, F64, F16, BF16")
            }
            var count = 1
            for extent in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw malformed("the shape \(entry.shape) of '\(entry.name)' overflows") }
                count = product
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, bytes == entry.end - entry.begin else {
                throw malformed("'\(entry.name)' of shape \(entry.shape) and dtype \(entry.dtype) needs \(overflow ? "too many" : String(bytes)) bytes but spans \(entry.end - entry.begin)")
            }
            let start = data.startIndex + dataStart + entry.begin
            let tensor = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                Tensor(shape: entry.shape) { out in
                    for i in 0..<count { out[i] = readElement(raw, at: start - data.startIndex + i * width, dtype: entry.dtype) }
                }
            }
            tensors.append((entry.name, tensor))
        }
        return SafetensorsFile(tensors: tensors, metadata: metadata)
    }

    private static func nonNegativeInteger(_ value: Any, _ what: String, path: String) throws -> Int {
        guard !(value is String), let number = value as? NSNumber, number.doubleValue.rounded() == number.doubleValue,
              number.doubleValue >= 0, number.doubleValue < 9.0e15
        else { throw IOError.malformed(path: path, reason: "\(what) is not a non-negative integer: \(value)") }
        return Int(number.doubleValue)
    }

    private static func elementWidth(_ dtype: String) -> Int? {
        switch dtype {
        case "F32": return 4
        case "F64": return 8
        case "F16", "BF16": return 2
        default: return nil
        }
    }

    private static func readElement(_ raw: UnsafeRawBufferPointer, at offset: Int, dtype: String) -> Float {
        func word<T: FixedWidthInteger>(_: T.Type) -> T {
            var value: T = 0
            for k in 0..<MemoryLayout<T>.size { value |= T(raw[offset + k]) << (8 * k) }
            return value
        }
        switch dtype {
        case "F32": return Float(bitPattern: word(UInt32.self))
        case "F64": return Float(Double(bitPattern: word(UInt64.self)))
        case "BF16": return Float(bitPattern: UInt32(word(UInt16.self)) << 16)
        default: return Float(float16Bits: word(UInt16.self))
        }
    }
}

extension Float {
    /// Decodes an IEEE 754 half-precision value (done by hand: `Float16` is unavailable on some
    /// platforms).
    init(float16Bits bits: UInt16) {
        let sign: UInt32 = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2⁻²⁴.
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign != 0 ? -magnitude : magnitude
        } else if exponent == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else {
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
