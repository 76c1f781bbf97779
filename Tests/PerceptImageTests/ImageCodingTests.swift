import CStb
import Foundation
import PerceptImage
import Testing

@Suite("Image decoding and PNG encoding through stb")
struct ImageCodingTests {
    /// A small image whose bytes differ from pixel to pixel and channel to channel.
    static func pattern(width: Int, height: Int, channels: Int) -> Image {
        let pixels = (0..<(width * height * channels)).map { UInt8(($0 * 37 + 11) % 256) }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test(arguments: [1, 2, 3, 4])
    func pngRoundTripKeepsEveryByte(channels: Int) throws {
        let image = Self.pattern(width: 7, height: 5, channels: channels)
        let data = image.pngData()
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Image(decoding: data, name: "pattern.png") == image)
    }

    @Test func writePNGCreatesFoldersAndReadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("percept-image-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nested/picture.png")
        let image = Self.pattern(width: 3, height: 4, channels: 3)
        try image.writePNG(to: url)
        #expect(try Image(contentsOf: url) == image)
        // Asking for one channel converts with stb's integer luma (77 R + 150 G + 29 B) / 256.
        let gray = try Image(contentsOf: url, channels: 1)
        #expect(gray.channels == 1 && gray.width == 3 && gray.height == 4)
        let (r, g, b) = (Int(image[x: 0, y: 0, channel: 0]), Int(image[x: 0, y: 0, channel: 1]), Int(image[x: 0, y: 0, channel: 2]))
        #expect(Int(gray[x: 0, y: 0, channel: 0]) == (77 * r + 150 * g + 29 * b) >> 8)
    }

    @Test func decodesBinaryPGMAndPPM() throws {
        let pgm = Data("P5\n3 2\n255\n".utf8) + Data([0, 10, 20, 30, 40, 255])
        #expect(try Image(decoding: pgm, name: "a.pgm") == Image(width: 3, height: 2, channels: 1, pixels: [0, 10, 20, 30, 40, 255]))
        let ppm = Data("P6 2 1 255\n".utf8) + Data([1, 2, 3, 4, 5, 6])
        #expect(try Image(decoding: ppm, name: "a.ppm") == Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6]))
    }

    @Test func pgmHeadersMayHoldCommentsAndMustNotPromiseMorePixelsThanFollow() throws {
        let commented = Data("P5 # made by hand\n2 # width\n1\n255\n".utf8) + Data([7, 9])
        #expect(try Image(decoding: commented, name: "c.pgm").pixels == [7, 9])
        // stb alone would return 4 bytes of uninitialised memory as the missing pixels.
        let cut = Data("P6\n2 1\n255\n".utf8) + Data([1, 2])
        #expect(throws: ImageError.truncated(path: "cut.ppm", format: "PGM/PPM", neededBytes: 6, availableBytes: 2)) {
            try Image(decoding: cut, name: "cut.ppm")
        }
        let sixteenBit = Data("P5 1 1 65535\n".utf8) + Data([0xFF])
        #expect(throws: ImageError.truncated(path: "16.pgm", format: "PGM/PPM", neededBytes: 2, availableBytes: 1)) {
            try Image(decoding: sixteenBit, name: "16.pgm")
        }
        // A width of 10 digits overflows stb's int; it is refused before stb sees it.
        let overflowing = Data("P5 4294967297 1 255\n".utf8) + Data([1])
        let error = #expect(throws: ImageError.self) { try Image(decoding: overflowing, name: "o.pgm") }
        #expect(error == .undecodable(path: "o.pgm", reason: "malformed PGM/PPM header"))
    }

    @Test func formatsOutsideTheSupportedOnesAreRefused() {
        // An uncompressed 1 × 1 TGA, which stb_image would read (and, truncated, read uninitialised memory).
        let tga = Data([0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 24, 0, 10, 20, 30])
        let error = #expect(throws: ImageError.self) { try Image(decoding: tga, name: "a.tga") }
        #expect(error?.description.hasPrefix("a.tga: not a decodable image: its first bytes are the signature of no supported format") == true)
    }

    @Test func decodesA24BitBMP() throws {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var bmp: [UInt8] = Array("BM".utf8) + le32(62) + le32(0) + le32(54)
        bmp += le32(40) + le32(2) + le32(1) + [1, 0, 24, 0] + le32(0) + le32(8) + le32(0) + le32(0) + le32(0) + le32(0)
        bmp += [30, 20, 10, 60, 50, 40, 0, 0]  // one row, blue-green-red, padded to 4 bytes
        #expect(try Image(decoding: Data(bmp), name: "a.bmp") == Image(width: 2, height: 1, channels: 3, pixels: [10, 20, 30, 40, 50, 60]))
    }

    @Test func decodesAGIFFirstFrameAsRGBA() throws {
        // 2 × 1, palette white and black, LZW codes clear, 0, 1, end (3 bits each, LSB first).
        var gif: [UInt8] = Array("GIF89a".utf8) + [2, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0]
        gif += [0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0, 2, 2, 0x44, 0x0A, 0, 0x3B]
        #expect(try Image(decoding: Data(gif), name: "a.gif") == Image(width: 2, height: 1, channels: 4, pixels: [255, 255, 255, 255, 0, 0, 0, 255]))
    }

    @Test func decodesAJPEGWrittenByStb() throws {
        final class Sink { var data = Data() }
        let sink = Sink()
        let gray = [UInt8](repeating: 120, count: 16 * 16)
        let status = gray.withUnsafeBytes { raw in
            stbi_write_jpg_to_func(
                { context, bytes, count in
                    Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue().data.append(bytes!.assumingMemoryBound(to: UInt8.self), count: Int(count))
                }, Unmanaged.passUnretained(sink).toOpaque(), 16, 16, 1, raw.baseAddress, 90)
        }
        #expect(status != 0)
        let image = try Image(decoding: sink.data, name: "flat.jpg")
        #expect(image.width == 16 && image.height == 16 && image.channels == 3)  // stb writes YCbCr JPEGs
        #expect(image.pixels.allSatisfy { abs(Int($0) - 120) <= 2 })
        // The channels asked for: gray, gray with opaque alpha, RGBA.
        let one = try Image(decoding: sink.data, name: "flat.jpg", channels: 1)
        #expect(one.channels == 1 && one.pixels.count == 256 && one.pixels.allSatisfy { abs(Int($0) - 120) <= 2 })
        let two = try Image(decoding: sink.data, name: "flat.jpg", channels: 2)
        #expect(two.channels == 2 && zip(two.pixels, two.pixels.indices).allSatisfy { $1 % 2 == 1 ? $0 == 255 : abs(Int($0) - 120) <= 2 })
        let four = try Image(decoding: sink.data, name: "flat.jpg", channels: 4)
        #expect(four.channels == 4 && four.pixels.count == 1024 && four.pixels[3] == 255)
    }

    /// A JPEG found by fuzzing whose Huffman-coded data made Debian bookworm's stb_image read far
    /// out of bounds (stbi__jpeg_huff_decode); JPEG now goes to libjpeg-turbo, which refuses it.
    @Test func aJPEGThatMadeStbReadOutOfBoundsIsRefused() throws {
        let bytes = Data(base64Encoded: [
            "/9j/4AAQSkZJRgABAgMEBQYHCAkKCxAAAgEDAwYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYbHSUfGhsjHBYWICwg",
            "IyYnKSopGR8tMC0oMCUoKSgBBwcHCggKEwoKEygaFhooKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo",
            "KCgoKCgoKCgoKP/AABEIAIgACAMBIgACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMF",
            "BQQEAAABfQECAwAEEQUSITJBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElK",
            "U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV",
            "1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEAACAQIEBAMEBwUEBAABAncA",
            "AQLyEQQFIc/t+bZRB2FxEyJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3OD06Q0RFRkdISUpTVFVWV1hZ",
            "WmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri",
            "4y3l5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AJLu2a306KzVYYzIhL+WoxgrHgcoBws8a9AuOQ27QyTZP9gj+7D/AN+L",
            "T/5GrodX/wBdb/8AXr/2TT6Su7BR/dRae6Tfq9zmqVI8ASJwUm5PInEUMIGR/9k=",
        ].joined())!
        #expect(throws: ImageError.self) { try Image(decoding: bytes, name: "fuzzed.jpg") }
        #expect(throws: ImageError.self) { try Image(decoding: bytes, name: "fuzzed.jpg", channels: 1) }
    }

    @Test func badBytesAreErrorsNamingTheFile() throws {
        func failure(_ data: Data, maximumPixelCount: Int = Image.defaultMaximumPixelCount, channels: Int? = nil) -> ImageError? {
            do {
                _ = try Image(decoding: data, name: "bad.img", channels: channels, maximumPixelCount: maximumPixelCount)
                return nil
            } catch { return error }
        }
        #expect(failure(Data()) == .emptyFile(path: "bad.img"))
        let garbage = failure(Data("this is not an image at all".utf8))
        guard case .undecodable(let path, _) = garbage else { Issue.record("garbage decoded: \(String(describing: garbage))"); return }
        #expect(path == "bad.img" && garbage!.description.hasPrefix("bad.img: not a decodable image"))

        let png = Self.pattern(width: 16, height: 16, channels: 3).pngData()
        for length in [1, 8, 20, 33, png.count / 2, png.count - 13] {
            let error = failure(png.prefix(length))
            guard case .undecodable = error else { Issue.record("PNG cut to \(length) bytes: \(String(describing: error))"); continue }
        }
        #expect(failure(png, channels: 5) == .unsupportedChannelCount(path: "bad.img", channels: 5))
        #expect(failure(png, maximumPixelCount: 255) == .badDimensions(path: "bad.img", width: 16, height: 16, maximumPixelCount: 255))
    }

    @Test func hugeDeclaredSizesAreRefusedBeforeDecoding() throws {
        // A PGM header declaring 100000 × 100000 pixels with 4 bytes of data.
        let pgm = Data("P5\n100000 100000\n255\n".utf8) + Data([1, 2, 3, 4])
        #expect(throws: ImageError.badDimensions(path: "huge.pgm", width: 100_000, height: 100_000, maximumPixelCount: Image.defaultMaximumPixelCount)) {
            try Image(decoding: pgm, name: "huge.pgm")
        }
        // A PNG whose IHDR was rewritten to 60000 × 60000 (stb does not check the CRC).
        var png = [UInt8](Self.pattern(width: 4, height: 4, channels: 1).pngData())
        png.replaceSubrange(16..<24, with: [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60])
        let error = #expect(throws: ImageError.self) { try Image(decoding: Data(png), name: "huge.png") }
        #expect(error?.description.contains("huge.png") == true)
    }

    @Test func fileErrorsNameThePath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("percept-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.png")
        #expect(throws: ImageError.fileNotFound(path: missing.path)) { try Image(contentsOf: missing) }
        #expect(throws: ImageError.readFailed(path: folder.path, detail: "it is a directory")) { try Image(contentsOf: folder) }
        let empty = folder.appendingPathComponent("empty.png")
        try Data().write(to: empty)
        #expect(throws: ImageError.emptyFile(path: empty.path)) { try Image(contentsOf: empty) }
        let big = folder.appendingPathComponent("big.pgm")
        try Data(count: 2 << 20).write(to: big)
        #expect(throws: ImageError.fileTooLarge(path: big.path, bytes: 2 << 20, maximumBytes: 8 * 1000 + (1 << 20))) {
            try Image(contentsOf: big, maximumPixelCount: 1000)
        }
    }
}
