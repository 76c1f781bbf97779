import PerceptData
import PerceptImage
import PerceptReports
import PerceptTensor

/// Pictures of detections: the grayscale image with each detection's box outlined in its class's
/// colour and its class number written above it.
public enum DetectionPicture {
    /// Ten saturated colours, one per class, that stand out on a grayscale image (no colour here
    /// has equal red, green and blue, so an outline is never mistaken for image content).
    public static let classColors: [[UInt8]] = [
        [255, 64, 64], [64, 224, 64], [64, 128, 255], [255, 200, 0], [255, 0, 255],
        [0, 220, 220], [255, 128, 0], [160, 96, 255], [160, 255, 0], [255, 96, 160],
    ]

    /// The colour of class `label`.
    public static func color(for label: Int) -> [UInt8] {
        classColors[((label % classColors.count) + classColors.count) % classColors.count]
    }

    /// The outline's outermost pixel columns and rows for `box` in a picture magnified `scale`
    /// times: from the pixel holding the box's top-left corner to the one holding its bottom-right.
    public static func outline(of box: BoundingBox, scale: Int) -> (left: Int, top: Int, right: Int, bottom: Int) {
        let s = Float(scale)
        return (Int((box.xMin * s).rounded(.down)), Int((box.yMin * s).rounded(.down)),
                Int((box.xMax * s).rounded(.up)) - 1, Int((box.yMax * s).rounded(.up)) - 1)
    }

    /// The picture of `detections` on `image`, magnified `scale` times, with outlines `thickness`
    /// pixels wide. Better detections are drawn last, on top.
    public static func image(_ image: Tensor, detections: [Detection], scale: Int = 1, thickness: Int = 1) -> Image {
        var png = magnified(Image(tensor: image), scale: scale).rgb()
        let fontPixel = max(1, scale)
        for detection in detections.sorted(by: { $0.score < $1.score }) {
            let color = color(for: detection.label)
            let frame = outline(of: detection.box, scale: scale)
            png.drawRectangle(left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom, color: color,
                              thickness: thickness)
            let textHeight = 5 * fontPixel
            let above = frame.top - textHeight - 1
            png.drawNumber(detection.label, x: frame.left, y: above >= 0 ? above : frame.bottom + 2, color: color,
                           pixelSize: fontPixel)
        }
        return png
    }

    /// `image` with each pixel repeated as a `scale` × `scale` block.
    static func magnified(_ image: Image, scale: Int) -> Image {
        guard scale > 1 else { return image }
        var pixels = [UInt8](repeating: 0, count: image.width * scale * image.height * scale * image.channels)
        var index = 0
        for y in 0..<(image.height * scale) {
            for x in 0..<(image.width * scale) {
                for channel in 0..<image.channels {
                    pixels[index] = image[x: x / scale, y: y / scale, channel: channel]
                    index += 1
                }
            }
        }
        return Image(width: image.width * scale, height: image.height * scale, channels: image.channels, pixels: pixels)
    }
}
