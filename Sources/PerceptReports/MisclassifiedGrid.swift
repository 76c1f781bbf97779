import PerceptImage

/// A grid of images, each with its true and predicted class drawn above it, as a PNG: the
/// misclassified test images that seed 003 asks to look at.
public enum MisclassifiedGrid {
    /// One image of the grid: pixels in `[0, 1]`, row by row, with `channels` values per pixel
    /// (1 for grayscale, 3 for RGB), and its two class numbers.
    public struct Sample: Sendable {
        /// The pixel values in `[0, 1]`, row by row, `channels` per pixel.
        public var pixels: [Float]
        /// The image's height and width in pixels, and its values per pixel (1 or 3).
        public var height: Int, width: Int, channels: Int
        /// The true class and the predicted one.
        public var label: Int, prediction: Int

        /// Describes one image.
        public init(pixels: [Float], height: Int, width: Int, channels: Int, label: Int, prediction: Int) {
            precondition(pixels.count == height * width * channels, "Sample: \(pixels.count) values for \(height)×\(width)×\(channels)")
            self.pixels = pixels
            self.height = height
            self.width = width
            self.channels = channels
            self.label = label
            self.prediction = prediction
        }
    }

    /// The grid of `samples`, `columns` per row, each image magnified `scale` times, with the true
    /// class in green and the predicted one in red above it (class numbers, in a 3 × 5 pixel font);
    /// an RGB image, which ``Image/pngData()`` encodes.
    public static func image(of samples: [Sample], columns: Int = 10, scale: Int = 2) -> Image {
        let columns = max(1, min(columns, max(samples.count, 1)))
        let rows = max(1, (samples.count + columns - 1) / columns)
        let cellWidth = max((samples.map(\.width).max() ?? 28) * scale, 36) + 6  // room for "label prediction"
        let caption = 14
        let cellHeight = (samples.map(\.height).max() ?? 28) * scale + caption + 6
        var png = Image(width: columns * cellWidth, height: rows * cellHeight, fill: [255, 255, 255])
        for (index, sample) in samples.enumerated() {
            let left = (index % columns) * cellWidth + 3
            let top = (index / columns) * cellHeight + 3
            drawNumber(sample.label, x: left, y: top, color: [0, 130, 0], into: &png)
            let arrowX = left + 2 + textWidth(sample.label)
            drawNumber(sample.prediction, x: arrowX + 6, y: top, color: [200, 0, 0], into: &png)
            for y in 0..<(sample.height * scale) {
                for x in 0..<(sample.width * scale) {
                    let base = ((y / scale) * sample.width + x / scale) * sample.channels
                    func byte(_ c: Int) -> UInt8 { UInt8(max(0, min(1, sample.pixels[base + c])) * 255) }
                    let color = sample.channels >= 3 ? [byte(0), byte(1), byte(2)] : [byte(0), byte(0), byte(0)]
                    png.set(x: left + x, y: top + caption + y, color)
                }
            }
        }
        return png
    }

    private static func textWidth(_ number: Int) -> Int { Image.numberWidth(number) }

    private static func drawNumber(_ number: Int, x: Int, y: Int, color: [UInt8], into png: inout Image) {
        png.drawNumber(number, x: x, y: y, color: color)
    }
}
