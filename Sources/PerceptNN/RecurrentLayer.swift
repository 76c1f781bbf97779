import PerceptAutograd
import PerceptTensor

/// What the recurrent layers (``SimpleRNN``, ``LSTM``, ``GRU``) share: fused gate weights, masking,
/// dropout on the inputs, truncated back-propagation through time and the choice between the
/// whole sequence of states and the last one.
///
/// Inputs are `[n, steps, features]`. The output is `[n, units]` (the state after the last real
/// step), or `[n, steps, units]` with `returnSequences`. A mask set by an ``Embedding`` with
/// `maskZero` is applied: padded steps leave the state unchanged. Weights follow Keras: the input
/// kernel is Glorot uniform, each gate block of the recurrent kernel orthogonal, biases zero (the
/// LSTM's forget-gate bias one).
public class RecurrentLayer: Layer {
    public var name: String
    public var typeName: String { "Recurrent" }
    /// The cell that runs at each step.
    public let cell: RecurrentCell
    /// The size of the state.
    public let units: Int
    /// Whether the output is every step's state (for stacking) or only the last one.
    public let returnSequences: Bool
    /// Whether the steps are processed from last to first (the output stays in the original order).
    public let goBackwards: Bool
    /// The rate of dropout applied to the inputs while training.
    public let dropout: Float
    /// If set, gradients flow back through at most this many steps (truncated BPTT).
    public let truncation: Int?
    /// Input weights `[features, gates·units]`, once built.
    public private(set) var kernel: Variable?
    /// Recurrent weights `[units, gates·units]`, once built.
    public private(set) var recurrentKernel: Variable?
    /// Bias `[gates·units]`, once built.
    public private(set) var bias: Variable?
    /// The GRU's second bias, on the recurrent product, once built.
    public private(set) var recurrentBias: Variable?

    init(cell: RecurrentCell, name: String, units: Int, returnSequences: Bool, goBackwards: Bool, dropout: Float,
         truncation: Int?) {
        precondition(units >= 1, "a recurrent layer needs at least one unit, got \(units)")
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got \(dropout)")
        if let truncation { precondition(truncation >= 1, "truncation must be at least 1 step, got \(truncation)") }
        self.cell = cell
        self.name = name
        self.units = units
        self.returnSequences = returnSequences
        self.goBackwards = goBackwards
        self.dropout = dropout
        self.truncation = truncation
    }

    /// A layer of the same configuration that runs in the opposite direction (for ``Bidirectional``).
    func reversed() -> RecurrentLayer {
        RecurrentLayer(cell: cell, name: name, units: units, returnSequences: returnSequences,
                       goBackwards: !goBackwards, dropout: dropout, truncation: truncation)
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        guard inputShape.count == 2, inputShape[0] > 0, inputShape[1] > 0 else {
            throw ModelError.incompatibleInput(layer: name, expected: "[steps, features]", got: inputShape)
        }
        let features = inputShape[1]
        let gates = cell.gateCount * units
        kernel = Variable(Initializer.glorotUniform.make(shape: [features, gates], fanIn: features, fanOut: gates,
                                                         generator: &generator), requiresGrad: true)
        recurrentKernel = Variable(orthogonalBlocks(units: units, blocks: cell.gateCount, generator: &generator),
                                   requiresGrad: true)
        var biasValue = Tensor(zeros: [gates])
        if cell == .lstm { for j in units..<(2 * units) { biasValue[j] = 1 } }
        bias = Variable(biasValue, requiresGrad: true)
        recurrentBias = cell == .gru ? Variable(Tensor(zeros: [gates]), requiresGrad: true) : nil
        return returnSequences ? [inputShape[0], units] : [units]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        let output = self(input, initialState: nil, context: context)
        if !returnSequences { context.sequenceMask = nil }
        return output
    }

    /// Applies the layer to `input` `[n, steps, features]` starting from `initialState`: `[h₀]`, or
    /// `[h₀, c₀]` for the LSTM, each `[n, units]` (zeros when `nil`).
    public func callAsFunction(_ input: Variable, initialState: [Variable]?, context: ForwardContext) -> Variable {
        guard let kernel, let recurrentKernel, let bias else { preconditionFailure("\(name) used before build") }
        let (batch, steps) = (input.shape[0], input.shape[1])
        let mask = context.sequenceMask.flatMap { $0.shape == [batch, steps] ? $0 : nil }
        let initialCellState = initialState.flatMap { $0.count > 1 ? $0[1] : nil }
        let dropsInputs = context.isTraining && dropout > 0
        let sequence: Variable
        if !dropsInputs, let tokens = context.embeddedTokens, tokens.output === input {
            // Straight after an embedding: the same result, with the input side computed per word.
            sequence = recurrent(
                tokens: tokens.indices, table: tokens.table, cell: cell, kernel: kernel, recurrentKernel: recurrentKernel,
                bias: bias, recurrentBias: recurrentBias, initialState: initialState?.first,
                initialCellState: initialCellState, mask: mask, reverse: goBackwards, truncation: truncation)
        } else {
            var x = input
            if dropsInputs {
                let keep = 1 - dropout
                let dropMask = Tensor(shape: input.shape) { out in
                    for i in 0..<out.count { out[i] = context.generator.nextUniform() < keep ? 1 / keep : 0 }
                }
                x = multiply(input, constant: dropMask)
            }
            sequence = recurrent(
                x, cell: cell, kernel: kernel, recurrentKernel: recurrentKernel, bias: bias, recurrentBias: recurrentBias,
                initialState: initialState?.first, initialCellState: initialCellState, mask: mask,
                reverse: goBackwards, truncation: truncation)
        }
        return returnSequences ? sequence : timeStep(sequence, goBackwards ? 0 : steps - 1)
    }

    public var parameters: [Variable] { [kernel, recurrentKernel, bias, recurrentBias].compactMap { $0 } }
}

/// `[units, blocks·units]` made of `blocks` random orthogonal `units × units` matrices side by side
/// (Gram–Schmidt on Gaussian columns), Keras's orthogonal recurrent initialiser applied per gate.
func orthogonalBlocks(units: Int, blocks: Int, generator: inout RandomGenerator) -> Tensor {
    var result = Tensor(zeros: [units, blocks * units])
    for block in 0..<blocks {
        var columns: [[Double]] = []
        while columns.count < units {
            var v = (0..<units).map { _ in Double(generator.nextNormal()) }
            for q in columns {
                let dot = zip(v, q).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<units { v[i] -= dot * q[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { columns.append(v.map { $0 / norm }) }
        }
        for (c, column) in columns.enumerated() {
            for r in 0..<units { result[r, block * units + c] = Float(column[r]) }
        }
    }
    return result
}
