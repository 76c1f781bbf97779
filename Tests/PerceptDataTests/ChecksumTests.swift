import Foundation
import Testing

@testable import PerceptData

@Suite("SHA-256")
struct ChecksumTests {
    @Test("FIPS 180-4 example vectors", arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func fipsVectors(message: String, digest: String) {
        #expect(Checksum.sha256(of: Data(message.utf8)) == digest)
    }

    @Test("one million 'a' (FIPS 180-4 long message)")
    func oneMillionA() {
        var hasher = SHA256Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("messages around the padding boundaries (55, 56, 63, 64, 65 bytes)", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(Checksum.sha256(of: Data(repeating: UInt8(ascii: "a"), count: length)) == digest)
    }

    @Test("feeding the message in uneven pieces gives the same digest as all at once")
    func incrementalMatchesOneShot() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 13 + 7) }
        let whole = Checksum.sha256(of: Data(message))
        var hasher = SHA256Hasher()
        var offset = 0
        for size in [1, 0, 63, 64, 65, 7, 200, 128] + [Int](repeating: 3, count: 200) where offset < message.count {
            let end = min(offset + size, message.count)
            hasher.update(Array(message[offset..<end]))
            offset = end
        }
        hasher.update(Array(message[offset...]))
        #expect(hasher.finalize() == whole)
        #expect(hasher.digest().count == 32)
    }

    @Test("finalize leaves the hasher usable")
    func finalizeDoesNotConsume() {
        var hasher = SHA256Hasher()
        hasher.update(Data("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Data("c".utf8))
        #expect(hasher.finalize() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a file is hashed in chunks of any size")
    func hashesFileInChunks() throws {
        let url = fixture("tiny-images-idx3-ubyte.gz")
        let expected = "7f1883d98a427a253f4c12d356283caa9b10e0459eb3530820efe9ab1fcc52cd"  // sha256sum
        for chunkSize in [1, 5, 64, 1 << 20] {
            #expect(try Checksum.sha256(fileAt: url, chunkSize: chunkSize) == expected)
        }
    }

    @Test("hashing a missing file throws fileNotFound")
    func missingFile() {
        let url = fixturesDirectory.appendingPathComponent("missing.bin")
        #expect(throws: DataError.fileNotFound(path: url.path, hint: "")) { try Checksum.sha256(fileAt: url) }
    }

    @Test(
        "the real MNIST files match their published SHA-256",
        .enabled(if: sharedMNISTDirectory != nil, "set PERCEPT_SHARED_DATA to a directory with the four MNIST files"))
    func realMNISTChecksums() throws {
        let directory = try #require(sharedMNISTDirectory)
        let labels = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        #expect(try Checksum.sha256(fileAt: labels) == "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")
        for file in DatasetCatalog.mnist.files {
            #expect(try Checksum.sha256(fileAt: directory.appendingPathComponent(file.name)) == file.digest, "\(file.name)")
        }
    }
}

@Suite("MD5")
struct MD5Tests {
    @Test("RFC 1321 test suite (appendix A.5)", arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfcVectors(message: String, digest: String) {
        #expect(Checksum.md5(of: Data(message.utf8)) == digest)
    }

    @Test("pieces of every size give the digest of the whole", arguments: [1, 3, 55, 56, 63, 64, 65, 200])
    func incrementalUpdates(pieceSize: Int) {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
        var hasher = MD5Hasher()
        var start = 0
        while start < message.count {
            hasher.update(Array(message[start..<min(start + pieceSize, message.count)]))
            start += pieceSize
        }
        #expect(hasher.finalize() == Checksum.md5(of: Data(message)))
        #expect(hasher.finalize() == hasher.finalize(), "finalize leaves the hasher unchanged")
    }

    @Test func aFileIsHashedInChunks() throws {
        let url = fixture("tiny-aclImdb.tar.gz")
        let whole = Checksum.md5(of: try Data(contentsOf: url))
        for chunkSize in [1, 64, 100, 1 << 20] {
            #expect(try Checksum.digest(fileAt: url, using: MD5Hasher.self, chunkSize: chunkSize) == whole)
        }
    }
}
