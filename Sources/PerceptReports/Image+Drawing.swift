import PerceptImage

/// Drawing for annotated figures: rectangle outlines and numbers in a 3 × 5 pixel font.
extension Image {
    /// Digits 0–9 in a 3 × 5 font, one row of 3 bits per line, top line first.
    private static let digitFont: [[UInt8]] = [
        [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
        [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 2, 2, 2], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
    ]

    /// The width in pixels of `number` drawn by ``drawNumber(_:x:y:color:pixelSize:)``.
    public static func numberWidth(_ number: Int, pixelSize: Int = 2) -> Int {
        String(number).count * 4 * pixelSize
    }

    /// Draws the decimal digits of a non-negative `number` with its top-left corner at `(x, y)`,
    /// each font pixel a `pixelSize` × `pixelSize` block, so 5 · `pixelSize` pixels high; parts
    /// outside the image are skipped.
    public mutating func drawNumber(_ number: Int, x: Int, y: Int, color: [UInt8], pixelSize: Int = 2) {
        for (offset, digit) in String(number).compactMap(\.wholeNumberValue).enumerated() {
            for (line, bits) in Self.digitFont[digit].enumerated() {
                for column in 0..<3 where bits & (4 >> column) != 0 {
                    for dy in 0..<pixelSize {
                        for dx in 0..<pixelSize {
                            set(x: x + (offset * 4 + column) * pixelSize + dx, y: y + line * pixelSize + dy, color)
                        }
                    }
                }
            }
        }
    }

    /// Draws the outline of the rectangle whose outermost pixels are the columns `left…right` and
    /// the rows `top…bottom`, `thickness` pixels wide inwards; parts outside the image are skipped.
    public mutating func drawRectangle(left: Int, top: Int, right: Int, bottom: Int, color: [UInt8], thickness: Int = 1) {
        guard right >= left, bottom >= top else { return }
        for inset in 0..<max(thickness, 1) {
            let (l, t, r, b) = (left + inset, top + inset, right - inset, bottom - inset)
            guard r >= l, b >= t else { return }
            for x in l...r {
                set(x: x, y: t, color)
                set(x: x, y: b, color)
            }
            for y in t...b {
                set(x: l, y: y, color)
                set(x: r, y: y, color)
            }
        }
    }
}
