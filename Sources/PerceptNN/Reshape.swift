import PerceptAutograd
import PerceptTensor

/// Gives each sample another shape with the same number of elements (Keras's `Reshape`), e.g.
/// `[28, 28]` → `[28, 28, 1]` to feed grayscale images to ``Conv2D``.
public final class Reshape: Layer {
    public var name = "reshape"
    public var typeName: String { "Reshape" }
    /// The shape of one output sample (without the batch axis).
    public let targetShape: [Int]

    /// Creates a reshape layer to `targetShape` (without the batch axis).
    public init(_ targetShape: [Int]) {
        precondition(!targetShape.isEmpty && targetShape.allSatisfy { $0 > 0 }, "Reshape needs positive extents, got \(targetShape)")
        self.targetShape = targetShape
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.reduce(1, *) == targetShape.reduce(1, *) else {
            throw ModelError.incompatibleInput(
                layer: name, expected: "\(targetShape.reduce(1, *)) elements per sample (to become \(targetShape))",
                got: inputShape)
        }
        return targetShape
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        reshape(input, [input.shape[0]] + targetShape)
    }
}
