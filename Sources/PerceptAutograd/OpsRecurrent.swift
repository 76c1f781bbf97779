import CPerceptKernels
import PerceptTensor

// Backward rules of the recurrent cells, by back-propagation through time (BPTT). Each cell is one
// coarse operation over the whole sequence: the input projection of every step is one GEMM
// (x·W + b), the recurrent part one GEMM per step with the gates fused (U is [H, G·H]), and the
// elementwise step is a C kernel (`CPerceptKernels/recurrent.c`). Gates per row: LSTM [i f g o],
// GRU [z r n], SimpleRNN [a]. σ is the logistic sigmoid; m_t ∈ {0, 1} the mask of step t.
//
//   cell        forward (one step; a = x_t·W + b + h_{t−1}·U)     backward (δh = ∂L/∂h_t, δc = ∂L/∂c_t)
//   simple      h_t = tanh(a)                                      δa = δh (1 − h_t²)
//   lstm        i,f,o = σ(a_i,a_f,a_o), g = tanh(a_g)              δc' = δc + δh·o(1 − tanh²c_t)
//               c_t = f c_{t−1} + i g, h_t = o tanh(c_t)           δa_i = δc'·g·i(1−i), δa_f = δc'·c_{t−1}·f(1−f)
//                                                                  δa_g = δc'·i(1−g²), δa_o = δh·tanh(c_t)·o(1−o)
//                                                                  δc_{t−1} = δc'·f
//   gru         ax = x_t·W + b, ah = h_{t−1}·U + b_rec             δn' = δh(1−z)(1−n²), δz' = δh(h_{t−1}−n) z(1−z)
//               z,r = σ(ax_z+ah_z, ax_r+ah_r)                      δr' = δn'·ah_n·r(1−r)
//               n = tanh(ax_n + r·ah_n)                            δax = [δz' δr' δn'], δah = [δz' δr' δn'·r]
//               h_t = z h_{t−1} + (1 − z) n                        δh_{t−1} gets δh·z directly
//   every cell  δh_{t−1} += δa·Uᵀ (δah·Uᵀ for the GRU)   δU = Σ_t h_{t−1}ᵀ·δa_t   δW = Σ_t x_tᵀ·δa_t   δb = Σ δa
//               δx_t = δa_t·Wᵀ (one GEMM over all steps for δW, δU, δx)
//   masking     m_t = 0: h_t = h_{t−1}, c_t = c_{t−1}, δa_t = 0, δh_{t−1} = δh, δc_{t−1} = δc
//   truncation  with k: δh and δc are not carried from step s back to s − 1 when s is a multiple
//               of k (steps counted in processing order), so each gradient runs back at most k steps
//
//   op                       forward                     backward
//   timeStep(y, t)           y[:, t, :]                  g scattered into y's shape at step t
//   concatenateLast(a, b)    [a | b] along the last axis  g split along the last axis

/// The kind of recurrent cell, with the number of fused gates in its weights.
public enum RecurrentCell: String, Sendable, CaseIterable {
    /// `h_t = tanh(x_t·W + h_{t−1}·U + b)` (Keras's `SimpleRNN`).
    case simple
    /// Long short-term memory with gates input, forget, cell candidate, output (Keras's order).
    case lstm
    /// Gated recurrent unit with gates update, reset, candidate; the reset gate multiplies the
    /// recurrent product after it is taken (Keras's `reset_after=True`, PyTorch's formulation).
    case gru

    /// The number of gate blocks in the fused weights: 1, 4 or 3.
    public var gateCount: Int {
        switch self {
        case .simple: 1
        case .lstm: 4
        case .gru: 3
        }
    }
}

/// A scratch buffer of floats that lives as long as the backward closure needing it.
private final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, zeroed: Bool = false) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { pointer.deallocate() }

    subscript(offset: Int) -> UnsafeMutablePointer<Float> { pointer + offset }
}

