import CStb
import Foundation

extension Image {
    /// The image encoded as a PNG file (stb_image_write, deflate-compressed), with its channels
    /// as they are: gray, gray and alpha, RGB or RGBA.
    public func pngData() -> Data {
        final class Sink { var data = Data() }
        let sink = Sink()
        let status = pixels.withUnsafeBytes { raw in
            withExtendedLifetime(sink) {
                stbi_write_png_to_func(
                    { context, bytes, count in
                        guard let context, let bytes, count > 0 else { return }
                        let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                        sink.data.append(bytes.assumingMemoryBound(to: UInt8.self), count: Int(count))
                    },
                    Unmanaged.passUnretained(sink).toOpaque(), Int32(width), Int32(height), Int32(channels),
                    raw.baseAddress, Int32(width * channels))
            }
        }
        // stb fails only when it cannot allocate its buffers.
        precondition(status != 0, "stb_image_write could not encode a \(width) × \(height) × \(channels) PNG")
        return sink.data
    }

    /// Writes the image as a PNG file at `url`, atomically: a temporary file renamed into place,
    /// so a failure never leaves a half-written image. Missing parent folders are created.
    ///
    /// - Throws: ``ImageError/writeFailed(path:detail:)`` naming the file.
    public func writePNG(to url: URL) throws(ImageError) {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try pngData().write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: url.path, detail: error.localizedDescription)
        }
    }
}
