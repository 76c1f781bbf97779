import PerceptAutograd
import PerceptTensor

/// A long short-term memory layer (gates input, forget, candidate, output fused in one weight matrix), Keras's `LSTM`. See RecurrentLayer for shapes, masking and initialisation.
public final class LSTM: RecurrentLayer {
    public override var typeName: String { "LSTM" }

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
        super.init(cell: .lstm, name: "lstm", units: units, returnSequences: returnSequences,
                   goBackwards: goBackwards, dropout: dropout, truncation: truncation)
    }
}