/// Runs a recurrent cell over a batch of sequences and returns the hidden state after every step.
///
/// - Parameters:
///   - x: inputs `[batch, steps, features]`.
///   - kernel: input weights `W` `[features, G·units]`, the gates side by side (G from `cell`).
///   - recurrentKernel: recurrent weights `U` `[units, G·units]`.
///   - bias: `[G·units]`, added to the input projection.
///   - recurrentBias: `[G·units]`, added to the recurrent projection (GRU only; zero if `nil`).
///   - initialState: `h_0` `[batch, units]` (zeros if `nil`); gradients reach it.
///   - initialCellState: `c_0` `[batch, units]` for the LSTM (zeros if `nil`).
///   - mask: `[batch, steps]`, 1 for real steps and 0 for padding; a padded step keeps the state
///     unchanged and receives no gradient.
///   - reverse: process the steps from last to first (the backward half of a bidirectional layer).
///     The output stays indexed by the original step.
///   - truncation: if set to k, truncated BPTT: gradients flow back through at most k steps.
/// - Returns: `[batch, steps, units]`, the state after processing each step. The final state is at
///   step `steps − 1`, or at step 0 when `reverse` is true.
public func recurrent(
    _ x: Variable, cell: RecurrentCell, kernel: Variable, recurrentKernel: Variable, bias: Variable,
    recurrentBias: Variable? = nil, initialState: Variable? = nil, initialCellState: Variable? = nil,
    mask: Tensor? = nil, reverse: Bool = false, truncation: Int? = nil
) -> Variable {
    precondition(x.value.rank == 3, "recurrent needs inputs [batch, steps, features], got \(x.shape)")
    return recurrent(
        .dense(x), batch: x.shape[0], steps: x.shape[1], features: x.shape[2], cell: cell, kernel: kernel,
        recurrentKernel: recurrentKernel, bias: bias, recurrentBias: recurrentBias, initialState: initialState,
        initialCellState: initialCellState, mask: mask, reverse: reverse, truncation: truncation)
}

/// The same as `recurrent(embedding(indices, table: table), …)`, computed per distinct word.
///
/// An embedding followed by the input projection `x_t·W` multiplies the same table row by `W` at
/// every position where its word occurs. Here each distinct word of the batch is projected once
/// (`table[words]·W`), the gradient of the projections is summed per word before it goes back
/// through `W`, and the table's gradient is that sum times `Wᵀ`: the input-side products shrink
/// from `batch·steps` rows to the number of distinct words in the batch.
///
/// - Parameters:
///   - indices: word indices `[batch, steps]`, whole numbers stored as Float.
///   - table: the embedding table `[vocabulary, features]`; it receives the gradient.
///   - The others: as in ``recurrent(_:cell:kernel:recurrentKernel:bias:recurrentBias:initialState:initialCellState:mask:reverse:truncation:)``.
/// - Precondition: every index is a whole number in `0..<vocabulary`.
public func recurrent(
    tokens indices: Tensor, table: Variable, cell: RecurrentCell, kernel: Variable, recurrentKernel: Variable,
    bias: Variable, recurrentBias: Variable? = nil, initialState: Variable? = nil, initialCellState: Variable? = nil,
    mask: Tensor? = nil, reverse: Bool = false, truncation: Int? = nil
) -> Variable {
    precondition(indices.rank == 2, "recurrent needs token indices [batch, steps], got \(indices.shape)")
    precondition(table.value.rank == 2, "recurrent needs a table [vocabulary, features], got \(table.shape)")
    return recurrent(
        .tokens(ids: wordIndices(indices, vocabulary: table.shape[0], operation: "recurrent"), table: table),
        batch: indices.shape[0], steps: indices.shape[1], features: table.shape[1], cell: cell, kernel: kernel,
        recurrentKernel: recurrentKernel, bias: bias, recurrentBias: recurrentBias, initialState: initialState,
        initialCellState: initialCellState, mask: mask, reverse: reverse, truncation: truncation)
}

