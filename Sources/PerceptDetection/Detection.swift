import PerceptData

/// One object found by a detector: where, which class, and how confident.
public struct Detection: Sendable, Equatable, Codable {
    /// The object's box in the image's pixel coordinates.
    public var box: BoundingBox
    /// The predicted class, from 0.
    public var label: Int
    /// The confidence in `[0, 1]`: the probability that the box holds an object of this class.
    public var score: Float

    /// A detection.
    public init(box: BoundingBox, label: Int, score: Float) {
        self.box = box
        self.label = label
        self.score = score
    }
}
