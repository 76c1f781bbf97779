import Foundation
import Testing

/// The folder of hand-made fixture files shipped with the tests.
let fixturesDirectory: URL =
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)
    ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures", isDirectory: true)

/// The directory named by `PERCEPT_SHARED_DATA` (the four real MNIST files), if set.
let sharedMNISTDirectory: URL? = ProcessInfo.processInfo.environment["PERCEPT_SHARED_DATA"]
    .flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }

func fixture(_ name: String) -> URL {
    fixturesDirectory.appendingPathComponent(name)
}

/// A fresh empty directory, removed again after `body` returns.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("percept-data-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// The bytes of an IDX file: magic number, big-endian dimensions, then `payload` verbatim.
func idxBytes(typeCode: UInt8 = 0x08, dimensions: [UInt32], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, typeCode, UInt8(dimensions.count)]
    for extent in dimensions { bytes += bigEndian(extent) }
    return bytes + payload
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

func littleEndian(_ value: UInt32) -> [UInt8] {
    bigEndian(value).reversed()
}

/// CRC-32 as gzip uses it (RFC 1952: reflected polynomial 0xEDB88320), bit by bit.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// Adler-32 as zlib streams use it (RFC 1950).
func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    return b << 16 | a
}

/// Deflate "stored" blocks (RFC 1951, BTYPE 00) holding `payload` without compression.
func storedDeflate(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var offset = 0
    repeat {
        let length = min(65535, payload.count - offset)
        let isLast = offset + length == payload.count
        out.append(isLast ? 1 : 0)
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += [UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
        out += payload[offset..<(offset + length)]
        offset += length
    } while offset < payload.count
    return out
}

/// A gzip member (RFC 1952) holding `payload` in stored blocks, written independently of zlib.
func gzipStored(_ payload: [UInt8]) -> [UInt8] {
    let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    return header + storedDeflate(payload) + littleEndian(crc32(payload)) + littleEndian(UInt32(payload.count))
}

/// A zlib stream (RFC 1950) holding `payload` in stored blocks.
func zlibStored(_ payload: [UInt8]) -> [UInt8] {
    [0x78, 0x01] + storedDeflate(payload) + bigEndian(adler32(payload))
}

/// Writes `bytes` to `name` in `directory` and returns its URL.
@discardableResult
func write(_ bytes: [UInt8], to name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// One tar entry (ustar header, then the body padded to 512 bytes); `sizeField` overrides the
/// header's 12-byte octal size, to forge bad archives.
func tarEntry(name: String, body: Data, sizeField: String? = nil) -> Data {
    var header = [UInt8](repeating: 0, count: 512)
    for (i, byte) in name.utf8.prefix(100).enumerated() { header[i] = byte }
    for (i, byte) in "0000644\0".utf8.enumerated() { header[100 + i] = byte }
    for (i, byte) in (sizeField ?? String(format: "%011o", body.count)).utf8.prefix(12).enumerated() { header[124 + i] = byte }
    header[156] = UInt8(ascii: "0")
    for (i, byte) in "ustar\u{0}00".utf8.enumerated() { header[257 + i] = byte }
    for i in 148..<156 { header[i] = 32 }
    let sum = header.reduce(0) { $0 + Int($1) }
    for (i, byte) in String(format: "%06o\0 ", sum).utf8.enumerated() { header[148 + i] = byte }
    return Data(header) + body + Data(count: (512 - body.count % 512) % 512)
}

/// A tar archive of `entries` with its end-of-archive marker.
func tarArchive(_ entries: [(name: String, body: Data)]) -> Data {
    entries.reduce(Data()) { $0 + tarEntry(name: $1.name, body: $1.body) } + Data(count: 1024)
}
