extension Image {
    /// The `width × height` rectangle whose top-left pixel is column `x`, row `y`.
    ///
    /// - Precondition: the rectangle is not empty and lies inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> Image {
        precondition(
            width > 0 && height > 0 && x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height,
            "Image.cropped: \(width) × \(height) at (\(x), \(y)) is not inside \(self.width) × \(self.height)")
        var out = [UInt8]()
        out.reserveCapacity(width * height * channels)
        for row in y..<(y + height) {
            let start = (row * self.width + x) * channels
            out += pixels[start..<(start + width * channels)]
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// The image scaled to `width × height` by bilinear interpolation, rounded to the nearest value.
    ///
    /// Pixel centres are aligned (output pixel `i` samples the input at `(i + ½)·scale − ½`,
    /// clamped to the border), so a constant image stays constant and the picture does not shift.
    /// Shrinking by a factor `s` of more than 2 first averages `⌊s⌋ × ⌊s⌋` blocks, so that every
    /// input pixel counts (plain bilinear sampling would skip most of them and alias).
    ///
    /// - Precondition: a positive size.
    public func resized(width: Int, height: Int) -> Image {
        precondition(width > 0 && height > 0, "Image.resized: needs a positive size, got \(width) × \(height)")
        if width == self.width && height == self.height { return self }
        let blockX = max(1, self.width / width), blockY = max(1, self.height / height)
        if blockX > 2 || blockY > 2 {
            return boxAveraged(blockWidth: blockX > 2 ? blockX : 1, blockHeight: blockY > 2 ? blockY : 1)
                .resized(width: width, height: height)
        }
        let scaleX = Float(self.width) / Float(width), scaleY = Float(self.height) / Float(height)
        func taps(_ i: Int, scale: Float, size: Int) -> (Int, Int, Float) {
            let position = min(max((Float(i) + 0.5) * scale - 0.5, 0), Float(size - 1))
            let low = Int(position)
            return (low, min(low + 1, size - 1), position - Float(low))
        }
        let columns = (0..<width).map { taps($0, scale: scaleX, size: self.width) }
        var out = [UInt8](repeating: 0, count: width * height * channels)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let (top, bottom, fy) = taps(y, scale: scaleY, size: self.height)
                for x in 0..<width {
                    let (left, right, fx) = columns[x]
                    for c in 0..<channels {
                        func at(_ row: Int, _ column: Int) -> Float { Float(source[(row * self.width + column) * channels + c]) }
                        let upper = at(top, left) + (at(top, right) - at(top, left)) * fx
                        let lower = at(bottom, left) + (at(bottom, right) - at(bottom, left)) * fx
                        out[(y * width + x) * channels + c] = UInt8(min(255, max(0, (upper + (lower - upper) * fy).rounded())))
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// The mean of each `blockWidth × blockHeight` block (the last partial blocks dropped).
    private func boxAveraged(blockWidth: Int, blockHeight: Int) -> Image {
        let outWidth = width / blockWidth, outHeight = height / blockHeight
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let area = blockWidth * blockHeight
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                for c in 0..<channels {
                    var sum = 0
                    for dy in 0..<blockHeight {
                        let row = (y * blockHeight + dy) * width
                        for dx in 0..<blockWidth { sum += Int(pixels[(row + x * blockWidth + dx) * channels + c]) }
                    }
                    out[(y * outWidth + x) * channels + c] = UInt8((sum + area / 2) / area)
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: out)
    }
}
