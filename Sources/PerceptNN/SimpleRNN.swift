import PerceptAutograd
import PerceptTensor

/// A fully connected recurrent layer, `h_t = tanh(x_t·W + h_{t−1}·U + b)`, Keras's `SimpleRNN`. See RecurrentLayer for shapes, masking and initialisation.
public final class SimpleRNN: RecurrentLayer {
    public override var typeName: String { "SimpleRNN" }

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
        super.init(cell: .simple, name: "simple_rnn", units: units, returnSequences: returnSequences,
                   goBackwards: goBackwards, dropout: dropout, truncation: truncation)
    }
}
