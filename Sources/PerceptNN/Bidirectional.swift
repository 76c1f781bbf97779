import PerceptAutograd
import PerceptTensor

/// Runs a recurrent layer over the sequence in both directions and merges the two results
/// (Keras's `Bidirectional`). The backward copy has the same configuration and its own weights;
/// with `returnSequences` its states are aligned with the input steps before merging.
public final class Bidirectional: Layer {
    /// How the two directions' outputs are combined.
    public enum Merge: String, Sendable, CaseIterable {
        /// Side by side: the output has `2·units` features.
        case concatenate
        /// Added: the output has `units` features.
        case sum
    }

    public var name = "bidirectional"
    public var typeName: String { "Bidirectional" }
    /// The layer reading the steps in order.
    public let forwardLayer: RecurrentLayer
    /// The layer reading the steps in reverse.
    public let backwardLayer: RecurrentLayer
    /// How the outputs are combined.
    public let merge: Merge

    /// Wraps `layer`: it becomes the forward direction and a reversed copy the backward one.
    public init(_ layer: RecurrentLayer, merge: Merge = .concatenate) {
        forwardLayer = layer
        backwardLayer = layer.reversed()
        self.merge = merge
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        forwardLayer.name = name + "_forward"
        backwardLayer.name = name + "_backward"
        var shape = try forwardLayer.build(inputShape: inputShape, generator: &generator)
        _ = try backwardLayer.build(inputShape: inputShape, generator: &generator)
        if merge == .concatenate { shape[shape.count - 1] *= 2 }
        return shape
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        let forwardOutput = forwardLayer(input, initialState: nil, context: context)
        let backwardOutput = backwardLayer(input, initialState: nil, context: context)
        if !forwardLayer.returnSequences { context.sequenceMask = nil }
        switch merge {
        case .concatenate: return concatenateLast(forwardOutput, backwardOutput)
        case .sum: return forwardOutput + backwardOutput
        }
    }

    public var parameters: [Variable] { forwardLayer.parameters + backwardLayer.parameters }
}