/// Where the inputs of a recurrent operation come from.
private enum RecurrentInput {
    /// Dense inputs `[batch, steps, features]`.
    case dense(Variable)
    /// Word indices (batch-major, `[batch, steps]` flattened) into an embedding table.
    case tokens(ids: [Int], table: Variable)

    /// The variable that receives the input-side gradient.
    var variable: Variable {
        switch self {
        case .dense(let x): x
        case .tokens(_, let table): table
        }
    }
}

private func recurrent(
    _ input: RecurrentInput, batch: Int, steps: Int, features: Int, cell: RecurrentCell, kernel: Variable,
    recurrentKernel: Variable, bias: Variable, recurrentBias: Variable?, initialState: Variable?,
    initialCellState: Variable?, mask: Tensor?, reverse: Bool, truncation: Int?
) -> Variable {
    let units = recurrentKernel.shape[0]
    let gates = cell.gateCount * units
    precondition(kernel.shape == [features, gates],
                 "recurrent \(cell): kernel shape \(kernel.shape), expected [\(features), \(gates)]")
    precondition(recurrentKernel.shape == [units, gates],
                 "recurrent \(cell): recurrent kernel shape \(recurrentKernel.shape), expected [\(units), \(gates)]")
    precondition(bias.shape == [gates], "recurrent \(cell): bias shape \(bias.shape), expected [\(gates)]")
    if let recurrentBias {
        precondition(cell == .gru, "recurrent: a recurrent bias is only used by the GRU")
        precondition(recurrentBias.shape == [gates], "recurrent gru: recurrent bias shape \(recurrentBias.shape), expected [\(gates)]")
    }
    if let initialState { precondition(initialState.shape == [batch, units], "recurrent: initial state \(initialState.shape), expected [\(batch), \(units)]") }
    if let initialCellState {
        precondition(cell == .lstm, "recurrent: an initial cell state is only used by the LSTM")
        precondition(initialCellState.shape == [batch, units], "recurrent: initial cell state \(initialCellState.shape), expected [\(batch), \(units)]")
    }
    if let mask { precondition(mask.shape == [batch, steps], "recurrent: mask \(mask.shape), expected [\(batch), \(steps)]") }
    if let truncation { precondition(truncation >= 1, "recurrent: truncation must be at least 1, got \(truncation)") }

    let rows = steps * batch
    let stateSize = batch * units
    func time(_ s: Int) -> Int { reverse ? steps - 1 - s : s }

    // The mask rearranged step-major in processing order: row s·batch + b.
    let stepMask: FloatBuffer? = mask.map { mask in
        let buffer = FloatBuffer(count: rows)
        mask.withUnsafeBufferPointer { m in
            for s in 0..<steps { for b in 0..<batch { buffer[s * batch + b].pointee = m[b * steps + time(s)] } }
        }
        return buffer
    }
    let projection = InputProjection(input, batch: batch, steps: steps, features: features, reverse: reverse,
                                     kernel: kernel.value, bias: bias.value)
    let activations = projection.activations

    let hidden = FloatBuffer(count: (steps + 1) * stateSize, zeroed: true)
    if let initialState { initialState.value.withUnsafeBufferPointer { hidden.pointer.update(from: $0.baseAddress!, count: stateSize) } }
    let cells: FloatBuffer? = cell == .lstm ? FloatBuffer(count: (steps + 1) * stateSize, zeroed: true) : nil
    if let cells, let initialCellState {
        initialCellState.value.withUnsafeBufferPointer { cells.pointer.update(from: $0.baseAddress!, count: stateSize) }
    }
    let recurrentProducts: FloatBuffer? = cell == .gru ? FloatBuffer(count: rows * gates) : nil
    let recurrentBiasValue = recurrentBias?.value ?? Tensor(zeros: [gates])

    // Rows of the batch are independent through time: each chunk of rows runs its whole loop
    // on its own core with single-threaded BLAS, so the steps need no synchronisation.
    recurrentKernel.value.withUnsafeBufferPointer { u in
        recurrentBiasValue.withUnsafeBufferPointer { rb in
            let (u, rb) = (u.baseAddress!, rb.baseAddress!)
            forEachRowChunk(batch) { b0, n in
                for s in 0..<steps {
                    let previous = hidden[s * stateSize + b0 * units]
                    let next = hidden[(s + 1) * stateSize + b0 * units]
                    let a = activations[(s * batch + b0) * gates]
                    let m = stepMask.map { UnsafePointer($0[s * batch + b0]) }
                    switch cell {
                    case .simple, .lstm:
                        BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: gates, k: units, alpha: 1,
                                   a: previous, lda: units, b: u, ldb: gates, beta: 1, c: a, ldc: gates)
                        if let cells {
                            pk_lstm_forward_step(a, cells[s * stateSize + b0 * units], previous, m,
                                                 cells[(s + 1) * stateSize + b0 * units], next, n, units)
                        } else {
                            pk_simple_rnn_forward_step(a, previous, m, next, n, units)
                        }
                    case .gru:
                        let ah = recurrentProducts![(s * batch + b0) * gates]
                        for b in 0..<n { (ah + b * gates).update(from: rb, count: gates) }
                        BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: gates, k: units, alpha: 1,
                                   a: previous, lda: units, b: u, ldb: gates, beta: 1, c: ah, ldc: gates)
                        pk_gru_forward_step(a, ah, previous, m, next, n, units)
                    }
                }
            }
        }
    }

    let output = Tensor(shape: [batch, steps, units]) { out in
        for s in 0..<steps {
            let t = time(s)
            for b in 0..<batch {
                (out.baseAddress! + (b * steps + t) * units).initialize(from: hidden[(s + 1) * stateSize + b * units], count: units)
            }
        }
    }

    var inputList = [input.variable, kernel, recurrentKernel, bias]
    let recurrentBiasIndex = recurrentBias.map { inputList.append($0); return inputList.count - 1 }
    let initialStateIndex = initialState.map { inputList.append($0); return inputList.count - 1 }
    let initialCellIndex = initialCellState.map { inputList.append($0); return inputList.count - 1 }
    let recurrentWeights = recurrentKernel.value

    return record("recurrent-\(cell.rawValue)", output, inputs: inputList) { g, needs in
        let dActivations = FloatBuffer(count: rows * gates)
        let dRecurrent: FloatBuffer? = cell == .gru ? FloatBuffer(count: rows * gates) : nil
        // The gradients reaching h₀ and c₀, gathered from the chunks.
        let dInitialState = FloatBuffer(count: stateSize)
        let dInitialCell = FloatBuffer(count: stateSize)
            recurrentWeights.withUnsafeBufferPointer { u in
            g.withUnsafeBufferPointer { gradient in
                let (u, gradient) = (u.baseAddress!, gradient.baseAddress!)
                forEachRowChunk(batch) { b0, n in
                    let size = n * units
                    var dh = FloatBuffer(count: size, zeroed: true)
                    var dc = FloatBuffer(count: size, zeroed: true)
                    var dhPrevious = FloatBuffer(count: size)
                    var dcPrevious = FloatBuffer(count: size, zeroed: true)
                    for s in (0..<steps).reversed() {
                        let t = time(s)
                        for b in 0..<n {
                            pk_axpy(dh[b * units], gradient + ((b0 + b) * steps + t) * units, 1, units)
                        }
                        let m = stepMask.map { UnsafePointer($0[s * batch + b0]) }
                        let a = activations[(s * batch + b0) * gates]
                        let da = dActivations[(s * batch + b0) * gates]
                        let previous = hidden[s * stateSize + b0 * units]
                        let throughU: UnsafeMutablePointer<Float>
                        switch cell {
                        case .simple:
                            pk_simple_rnn_backward_step(a, dh.pointer, m, da, dhPrevious.pointer, n, units)
                            throughU = da
                        case .lstm:
                            pk_lstm_backward_step(a, cells![s * stateSize + b0 * units], cells![(s + 1) * stateSize + b0 * units],
                                                  dh.pointer, dc.pointer, m, da, dcPrevious.pointer, dhPrevious.pointer, n, units)
                            throughU = da
                        case .gru:
                            let dah = dRecurrent![(s * batch + b0) * gates]
                            pk_gru_backward_step(a, recurrentProducts![(s * batch + b0) * gates], previous, dh.pointer, m, da, dah,
                                                 dhPrevious.pointer, n, units)
                            throughU = dah
                        }
                        BLAS.sgemm(transposeA: false, transposeB: true, m: n, n: units, k: gates, alpha: 1,
                                   a: throughU, lda: gates, b: u, ldb: gates, beta: 1, c: dhPrevious.pointer, ldc: units)
                        swap(&dh, &dhPrevious)
                        swap(&dc, &dcPrevious)
                        if let truncation, s > 0, s % truncation == 0 {
                            dh.pointer.update(repeating: 0, count: size)
                            dc.pointer.update(repeating: 0, count: size)
                        }
                    }
                    dInitialState[b0 * units].update(from: dh.pointer, count: size)
                    dInitialCell[b0 * units].update(from: dc.pointer, count: size)
                }
            }
        }

            var grads = [Tensor?](repeating: nil, count: inputList.count)
        (grads[0], grads[1], grads[3]) = projection.gradients(dActivations, needs: (needs[0], needs[1], needs[3]))
        let dThroughU = dRecurrent ?? dActivations
        if needs[2] {
            grads[2] = Tensor(shape: [units, gates]) { out in
                BLAS.sgemm(transposeA: true, transposeB: false, m: units, n: gates, k: rows, alpha: 1,
                           a: hidden.pointer, lda: units, b: dThroughU.pointer, ldb: gates, beta: 0,
                           c: out.baseAddress!, ldc: gates)
            }
        }
        if let index = recurrentBiasIndex, needs[index] {
            grads[index] = Tensor(shape: [gates]) { out in pk_column_sums(dThroughU.pointer, rows, gates, out.baseAddress) }
        }
        if let index = initialStateIndex, needs[index] {
            grads[index] = Tensor(shape: [batch, units]) { $0.baseAddress!.initialize(from: dInitialState.pointer, count: stateSize) }
        }
        if let index = initialCellIndex, needs[index] {
            grads[index] = Tensor(shape: [batch, units]) { $0.baseAddress!.initialize(from: dInitialCell.pointer, count: stateSize) }
        }
        return grads
    }
}

