import Foundation

/// The 64 round constants of SHA-256: the first 32 bits of the fractional parts of the cube
/// roots of the first 64 primes (FIPS 180-4, section 4.2.2).
private let sha256RoundConstants: [UInt32] = [
    0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1, 0x923F_82A4, 0xAB1C_5ED5,
    0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3, 0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174,
    0xE49B_69C1, 0xEFBE_4786, 0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
    0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147, 0x06CA_6351, 0x1429_2967,
    0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13, 0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85,
    0xA2BF_E8A1, 0xA81A_664B, 0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
    0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A, 0x5B9C_CA4F, 0x682E_6FF3,
    0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208, 0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
]

/// An incremental SHA-256 hash (FIPS 180-4), written out here so that no crypto library is needed.
///
/// Feed the message in pieces of any size with `update`, then read the digest:
///
///     var hasher = SHA256Hasher()
///     hasher.update(Data("ab".utf8))
///     hasher.update(Data("c".utf8))
///     hasher.finalize()  // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
public struct SHA256Hasher: DigestHasher {
    /// The eight working hash words H0…H7, starting from FIPS 180-4 section 5.3.3.
    private var state: [UInt32] = [
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19,
    ]
    /// The partial block and the length of the message so far.
    private var buffer = MessageBuffer()

    /// The algorithm's name in messages.
    public static let algorithmName = "SHA-256"

    /// Creates a hasher for an empty message.
    public init() {}

    /// Appends the bytes in `bytes` to the message.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        var buffer = self.buffer
        buffer.append(bytes) { compress(blocks: $0) }
        self.buffer = buffer
    }

    /// The 32-byte digest of the message so far. The hasher itself is left unchanged.
    public func digest() -> [UInt8] {
        var padded = self
        padded.update(buffer.padding(bigEndianLength: true))  // section 5.1.1
        return padded.state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }


    /// Runs the compression function over whole 64-byte blocks (section 6.2.2).
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        var h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3]
        var h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7]
        sha256RoundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                var blockStart = 0
                while blockStart < blocks.count {
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: blockStart + 4 * t, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let sigma0 = rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x >> 3)
                        let sigma1 = rotateRight(y, 17) ^ rotateRight(y, 19) ^ (y >> 10)
                        w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
                    }
                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    for t in 0..<64 {
                        let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
                        let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = bigSigma0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ t2
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                    blockStart += 64
                }
            }
        }
        state = [h0, h1, h2, h3, h4, h5, h6, h7]
    }

    @inline(__always) private func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }
}

/// The partial block and the length of a message fed to a hash working on 64-byte blocks
/// (SHA-256, MD5).
struct MessageBuffer: Sendable {
    /// Bytes received that do not yet fill a block.
    private var pending: [UInt8] = []
    /// The length of the message so far, in bytes.
    private var length: UInt64 = 0

    /// Adds `bytes` to the message, handing every completed run of whole blocks to `compress`.
    mutating func append(_ bytes: UnsafeRawBufferPointer, compress: (UnsafeRawBufferPointer) -> Void) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            offset = taken
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBlocks = (bytes.count - offset) / 64 * 64
        if wholeBlocks > 0 { compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + wholeBlocks)])) }
        pending.append(contentsOf: bytes[(offset + wholeBlocks)...])
    }

    /// The bytes that complete the message: a one bit, zeros up to 56 mod 64 bytes, then the
    /// length in bits as 8 bytes, big-endian (SHA-256) or little-endian (MD5).
    func padding(bigEndianLength: Bool) -> [UInt8] {
        let bitLength = length &* 8
        let zeros = [UInt8](repeating: 0, count: (119 - pending.count) % 64)
        return [0x80] + zeros + (0..<8).map { UInt8(truncatingIfNeeded: bitLength >> UInt64(bigEndianLength ? 56 - 8 * $0 : 8 * $0)) }
    }
}

/// An incremental hash function: feed the message in pieces, then read the digest.
public protocol DigestHasher: Sendable {
    /// The algorithm's name in messages, e.g. `SHA-256`.
    static var algorithmName: String { get }
    /// Creates a hasher for an empty message.
    init()
    /// Appends the bytes in `bytes` to the message.
    mutating func update(bytes: UnsafeRawBufferPointer)
    /// The digest of the message so far (the hasher itself is left unchanged).
    func digest() -> [UInt8]
}

extension DigestHasher {
    /// Appends `data` to the message.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update(bytes: $0) }
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bytes: $0) }
    }

    /// The digest of the message so far as lowercase hexadecimal digits.
    public func finalize() -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in digest() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}

/// Checksums of files and buffers.
public enum Checksum {
    /// The SHA-256 digest of `data`, as 64 lowercase hexadecimal digits.
    public static func sha256(of data: Data) -> String {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The SHA-256 digest of the file at `url`, as 64 lowercase hexadecimal digits.
    ///
    /// The file is read in chunks of `chunkSize` bytes, so files of any size hash in constant memory.
    ///
    /// - Throws: ``DataError/fileNotFound(path:hint:)`` or ``DataError/readFailed(path:detail:)``.
    public static func sha256(fileAt url: URL, chunkSize: Int = 1 << 20) throws -> String {
        try digest(fileAt: url, using: SHA256Hasher.self, chunkSize: chunkSize)
    }

    /// The MD5 digest of `data`, as 32 lowercase hexadecimal digits.
    public static func md5(of data: Data) -> String {
        var hasher = MD5Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The digest by `Hasher` of the file at `url`, as lowercase hexadecimal digits, read in chunks.
    ///
    /// - Throws: ``DataError/fileNotFound(path:hint:)`` or ``DataError/readFailed(path:detail:)``.
    public static func digest<Hasher: DigestHasher>(fileAt url: URL, using _: Hasher.Type, chunkSize: Int = 1 << 20) throws
        -> String
    {
        precondition(chunkSize > 0, "digest(fileAt:): chunkSize must be positive")
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError.fileNotFound(path: path, hint: "")
        }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = Hasher()
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                hasher.update(chunk)
            }
            return hasher.finalize()
        } catch {
            throw DataError.readFailed(path: path, detail: error.localizedDescription)
        }
    }
}
