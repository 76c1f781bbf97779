/// The image formats Percept decodes, recognised by their first bytes before stb sees the file.
///
/// stb_image also reads TGA, PSD, HDR and PIC, but some of its loaders (TGA, HDR and PNM) do not
/// check that a truncated file holds the pixels its header declares and return uninitialised
/// memory as pixels. Only the formats below are passed to it, and binary PGM/PPM files are
/// checked for their full payload first (``binaryPNMPayload(of:)``).
enum ImageFormat: String {
    case png = "PNG", jpeg = "JPEG", gif = "GIF", bmp = "BMP", pnm = "PGM/PPM"

    /// The format whose signature `bytes` start with, if any.
    init?(signatureOf bytes: UnsafeBufferPointer<UInt8>) {
        func starts(_ signature: [UInt8]) -> Bool {
            bytes.count >= signature.count && zip(bytes, signature).allSatisfy { $0 == $1 }
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { self = .gif }
        else if starts(Array("BM".utf8)) { self = .bmp }
        else if starts(Array("P5".utf8)) || starts(Array("P6".utf8)) { self = .pnm }
        else { return nil }
    }

    /// The header of a binary PGM (`P5`) or PPM (`P6`) file, read the way stb reads it: width,
    /// height and maximum value separated by whitespace or `#` comments, then one whitespace
    /// character and the pixels. Returns the declared size, the bytes the pixels need and the
    /// bytes that follow the header; `nil` when the header is malformed or a number has more
    /// than 9 digits (beyond any size accepted anyway).
    static func binaryPNMPayload(of bytes: UnsafeBufferPointer<UInt8>) -> (width: Int, height: Int, needed: Int, available: Int)? {
        guard bytes.count >= 2 else { return nil }
        let channels = bytes[1] == UInt8(ascii: "6") ? 3 : 1
        var position = 2
        func isSpace(_ byte: UInt8) -> Bool { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(byte) }
        func skipSpaceAndComments() {
            while position < bytes.count {
                if isSpace(bytes[position]) {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                } else {
                    return
                }
            }
        }
        func number() -> Int? {
            var value = 0, digits = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                digits += 1
                position += 1
                if digits > 9 { return nil }
            }
            return digits > 0 ? value : nil
        }
        skipSpaceAndComments()
        guard let width = number() else { return nil }
        skipSpaceAndComments()
        guard let height = number() else { return nil }
        skipSpaceAndComments()
        guard let maximum = number(), maximum >= 1, maximum <= 65_535 else { return nil }
        position += 1  // the single whitespace character before the pixels
        let needed = width * height * channels * (maximum > 255 ? 2 : 1)
        return (width, height, needed, max(0, bytes.count - position))
    }
}
