import PerceptAutograd
import PerceptTensor

/// Data augmentation: while training, mirrors each NHWC image left to right with probability ½;
/// the identity at inference (Keras's `RandomFlip("horizontal")`).
public final class RandomFlip: Layer {
    public var name = "random_flip"
    public var typeName: String { "RandomFlip" }

    /// Creates a horizontal random flip.
    public init() {}

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[height, width, channels]", got: inputShape)
        }
        return inputShape
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard context.isTraining else { return input }
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        var indices = [Int32](repeating: 0, count: input.value.count)
        for image in 0..<n {
            let flip = context.generator.nextUniform() < 0.5
            for y in 0..<h {
                for x in 0..<w {
                    let source = ((image * h + y) * w + (flip ? w - 1 - x : x)) * c
                    let target = ((image * h + y) * w + x) * c
                    for channel in 0..<c { indices[target + channel] = Int32(source + channel) }
                }
            }
        }
        return gather(input, indices: indices, shape: input.shape)
    }
}
