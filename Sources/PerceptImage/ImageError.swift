/// Everything that can go wrong while reading, decoding, converting or writing an image.
///
/// Every case names the file (or, for images decoded from memory, the name the caller gave) and
/// what is wrong; ``description`` is a complete sentence meant to be shown to a user as is:
///
///     faces/s1/1.pgm: not a decodable image: bad PNM header (corrupt or unsupported file).
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file at `path` does not exist.
    case fileNotFound(path: String)
    /// The file at `path` exists but could not be read.
    case readFailed(path: String, detail: String)
    /// The file at `path` holds no bytes.
    case emptyFile(path: String)
    /// The file is larger than any image within the pixel limit could be.
    case fileTooLarge(path: String, bytes: Int, maximumBytes: Int)
    /// The bytes are not an image stb_image (or, for JPEG, libjpeg-turbo) can decode; `reason` is
    /// its diagnosis.
    case undecodable(path: String, reason: String)
    /// The `format` header declares pixels that need `neededBytes` bytes, but only
    /// `availableBytes` follow it.
    case truncated(path: String, format: String, neededBytes: Int, availableBytes: Int)
    /// The header declares `width × height` pixels, more than `maximumPixelCount` (or a zero size).
    case badDimensions(path: String, width: Int, height: Int, maximumPixelCount: Int)
    /// `channels` values per pixel were asked for; only 1 (gray), 2 (gray, alpha), 3 (RGB) and
    /// 4 (RGBA) exist.
    case unsupportedChannelCount(path: String, channels: Int)
    /// The image could not be encoded or written to `path`.
    case writeFailed(path: String, detail: String)

    /// A full sentence naming the file and what is wrong with it.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): image file not found; check the path for typos."
        case .readFailed(let path, let detail):
            return "\(path): the file exists but could not be read: \(detail)."
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes); it is not an image."
        case .fileTooLarge(let path, let bytes, let maximumBytes):
            return "\(path): the file holds \(bytes) bytes, more than the \(maximumBytes) bytes any image "
                + "within the pixel limit could need; it was not decoded."
        case .undecodable(let path, let reason):
            return "\(path): not a decodable image: \(reason) (corrupt, truncated or an unsupported format; "
                + "PNG, JPEG, GIF, BMP and binary PGM/PPM are read)."
        case .truncated(let path, let format, let neededBytes, let availableBytes):
            return "\(path): truncated \(format) file: the header declares pixels of \(neededBytes) bytes but only "
                + "\(availableBytes) follow it; the file was cut short."
        case .badDimensions(let path, let width, let height, let maximumPixelCount):
            if width <= 0 || height <= 0 {
                return "\(path): the header declares an empty image (\(width) × \(height) pixels)."
            }
            return "\(path): the header declares \(width) × \(height) pixels, more than the limit of "
                + "\(maximumPixelCount) pixels; the image was not decoded (the header may be corrupt)."
        case .unsupportedChannelCount(let path, let channels):
            return "\(path): \(channels) channels asked for; an image has 1 (gray), 2 (gray and alpha), "
                + "3 (RGB) or 4 (RGBA) values per pixel."
        case .writeFailed(let path, let detail):
            return "\(path): could not write the image: \(detail)."
        }
    }
}
