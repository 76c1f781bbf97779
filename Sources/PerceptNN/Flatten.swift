import PerceptAutograd
import PerceptTensor

/// Flattens every axis but the batch axis: `[n, d1, d2, …]` → `[n, d1·d2·…]`.
public final class Flatten: Layer {
    public var name = "flatten"
    public var typeName: String { "Flatten" }

    /// Creates a flatten layer.
    public init() {}

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        [inputShape.reduce(1, *)]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        input.value.rank == 2 ? input : reshape(input, [input.shape[0], -1])
    }
}
