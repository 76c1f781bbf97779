import PerceptTensor

/// A generated detection scene: a grayscale canvas holding a few handwritten digits, with the
/// ground-truth box and class of each.
public struct DigitScene: Sendable, Equatable {
    /// The canvas `[height, width]`, values in `[0, 1]` (0 is the black background, 1 full ink, as
    /// in MNIST).
    public var image: Tensor
    /// One annotation per digit, in the order they were placed.
    public var objects: [LabeledBox]

    /// A scene from its canvas and annotations.
    public init(image: Tensor, objects: [LabeledBox]) {
        precondition(image.rank == 2, "DigitScene needs a [height, width] canvas, got \(image.shape)")
        self.image = image
        self.objects = objects
    }

    /// The canvas height in pixels.
    public var height: Int { image.shape[0] }
    /// The canvas width in pixels.
    public var width: Int { image.shape[1] }
}
