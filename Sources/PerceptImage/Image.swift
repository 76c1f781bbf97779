/// An 8-bit image held in memory: `height` rows of `width` pixels, each `channels` bytes.
///
/// The channels are interleaved (row by row, pixel by pixel) in the order gray; gray, alpha; red,
/// green, blue; or red, green, blue, alpha. Images are read and written through stb (Debian's
/// `libstb-dev`), see ``init(contentsOf:channels:maximumPixelCount:)`` and ``pngData()``; a
/// network sees them as NHWC tensors through ``tensor()``.
///
/// ```swift
/// let face = try Image(contentsOf: URL(fileURLWithPath: "s1/1.pgm"))
///     .cropped(x: 0, y: 8, width: 92, height: 96)
///     .resized(width: 46, height: 48)
/// let input = face.tensor()           // [1, 48, 46, 1], values in [0, 1]
/// ```
public struct Image: Sendable, Equatable {
    /// The width and height in pixels (both positive).
    public let width: Int, height: Int
    /// Values per pixel: 1 (gray), 2 (gray, alpha), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// `height × width × channels` bytes, row by row, channels interleaved.
    public private(set) var pixels: [UInt8]

    /// An image from its pixels.
    ///
    /// - Precondition: a positive size, 1 to 4 channels, and `width × height × channels` pixels.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "Image needs a positive size, got \(width) × \(height)")
        precondition((1...4).contains(channels), "Image has 1 to 4 channels, got \(channels)")
        precondition(
            pixels.count == width * height * channels,
            "Image: \(pixels.count) bytes for \(width) × \(height) × \(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A `width × height` image with every pixel set to `fill` (one value per channel).
    public init(width: Int, height: Int, fill: [UInt8]) {
        precondition(width > 0 && height > 0, "Image needs a positive size, got \(width) × \(height)")
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * fill.count)
        for _ in 0..<(width * height) { pixels += fill }
        self.init(width: width, height: height, channels: fill.count, pixels: pixels)
    }

    /// The value of `channel` at column `x`, row `y`.
    public subscript(x x: Int, y y: Int, channel channel: Int) -> UInt8 {
        get {
            precondition(contains(x: x, y: y) && channel >= 0 && channel < channels, "Image: (\(x), \(y), \(channel)) is outside")
            return pixels[(y * width + x) * channels + channel]
        }
        set {
            precondition(contains(x: x, y: y) && channel >= 0 && channel < channels, "Image: (\(x), \(y), \(channel)) is outside")
            pixels[(y * width + x) * channels + channel] = newValue
        }
    }

    /// Sets the pixel at column `x`, row `y` to `color` (one value per channel); points outside
    /// the image are ignored, so shapes can be drawn across the border.
    public mutating func set(x: Int, y: Int, _ color: [UInt8]) {
        precondition(color.count == channels, "Image.set: \(color.count) values for \(channels) channels")
        guard contains(x: x, y: y) else { return }
        let base = (y * width + x) * channels
        for c in 0..<channels { pixels[base + c] = color[c] }
    }

    /// Whether column `x`, row `y` lies inside the image.
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }
}
