import CStb
import CTurboJPEG
import Foundation

extension Image {
    /// The default limit on decoded pixels: 2²⁶ (about 67 megapixels, e.g. 8192 × 8192).
    public static let defaultMaximumPixelCount = 1 << 26

    /// Reads and decodes the image file at `url`: PNG, JPEG, GIF (its first frame), BMP or binary
    /// PGM/PPM, recognised by its first bytes (stb_image's other formats are refused, see
    /// `ImageFormat`).
    ///
    /// - Parameters:
    ///   - channels: the values per pixel wanted (1 gray, 2 gray and alpha, 3 RGB, 4 RGBA), which
    ///     stb converts to; `nil` keeps the file's own.
    ///   - maximumPixelCount: images whose header declares more pixels are refused before any
    ///     pixel is decoded, so a forged header cannot make us allocate absurd amounts of memory.
    /// - Throws: ``ImageError`` naming the file and what is wrong with it.
    public init(contentsOf url: URL, channels: Int? = nil, maximumPixelCount: Int = defaultMaximumPixelCount) throws(ImageError) {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw .readFailed(path: path, detail: "it is a directory") }
        let maximumBytes = Self.maximumFileBytes(forPixels: maximumPixelCount)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumBytes {
            throw .fileTooLarge(path: path, bytes: size, maximumBytes: maximumBytes)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .readFailed(path: path, detail: error.localizedDescription)
        }
        try self.init(decoding: data, name: path, channels: channels, maximumPixelCount: maximumPixelCount)
    }

    /// Decodes an image file held in memory; `name` stands for the file in error messages.
    ///
    /// The header is read first (`stbi_info_from_memory`) and the size checked against
    /// `maximumPixelCount` before decoding. See ``init(contentsOf:channels:maximumPixelCount:)``.
    ///
    /// - Throws: ``ImageError`` naming `name` and what is wrong with the bytes.
    public init(decoding data: Data, name: String, channels: Int? = nil, maximumPixelCount: Int = defaultMaximumPixelCount) throws(ImageError) {
        if let channels, !(1...4).contains(channels) { throw .unsupportedChannelCount(path: name, channels: channels) }
        if data.isEmpty { throw .emptyFile(path: name) }
        let maximumBytes = Self.maximumFileBytes(forPixels: maximumPixelCount)
        guard data.count <= maximumBytes, data.count <= Int(Int32.max) else {
            throw .fileTooLarge(path: name, bytes: data.count, maximumBytes: min(maximumBytes, Int(Int32.max)))
        }
        let decoded: Result<Image, ImageError> = data.withUnsafeBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let bytes = buffer.baseAddress!
            let length = Int32(raw.count)
            guard let format = ImageFormat(signatureOf: buffer) else {
                return .failure(.undecodable(path: name, reason: "its first bytes are the signature of no supported format"))
            }
            if format == .pnm {
                guard let payload = ImageFormat.binaryPNMPayload(of: buffer) else {
                    return .failure(.undecodable(path: name, reason: "malformed PGM/PPM header"))
                }
                guard payload.width > 0, payload.height > 0, payload.width * payload.height <= maximumPixelCount else {
                    return .failure(.badDimensions(
                        path: name, width: payload.width, height: payload.height, maximumPixelCount: maximumPixelCount))
                }
                guard payload.available >= payload.needed else {
                    return .failure(.truncated(path: name, format: format.rawValue, neededBytes: payload.needed, availableBytes: payload.available))
                }
            }
            if format == .jpeg {
                return Self.decodingJPEG(buffer, name: name, channels: channels, maximumPixelCount: maximumPixelCount)
            }
            var width: Int32 = 0, height: Int32 = 0, fileChannels: Int32 = 0
            guard stbi_info_from_memory(bytes, length, &width, &height, &fileChannels) != 0 else {
                return .failure(.undecodable(path: name, reason: Self.failureReason()))
            }
            guard width > 0, height > 0, Int(width) * Int(height) <= maximumPixelCount else {
                return .failure(
                    .badDimensions(path: name, width: Int(width), height: Int(height), maximumPixelCount: maximumPixelCount))
            }
            let wanted = Int32(channels ?? 0)
            var decodedWidth: Int32 = 0, decodedHeight: Int32 = 0, decodedChannels: Int32 = 0
            guard let pixels = stbi_load_from_memory(bytes, length, &decodedWidth, &decodedHeight, &decodedChannels, wanted) else {
                return .failure(.undecodable(path: name, reason: Self.failureReason()))
            }
            defer { stbi_image_free(pixels) }
            // The decoder must agree with the header that was checked.
            guard decodedWidth == width, decodedHeight == height else {
                return .failure(.undecodable(path: name, reason: "the header and the decoded image disagree on the size"))
            }
            let count = wanted > 0 ? Int(wanted) : Int(decodedChannels)
            guard (1...4).contains(count) else {
                return .failure(.unsupportedChannelCount(path: name, channels: count))
            }
            let decodedPixels = UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height) * count)
            return .success(Image(width: Int(width), height: Int(height), channels: count, pixels: Array(decodedPixels)))
        }
        self = try decoded.get()
    }

    /// The largest file accepted for a pixel limit: twice the raw RGBA bytes and a megabyte of
    /// headers and metadata (real encoders never need more).
    private static func maximumFileBytes(forPixels pixels: Int) -> Int {
        let (raw, overflow) = pixels.multipliedReportingOverflow(by: 8)
        return overflow ? Int.max : raw + (1 << 20)
    }

    /// Decodes a JPEG file with libjpeg-turbo (Debian bookworm's stb_image reads out of bounds on
    /// some malformed Huffman-coded data; fuzzing found it). Corrupt data is an error rather than
    /// a partly gray image, and progressive files are limited to 500 scans.
    private static func decodingJPEG(_ bytes: UnsafeBufferPointer<UInt8>, name: String, channels: Int?,
                                     maximumPixelCount: Int) -> Result<Image, ImageError> {
        guard let decoder = tjInitDecompress() else {
            return .failure(.undecodable(path: name, reason: "the JPEG decoder could not be created"))
        }
        defer { tjDestroy(decoder) }
        func failure() -> Result<Image, ImageError> {
            let reason = tjGetErrorStr2(decoder).map { String(cString: $0) } ?? "corrupt JPEG data"
            return .failure(.undecodable(path: name, reason: reason))
        }
        let size = UInt(bytes.count)
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(decoder, bytes.baseAddress, size, &width, &height, &subsampling, &colorspace) == 0 else {
            return failure()
        }
        guard width > 0, height > 0, Int(width) * Int(height) <= maximumPixelCount else {
            return .failure(.badDimensions(path: name, width: Int(width), height: Int(height),
                                           maximumPixelCount: maximumPixelCount))
        }
        guard colorspace != Int32(TJCS_CMYK.rawValue), colorspace != Int32(TJCS_YCCK.rawValue) else {
            return .failure(.undecodable(path: name, reason: "CMYK JPEG images are not supported"))
        }
        let count = channels ?? (colorspace == Int32(TJCS_GRAY.rawValue) ? 1 : 3)
        // Two channels: gray, then an opaque alpha added below; four: RGBA with alpha 255.
        let (format, decoded) = count <= 2 ? (TJPF_GRAY, 1) : count == 3 ? (TJPF_RGB, 3) : (TJPF_RGBA, 4)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * decoded)
        let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let status = pixels.withUnsafeMutableBufferPointer {
            tjDecompress2(decoder, bytes.baseAddress, size, $0.baseAddress, width, 0, height, Int32(format.rawValue), flags)
        }
        guard status == 0 else { return failure() }
        if count == 2 { pixels = pixels.flatMap { [$0, 255] } }
        return .success(Image(width: Int(width), height: Int(height), channels: count, pixels: pixels))
    }

    /// stb's explanation of its last failure, in words.
    private static func failureReason() -> String {
        guard let reason = stbi_failure_reason() else { return "unknown format" }
        return String(cString: reason)
    }
}