/// The input side of a recurrent operation: `x_t·W + b` for every step at once, in processing
/// order (row `s·batch + b`), and the gradients that flow back through it.
private final class InputProjection {
    let input: RecurrentInput
    let batch: Int, steps: Int, features: Int, gates: Int
    /// Whether the steps are processed from last to first.
    let isReversed: Bool
    let kernel: Tensor
    /// `[steps·batch, gates]`: `x_s·W + b` for each step `s` in processing order.
    let activations: FloatBuffer
    /// Dense inputs rearranged in processing order `[steps·batch, features]`.
    private var inputs: FloatBuffer?
    /// For word indices: the distinct words of the batch, the row of `words` each input row uses,
    /// and the table rows of those words `[words, features]`.
    private var words: [Int] = []
    private var wordOfRow: [Int] = []
    private var wordVectors: FloatBuffer?

    init(_ input: RecurrentInput, batch: Int, steps: Int, features: Int, reverse: Bool, kernel: Tensor, bias: Tensor) {
        self.input = input
        isReversed = reverse
        (self.batch, self.steps, self.features, gates) = (batch, steps, features, kernel.shape[1])
        self.kernel = kernel
        let rows = steps * batch
        let gates = gates
        func time(_ s: Int) -> Int { reverse ? steps - 1 - s : s }
        activations = FloatBuffer(count: rows * gates)
        let source: FloatBuffer
        let sourceRows: Int
        switch input {
        case .dense(let x):
            let inputs = FloatBuffer(count: rows * features)
            x.value.withUnsafeBufferPointer { x in
                for s in 0..<steps {
                    for b in 0..<batch {
                        inputs[(s * batch + b) * features].update(from: x.baseAddress! + (b * steps + time(s)) * features, count: features)
                    }
                }
            }
            self.inputs = inputs
            (source, sourceRows) = (inputs, rows)
        case .tokens(let ids, let table):
            var slot = [Int](repeating: -1, count: table.shape[0])
            wordOfRow = [Int](repeating: 0, count: rows)
            for s in 0..<steps {
                for b in 0..<batch {
                    let id = ids[b * steps + time(s)]
                    if slot[id] < 0 { slot[id] = words.count; words.append(id) }
                    wordOfRow[s * batch + b] = slot[id]
                }
            }
            let vectors = FloatBuffer(count: words.count * features)
            table.value.withUnsafeBufferPointer { t in
                for (row, id) in words.enumerated() {
                    vectors[row * features].update(from: t.baseAddress! + id * features, count: features)
                }
            }
            wordVectors = vectors
            (source, sourceRows) = (vectors, words.count)
        }
        // Projected rows: every input row, or every distinct word (then copied to its positions).
        let projected = inputs != nil ? activations : FloatBuffer(count: sourceRows * gates)
        bias.withUnsafeBufferPointer { b in
            for row in 0..<sourceRows { projected[row * gates].update(from: b.baseAddress!, count: gates) }
        }
        kernel.withUnsafeBufferPointer { w in
            BLAS.sgemm(transposeA: false, transposeB: false, m: sourceRows, n: gates, k: features, alpha: 1,
                       a: source.pointer, lda: features, b: w.baseAddress!, ldb: gates, beta: 1,
                       c: projected.pointer, ldc: gates)
        }
        if inputs == nil {
            for row in 0..<rows { activations[row * gates].update(from: projected[wordOfRow[row] * gates], count: gates) }
        }
    }

