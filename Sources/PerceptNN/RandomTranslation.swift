import PerceptAutograd
import PerceptTensor

/// Data augmentation: while training, shifts each NHWC image by a random whole number of pixels
/// in `-maxShift...maxShift` along each axis, filling with zeros (the same as padding by
/// `maxShift` and cropping at random); the identity at inference.
public final class RandomTranslation: Layer {
    public var name = "random_translation"
    public var typeName: String { "RandomTranslation" }
    /// The largest shift, in pixels.
    public let maxShift: Int

    /// Creates a random translation of up to `maxShift` pixels.
    public init(maxShift: Int) {
        precondition(maxShift >= 0, "RandomTranslation maxShift must not be negative, got \(maxShift)")
        self.maxShift = maxShift
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[height, width, channels]", got: inputShape)
        }
        return inputShape
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard context.isTraining, maxShift > 0 else { return input }
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        var indices = [Int32](repeating: -1, count: input.value.count)
        let choices = 2 * maxShift + 1
        for image in 0..<n {
            let dy = min(Int(context.generator.nextUniform() * Float(choices)), choices - 1) - maxShift
            let dx = min(Int(context.generator.nextUniform() * Float(choices)), choices - 1) - maxShift
            for y in 0..<h where (0..<h).contains(y - dy) {
                for x in 0..<w where (0..<w).contains(x - dx) {
                    let source = ((image * h + y - dy) * w + x - dx) * c
                    let target = ((image * h + y) * w + x) * c
                    for channel in 0..<c { indices[target + channel] = Int32(source + channel) }
                }
            }
        }
        return gather(input, indices: indices, shape: input.shape)
    }
}
