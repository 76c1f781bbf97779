import PerceptAutograd
import PerceptTensor

/// A gated recurrent unit layer (update, reset and candidate gates fused; reset after the recurrent product), Keras's `GRU`. See RecurrentLayer for shapes, masking and initialisation.
public final class GRU: RecurrentLayer {
    public override var typeName: String { "GRU" }

    /// Creates the layer.
    ///
    /// - Parameters:
    ///   - units: the size of the state.
    ///   - returnSequences: output every step's state `[steps, units]` instead of the last `[units]`.
    ///   - goBackwards: process the steps from last to first.
    ///   - dropout: the rate of dropout on the inputs while training.
    ///   - truncation: if set, back-propagate through at most this many steps (truncated BPTT).
    public init(_ units: Int, returnSequences: Bool = false, goBackwards: Bool = false, dropout: Float = 0,
                truncation: Int? = nil) {
        super.init(cell: .gru, name: "gru", units: units, returnSequences: returnSequences,
                   goBackwards: goBackwards, dropout: dropout, truncation: truncation)
    }
}