    /// The gradients of the input (dense inputs or the embedding table), the kernel and the bias,
    /// given the gradient of `activations`; `nil` where not needed.
    func gradients(_ dActivations: FloatBuffer, needs: (input: Bool, kernel: Bool, bias: Bool)) -> (Tensor?, Tensor?, Tensor?) {
        let rows = steps * batch
        let (features, gates) = (features, gates)
        // The gradient per source row: per input row, or summed per distinct word.
        let source: FloatBuffer, dSource: FloatBuffer, sourceRows: Int
        if let inputs {
            (source, dSource, sourceRows) = (inputs, dActivations, rows)
        } else {
            let sums = FloatBuffer(count: words.count * gates, zeroed: true)
            for row in 0..<rows { pk_axpy(sums[wordOfRow[row] * gates], dActivations[row * gates], 1, gates) }
            (source, dSource, sourceRows) = (wordVectors!, sums, words.count)
        }
        let dKernel = needs.kernel ? Tensor(shape: [features, gates]) { out in
            BLAS.sgemm(transposeA: true, transposeB: false, m: features, n: gates, k: sourceRows, alpha: 1,
                       a: source.pointer, lda: features, b: dSource.pointer, ldb: gates, beta: 0,
                       c: out.baseAddress!, ldc: gates)
        } : nil
        let dBias = needs.bias ? Tensor(shape: [gates]) { out in
            pk_column_sums(dSource.pointer, sourceRows, gates, out.baseAddress)
        } : nil
        guard needs.input else { return (nil, dKernel, dBias) }
        let dSourceInputs = FloatBuffer(count: sourceRows * features)
        kernel.withUnsafeBufferPointer { w in
            BLAS.sgemm(transposeA: false, transposeB: true, m: sourceRows, n: features, k: gates, alpha: 1,
                       a: dSource.pointer, lda: gates, b: w.baseAddress!, ldb: gates, beta: 0,
                       c: dSourceInputs.pointer, ldc: features)
        }
        let dInput: Tensor
        switch input {
        case .dense(let x):
            dInput = Tensor(shape: x.shape) { out in
                for s in 0..<steps {
                    let t = isReversed ? steps - 1 - s : s
                    for b in 0..<batch {
                        (out.baseAddress! + (b * steps + t) * features).initialize(from: dSourceInputs[(s * batch + b) * features], count: features)
                    }
                }
            }
        case .tokens(_, let table):
            var gradient = Tensor(zeros: table.shape)
            gradient.withUnsafeMutableBufferPointer { out in
                for (row, id) in words.enumerated() {
                    (out.baseAddress! + id * features).update(from: dSourceInputs[row * features], count: features)
                }
            }
            dInput = gradient
        }
        return (dInput, dKernel, dBias)
    }
}

