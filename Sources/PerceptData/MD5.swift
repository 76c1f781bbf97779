import Foundation

/// The per-step shift amounts of MD5 (RFC 1321, section 3.4): four per round, each used four times.
private let md5Shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]

/// The table T of RFC 1321: T[i] is the integer part of 2³² · |sin(i + 1)| (radians).
private let md5Table: [UInt32] = (0..<64).map { UInt32(4_294_967_296 * abs(sin(Double($0 + 1)))) }

/// An incremental MD5 hash (RFC 1321), written out here to verify downloads whose publishers give
/// only an MD5 digest (CIFAR-10). MD5 no longer resists deliberate collisions; it still detects a
/// damaged or truncated download reliably, which is all it is used for here.
///
///     var hasher = MD5Hasher()
///     hasher.update(Data("abc".utf8))
///     hasher.finalize()  // "900150983cd24fb0d6963f7d28e17f72"
public struct MD5Hasher: DigestHasher {
    /// The four state words A, B, C, D, starting from RFC 1321 section 3.3.
    private var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476]
    /// The partial block and the length of the message so far.
    private var buffer = MessageBuffer()

    /// The algorithm's name in messages.
    public static let algorithmName = "MD5"

    /// Creates a hasher for an empty message.
    public init() {}

    /// Appends the bytes in `bytes` to the message.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        var buffer = self.buffer
        buffer.append(bytes) { compress(blocks: $0) }
        self.buffer = buffer
    }

    /// The 16-byte digest of the message so far (the hasher itself is left unchanged).
    public func digest() -> [UInt8] {
        var padded = self
        padded.update(buffer.padding(bigEndianLength: false))  // sections 3.1–3.2
        return padded.state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
    }

    /// Runs the four rounds over whole 64-byte blocks (section 3.4), words read little-endian.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        var blockStart = 0
        while blockStart < blocks.count {
            var words = [UInt32](repeating: 0, count: 16)
            for j in 0..<16 {
                words[j] = UInt32(littleEndian: blocks.loadUnaligned(fromByteOffset: blockStart + 4 * j, as: UInt32.self))
            }
            var a = state[0], b = state[1], c = state[2], d = state[3]
            for i in 0..<64 {
                let mixed: UInt32
                let word: Int
                switch i / 16 {
                case 0: mixed = (b & c) | (~b & d); word = i
                case 1: mixed = (d & b) | (~d & c); word = (5 * i + 1) % 16
                case 2: mixed = b ^ c ^ d; word = (3 * i + 5) % 16
                default: mixed = c ^ (b | ~d); word = (7 * i) % 16
                }
                let sum = a &+ mixed &+ md5Table[i] &+ words[word]
                let shift = md5Shifts[(i / 16) * 4 + i % 4]
                (a, d, c) = (d, c, b)
                b = b &+ (sum << shift | sum >> (32 - shift))
            }
            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
            blockStart += 64
        }
    }
}
