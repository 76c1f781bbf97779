/// An axis-aligned rectangle in pixel coordinates: `x` grows to the right, `y` downwards, and the
/// pixel in column `c`, row `r` covers `[c, c + 1) × [r, r + 1)`. A box that exactly covers
/// columns 3 to 7 therefore has `xMin = 3` and `xMax = 8`.
public struct BoundingBox: Sendable, Equatable, Codable {
    /// The left and right edges.
    public var xMin: Float, xMax: Float
    /// The top and bottom edges.
    public var yMin: Float, yMax: Float

    /// A box from its edges; an edge pair given in the wrong order makes an empty box.
    public init(xMin: Float, yMin: Float, xMax: Float, yMax: Float) {
        self.xMin = xMin
        self.yMin = yMin
        self.xMax = xMax
        self.yMax = yMax
    }

    /// A box from its centre and size.
    public init(centerX: Float, centerY: Float, width: Float, height: Float) {
        self.init(xMin: centerX - width / 2, yMin: centerY - height / 2, xMax: centerX + width / 2, yMax: centerY + height / 2)
    }

    /// The width (zero for an empty box).
    public var width: Float { max(xMax - xMin, 0) }
    /// The height (zero for an empty box).
    public var height: Float { max(yMax - yMin, 0) }
    /// The area.
    public var area: Float { width * height }
    /// The centre's x coordinate.
    public var centerX: Float { (xMin + xMax) / 2 }
    /// The centre's y coordinate.
    public var centerY: Float { (yMin + yMax) / 2 }

    /// The area the two boxes share.
    public func intersectionArea(with other: BoundingBox) -> Float {
        let width = min(xMax, other.xMax) - max(xMin, other.xMin)
        let height = min(yMax, other.yMax) - max(yMin, other.yMin)
        return width > 0 && height > 0 ? width * height : 0
    }

    /// The intersection over union (Jaccard index) of the two boxes, in `[0, 1]`; zero when both
    /// are empty.
    public func intersectionOverUnion(with other: BoundingBox) -> Float {
        let shared = intersectionArea(with: other)
        let union = area + other.area - shared
        return union > 0 ? shared / union : 0
    }

    enum CodingKeys: String, CodingKey {
        case xMin = "x_min", yMin = "y_min", xMax = "x_max", yMax = "y_max"
    }
}

/// A bounding box with the class of the object inside it: a ground-truth annotation.
public struct LabeledBox: Sendable, Equatable, Codable {
    /// Where the object is.
    public var box: BoundingBox
    /// Its class, from 0.
    public var label: Int

    /// An annotation.
    public init(box: BoundingBox, label: Int) {
        self.box = box
        self.label = label
    }
}