/// Runs `body(firstRow, rowCount)` over the batch split into one chunk per core (at least 16 rows
/// each), in parallel (see `Parallel`).
private func forEachRowChunk(_ batch: Int, _ body: (Int, Int) -> Void) {
    let chunks = max(1, min(Parallel.maximumParts, batch / 16))
    Parallel.forEach(chunks) { chunk in
        let first = batch * chunk / chunks
        body(first, batch * (chunk + 1) / chunks - first)
    }
}

/// The slice `y[:, step, :]` of a sequence `[batch, steps, units]`, as `[batch, units]`.
public func timeStep(_ y: Variable, _ step: Int) -> Variable {
    precondition(y.value.rank == 3, "timeStep needs [batch, steps, units], got \(y.shape)")
    let (batch, steps, units) = (y.shape[0], y.shape[1], y.shape[2])
    precondition(step >= 0 && step < steps, "timeStep: step \(step) out of range 0..<\(steps)")
    let value = y.value.withUnsafeBufferPointer { source in
        Tensor(shape: [batch, units]) { out in
            for b in 0..<batch {
                (out.baseAddress! + b * units).initialize(from: source.baseAddress! + (b * steps + step) * units, count: units)
            }
        }
    }
    return record("timeStep", value, inputs: [y]) { g, _ in
        var gradient = Tensor(zeros: y.shape)
        gradient.withUnsafeMutableBufferPointer { out in
            g.withUnsafeBufferPointer { gs in
                for b in 0..<batch {
                    (out.baseAddress! + (b * steps + step) * units).update(from: gs.baseAddress! + b * units, count: units)
                }
            }
        }
        return [gradient]
    }
}

