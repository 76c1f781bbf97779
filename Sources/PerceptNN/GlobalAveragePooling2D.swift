import PerceptAutograd
import PerceptTensor

/// The mean of each channel over the height and the width: `[h, w, c]` → `[c]`.
public final class GlobalAveragePooling2D: Layer {
    public var name = "global_average_pooling2d"
    public var typeName: String { "GlobalAveragePooling2D" }

    /// Creates a global average pooling layer.
    public init() {}

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelError.incompatibleInput(layer: name, expected: "[height, width, channels]", got: inputShape)
        }
        return [inputShape[2]]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        globalAvgPool2D(input)
    }
}
