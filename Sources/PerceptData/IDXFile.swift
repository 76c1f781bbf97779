import Foundation

/// The element types an IDX file can declare, keyed by their type code.
public enum IDXElementType: UInt8, Sendable, CaseIterable {
    /// Type code `0x08`: unsigned 8-bit integers (MNIST's pixels and labels).
    case unsignedByte = 0x08
    /// Type code `0x09`: signed 8-bit integers.
    case signedByte = 0x09
    /// Type code `0x0B`: big-endian signed 16-bit integers.
    case int16 = 0x0B
    /// Type code `0x0C`: big-endian signed 32-bit integers.
    case int32 = 0x0C
    /// Type code `0x0D`: big-endian IEEE 754 32-bit floats.
    case float32 = 0x0D
    /// Type code `0x0E`: big-endian IEEE 754 64-bit floats.
    case float64 = 0x0E

    /// The size of one element in the file, in bytes.
    public var byteWidth: Int {
        switch self {
        case .unsignedByte, .signedByte: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }
}

/// An n-dimensional array read from an IDX file.
public struct IDXArray: Sendable, Equatable {
    /// How the elements are held in memory.
    public enum Values: Sendable, Equatable {
        /// Unsigned bytes, kept as they are to save memory (type `0x08`).
        case unsignedBytes([UInt8])
        /// Every other element type, converted to `Float`.
        case floats([Float])
    }

    /// The element type the file declared.
    public var elementType: IDXElementType
    /// The extent of each axis, outermost first.
    public var dimensions: [Int]
    /// The elements in row-major order.
    public var values: Values

    /// Creates an array; `values` must hold the product of `dimensions` elements.
    public init(elementType: IDXElementType, dimensions: [Int], values: Values) {
        precondition(
            Self.count(of: values) == dimensions.reduce(1, *),
            "IDXArray: \(Self.count(of: values)) values do not fill dimensions \(dimensions)")
        self.elementType = elementType
        self.dimensions = dimensions
        self.values = values
    }

    /// The number of elements.
    public var count: Int { Self.count(of: values) }

    /// The elements as `Float`s, unscaled (a byte 255 becomes 255.0).
    public var floatValues: [Float] {
        switch values {
        case .floats(let floats):
            return floats
        case .unsignedBytes(let bytes):
            return [Float](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
                bytes.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { buffer[i] = Float(source[i]) }
                }
                initialized = bytes.count
            }
        }
    }

    /// The elements as unsigned bytes, or `nil` when the file did not hold type `0x08`.
    public var unsignedBytes: [UInt8]? {
        if case .unsignedBytes(let bytes) = values { return bytes }
        return nil
    }

    private static func count(of values: Values) -> Int {
        switch values {
        case .unsignedBytes(let bytes): bytes.count
        case .floats(let floats): floats.count
        }
    }
}

/// A reader for the IDX format used by MNIST.
///
/// An IDX file starts with a four-byte magic number: two zero bytes, a type code (see
/// ``IDXElementType``) and the number of dimensions. Each dimension follows as a big-endian
/// 32-bit unsigned integer, then the elements in row-major order, big-endian. The whole file may
/// be gzip-compressed; that is detected from its first bytes, not from its name.
///
/// The reader checks the header against the data before it allocates anything for the elements:
/// a file that is empty, has a wrong magic number, ends early, declares dimensions whose size
/// overflows, or holds bytes past the declared data throws a ``DataError`` naming the file.
public enum IDXFile {
    /// Reads an IDX file, raw or gzip-compressed.
    ///
    /// - Throws: ``DataError`` when the file is missing, unreadable, not valid gzip, or not a
    ///   consistent IDX file.
    public static func read(contentsOf url: URL) throws -> IDXArray {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: path) {
                throw DataError.fileNotFound(path: path, hint: "")
            }
            throw DataError.readFailed(path: path, detail: error.localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Parses the bytes of an IDX file, raw or gzip-compressed.
    ///
    /// - Parameters:
    ///   - data: the whole file.
    ///   - path: the file the bytes came from, used only to name it in errors.
    public static func parse(_ data: Data, path: String) throws -> IDXArray {
        guard !data.isEmpty else { throw DataError.emptyFile(path: path) }
        let contents = Gzip.isGzip(data) ? try Gzip.decompress(data, path: path) : data
        guard !contents.isEmpty else { throw DataError.emptyFile(path: path) }
        return try contents.withUnsafeBytes { bytes in try parse(bytes, path: path) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> IDXArray {
        let prefix = Array(bytes.prefix(4))
        if prefix.prefix(2).contains(where: { $0 != 0 }) {
            throw DataError.badMagicNumber(
                path: path, expected: "0x0000TTNN (two zero bytes, a type code TT and a rank NN)",
                found: "0x" + prefix.map(hex).joined())
        }
        guard bytes.count >= 4 else {
            throw DataError.truncatedHeader(path: path, expectedBytes: 4, actualBytes: bytes.count)
        }
        guard let elementType = IDXElementType(rawValue: bytes[2]) else {
            throw DataError.unsupportedElementType(path: path, typeCode: bytes[2])
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DataError.truncatedHeader(path: path, expectedBytes: headerSize, actualBytes: bytes.count)
        }
        let dimensions = (0..<rank).map { axis in
            Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4 + 4 * axis, as: UInt32.self)))
        }

        var dataSize = elementType.byteWidth
        for extent in dimensions {
            let (product, overflow) = dataSize.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw DataError.dimensionsOverflow(path: path, dimensions: dimensions) }
            dataSize = product
        }
        let (expectedSize, overflow) = dataSize.addingReportingOverflow(headerSize)
        guard !overflow else { throw DataError.dimensionsOverflow(path: path, dimensions: dimensions) }
        if bytes.count < expectedSize {
            throw DataError.truncated(
                path: path, dimensions: dimensions, expectedBytes: expectedSize, actualBytes: bytes.count)
        }
        if bytes.count > expectedSize {
            throw DataError.trailingBytes(
                path: path, dimensions: dimensions, expectedBytes: expectedSize, actualBytes: bytes.count)
        }

        let body = UnsafeRawBufferPointer(rebasing: bytes[headerSize...])
        return IDXArray(elementType: elementType, dimensions: dimensions, values: decode(body, as: elementType))
    }

    /// Converts the element bytes to values; `body` holds exactly a whole number of elements.
    private static func decode(_ body: UnsafeRawBufferPointer, as type: IDXElementType) -> IDXArray.Values {
        let count = body.count / type.byteWidth
        if type == .unsignedByte {
            return .unsignedBytes(
                [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: body) }
                    initialized = count
                })
        }
        return .floats(
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                switch type {
                case .unsignedByte:
                    for i in 0..<count { buffer[i] = Float(body[i]) }
                case .signedByte:
                    for i in 0..<count { buffer[i] = Float(Int8(bitPattern: body[i])) }
                case .int16:
                    for i in 0..<count {
                        buffer[i] = Float(Int16(bigEndian: body.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
                    }
                case .int32:
                    for i in 0..<count {
                        buffer[i] = Float(Int32(bigEndian: body.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                    }
                case .float32:
                    for i in 0..<count {
                        let bits = UInt32(bigEndian: body.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                        buffer[i] = Float(bitPattern: bits)
                    }
                case .float64:
                    for i in 0..<count {
                        let bits = UInt64(bigEndian: body.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                        buffer[i] = Float(Double(bitPattern: bits))
                    }
                }
                initialized = count
            })
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
