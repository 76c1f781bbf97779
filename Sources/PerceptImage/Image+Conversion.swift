extension Image {
    /// The image with one gray channel: luma `0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601),
    /// rounded; alpha is dropped. A gray image is returned as it is.
    public func grayscale() -> Image {
        switch channels {
        case 1: return self
        case 2: return Image(width: width, height: height, channels: 1, pixels: stride(from: 0, to: pixels.count, by: 2).map { pixels[$0] })
        default:
            var gray = [UInt8](repeating: 0, count: width * height)
            pixels.withUnsafeBufferPointer { source in
                for i in 0..<gray.count {
                    let base = i * channels
                    let luma = 0.299 * Float(source[base]) + 0.587 * Float(source[base + 1]) + 0.114 * Float(source[base + 2])
                    gray[i] = UInt8(min(255, luma.rounded()))
                }
            }
            return Image(width: width, height: height, channels: 1, pixels: gray)
        }
    }

    /// The image with three channels, red, green and blue: gray is repeated, alpha dropped.
    public func rgb() -> Image {
        if channels == 3 { return self }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            let base = i * channels
            if channels <= 2 {
                rgb[3 * i] = pixels[base]
                rgb[3 * i + 1] = pixels[base]
                rgb[3 * i + 2] = pixels[base]
            } else {
                rgb[3 * i] = pixels[base]
                rgb[3 * i + 1] = pixels[base + 1]
                rgb[3 * i + 2] = pixels[base + 2]
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: rgb)
    }

    /// The image with every value `v` replaced by `255 − v` (alpha included, if any: use on gray
    /// or RGB images), e.g. dark ink on white paper made white on black as in MNIST.
    public func inverted() -> Image {
        Image(width: width, height: height, channels: channels, pixels: pixels.map { 255 - $0 })
    }
}