/// Joins two tensors of the same shape but the last axis along that last axis.
public func concatenateLast(_ a: Variable, _ b: Variable) -> Variable {
    precondition(a.value.rank >= 1 && Array(a.shape.dropLast()) == Array(b.shape.dropLast()),
                 "concatenateLast: shapes \(a.shape) and \(b.shape) differ before the last axis")
    let (left, right) = (a.shape.last!, b.shape.last!)
    let width = left + right
    let rows = a.value.count / max(left, 1)
    let shape = Array(a.shape.dropLast()) + [width]
    let value = a.value.withUnsafeBufferPointer { x in
        b.value.withUnsafeBufferPointer { y in
            Tensor(shape: shape) { out in
                for row in 0..<rows {
                    (out.baseAddress! + row * width).initialize(from: x.baseAddress! + row * left, count: left)
                    (out.baseAddress! + row * width + left).initialize(from: y.baseAddress! + row * right, count: right)
                }
            }
        }
    }
    return record("concatenateLast", value, inputs: [a, b]) { g, needs in
        g.withUnsafeBufferPointer { gs in
            [needs[0] ? Tensor(shape: a.shape) { out in
                for row in 0..<rows { (out.baseAddress! + row * left).initialize(from: gs.baseAddress! + row * width, count: left) }
             } : nil,
             needs[1] ? Tensor(shape: b.shape) { out in
                for row in 0..<rows {
                    (out.baseAddress! + row * right).initialize(from: gs.baseAddress! + row * width + left, count: right)
                }
             } : nil]
        }
    }
}
