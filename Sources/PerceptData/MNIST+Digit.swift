import PerceptImage

extension MNIST {
    /// A photo or drawing of one digit turned into an image like MNIST's: 28 × 28 gray, white
    /// ink on black, the digit scaled to fit 20 × 20 keeping its aspect and placed so that its
    /// centre of mass is at pixel (14, 14) of the field (as the data set was made).
    ///
    /// The steps: grayscale (transparent pixels count as white paper); invert when the border is
    /// light (dark ink on light paper); stretch from the border's level to the brightest ink so the
    /// background becomes 0; crop to the bounding box of the ink (values above an eighth of the
    /// way to the brightest); fit into 20 × 20 (bilinear, block-averaged when shrinking); shift by
    /// the centre of mass into 28 × 28.
    ///
    /// A blank image (no ink) gives a black 28 × 28 image.
    public static func digitImage(from image: Image) -> Image {
        var gray = flattenedOnWhite(image).grayscale()
        let borderLevel = median(border(of: gray))
        if borderLevel > 127 { gray = gray.inverted() }
        let background = Int(borderLevel > 127 ? 255 - borderLevel : borderLevel)
        let brightest = Int(gray.pixels.max() ?? 0)
        let side = imageSide
        guard brightest > background else { return Image(width: side, height: side, fill: [0]) }
        let stretched = Image(
            width: gray.width, height: gray.height, channels: 1,
            pixels: gray.pixels.map { UInt8(max(0, min(255, (Int($0) - background) * 255 / (brightest - background)))) })

        // The ink's bounding box.
        var (left, top, right, bottom) = (stretched.width, stretched.height, -1, -1)
        for y in 0..<stretched.height {
            for x in 0..<stretched.width where stretched[x: x, y: y, channel: 0] > 32 {
                (left, top, right, bottom) = (min(left, x), min(top, y), max(right, x), max(bottom, y))
            }
        }
        let ink = stretched.cropped(x: left, y: top, width: right - left + 1, height: bottom - top + 1)

        let box = 20
        let longer = max(ink.width, ink.height)
        let fitted = ink.resized(
            width: max(1, (ink.width * box + longer / 2) / longer), height: max(1, (ink.height * box + longer / 2) / longer))

        // Centre of mass of the fitted digit, then the shift that puts it at the field's centre.
        var (mass, sumX, sumY) = (0.0, 0.0, 0.0)
        for y in 0..<fitted.height {
            for x in 0..<fitted.width {
                let value = Double(fitted[x: x, y: y, channel: 0])
                (mass, sumX, sumY) = (mass + value, sumX + value * Double(x), sumY + value * Double(y))
            }
        }
        // MNIST's digits have their centre of mass at (14, 14) in pixel indices (measured: preparing
        // them again moves none of them with this centre, and most by one pixel with 13.5).
        let centre = Double(side / 2)
        let offsetX = mass > 0 ? Int((centre - sumX / mass).rounded()) : (side - fitted.width) / 2
        let offsetY = mass > 0 ? Int((centre - sumY / mass).rounded()) : (side - fitted.height) / 2
        var field = Image(width: side, height: side, fill: [0])
        for y in 0..<fitted.height {
            for x in 0..<fitted.width { field.set(x: x + offsetX, y: y + offsetY, [fitted[x: x, y: y, channel: 0]]) }
        }
        return field
    }

    /// Gray or RGB with alpha composited over white paper; images without alpha unchanged.
    private static func flattenedOnWhite(_ image: Image) -> Image {
        guard image.channels == 2 || image.channels == 4 else { return image }
        let colors = image.channels - 1
        var out = [UInt8]()
        out.reserveCapacity(image.width * image.height * colors)
        for pixel in 0..<(image.width * image.height) {
            let base = pixel * image.channels
            let alpha = Int(image.pixels[base + colors])
            for c in 0..<colors { out.append(UInt8((Int(image.pixels[base + c]) * alpha + 255 * (255 - alpha) + 127) / 255)) }
        }
        return Image(width: image.width, height: image.height, channels: colors, pixels: out)
    }

    private static func border(of image: Image) -> [UInt8] {
        var values = [UInt8]()
        for x in 0..<image.width { values += [image[x: x, y: 0, channel: 0], image[x: x, y: image.height - 1, channel: 0]] }
        for y in 0..<image.height { values += [image[x: 0, y: y, channel: 0], image[x: image.width - 1, y: y, channel: 0]] }
        return values
    }

    private static func median(_ values: [UInt8]) -> UInt8 { values.sorted()[values.count / 2] }
}
