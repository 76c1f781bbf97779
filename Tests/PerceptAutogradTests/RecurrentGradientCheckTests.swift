import PerceptAutograd
import PerceptTensor
import Testing

/// Back-propagation through time of every recurrent cell against finite differences, with and
/// without masking, forwards and backwards, and the embedding lookup.
@Suite("Recurrent and embedding rules against finite differences")
struct RecurrentGradientCheckTests {
    static let (batch, steps, features, units) = (2, 4, 3, 2)

    /// Step 0 of row 0 and steps 2, 3 of row 1 are padding.
    static let mask = Tensor(shape: [2, 4], scalars: [0, 1, 1, 1, 1, 1, 0, 0])

    static func input(_ shape: [Int], seed: UInt64) -> Tensor { GradientCheckTests.input(shape, seed: seed) }

    /// All the inputs of `recurrent` for `cell`: x, W, U, b, then the GRU's recurrent bias, h₀,
    /// and the LSTM's c₀.
    static func inputs(_ cell: RecurrentCell) -> [Tensor] {
        let gates = cell.gateCount * units
        var list = [input([batch, steps, features], seed: 1), input([features, gates], seed: 2),
                    input([units, gates], seed: 3), input([gates], seed: 4)]
        if cell == .gru { list.append(input([gates], seed: 5)) }
        list.append(input([batch, units], seed: 6))
        if cell == .lstm { list.append(input([batch, units], seed: 7)) }
        return list
    }

    static func run(_ cell: RecurrentCell, _ v: [Variable], mask: Tensor? = nil, reverse: Bool = false,
                    truncation: Int? = nil) -> Variable {
        let recurrentBias = cell == .gru ? v[4] : nil
        let stateIndex = cell == .gru ? 5 : 4
        return recurrent(v[0], cell: cell, kernel: v[1], recurrentKernel: v[2], bias: v[3], recurrentBias: recurrentBias,
                         initialState: v[stateIndex], initialCellState: cell == .lstm ? v[5] : nil,
                         mask: mask, reverse: reverse, truncation: truncation)
    }

    @Test(arguments: RecurrentCell.allCases, [false, true])
    func everyInputOfTheCell(_ cell: RecurrentCell, reverse: Bool) {
        GradientCheckTests.expectGradients(Self.inputs(cell)) { v in
            GradientCheckTests.weighted(Self.run(cell, v, reverse: reverse))
        }
    }

    @Test(arguments: RecurrentCell.allCases, [false, true])
    func withMasking(_ cell: RecurrentCell, reverse: Bool) {
        GradientCheckTests.expectGradients(Self.inputs(cell)) { v in
            GradientCheckTests.weighted(Self.run(cell, v, mask: Self.mask, reverse: reverse))
        }
    }

    @Test(arguments: RecurrentCell.allCases)
    func bidirectionalConcatenationOfTheLastStates(_ cell: RecurrentCell) {
        GradientCheckTests.expectGradients(Self.inputs(cell)) { v in
            let forward = timeStep(Self.run(cell, v, mask: Self.mask), Self.steps - 1)
            let backward = timeStep(Self.run(cell, v, mask: Self.mask, reverse: true), 0)
            return GradientCheckTests.weighted(concatenateLast(forward, backward))
        }
    }

    @Test(arguments: RecurrentCell.allCases)
    func paddedStepsKeepTheStateAndGetNoGradient(_ cell: RecurrentCell) {
        let x = Variable(Self.input([Self.batch, Self.steps, Self.features], seed: 1), requiresGrad: true)
        let v = [x] + Self.inputs(cell).dropFirst().map { Variable($0, requiresGrad: true) }
        let y = Self.run(cell, v, mask: Self.mask)
        // Row 1 is padded at steps 2 and 3: its state stays that of step 1.
        for j in 0..<Self.units {
            #expect(y.value[1, 2, j] == y.value[1, 1, j])
            #expect(y.value[1, 3, j] == y.value[1, 1, j])
        }
        // Row 0 is padded at step 0: its state stays h₀.
        for j in 0..<Self.units { #expect(y.value[0, 0, j] == v[cell == .gru ? 5 : 4].value[0, j]) }
        sum(y).backward()
        let grad = try! #require(x.grad)
        for f in 0..<Self.features {
            #expect(grad[0, 0, f] == 0)
            #expect(grad[1, 2, f] == 0)
            #expect(grad[1, 3, f] == 0)
            #expect(grad[0, 1, f] != 0)
        }
    }

    @Test(arguments: RecurrentCell.allCases)
    func truncationStopsTheGradientAfterKSteps(_ cell: RecurrentCell) {
        func gradientOfLastState(truncation: Int?) -> Tensor {
            let x = Variable(Self.input([Self.batch, Self.steps, Self.features], seed: 1), requiresGrad: true)
            let v = [x] + Self.inputs(cell).dropFirst().map { Variable($0, requiresGrad: true) }
            sum(timeStep(Self.run(cell, v, truncation: truncation), Self.steps - 1)).backward()
            return x.grad!
        }
        let full = gradientOfLastState(truncation: nil)
        let truncated = gradientOfLastState(truncation: 2)
        for b in 0..<Self.batch {
            for f in 0..<Self.features {
                // Segments [0, 2) and [2, 4): the last state's gradient reaches steps 3 and 2 only.
                #expect(truncated[b, 3, f] == full[b, 3, f])
                #expect(truncated[b, 2, f] == full[b, 2, f])
                #expect(truncated[b, 1, f] == 0 && truncated[b, 0, f] == 0)
                #expect(full[b, 1, f] != 0)
            }
        }
    }

    /// Nine units: eight go through the AVX2 path of the step kernels, the ninth through the scalar tail.
    @Test(arguments: RecurrentCell.allCases)
    func vectorAndScalarColumnsOfTheStepKernels(_ cell: RecurrentCell) {
        let units = 9
        let gates = cell.gateCount * units
        var inputs = [Self.input([2, 3, 2], seed: 11), Self.input([2, gates], seed: 12),
                      Self.input([units, gates], seed: 13).map { $0 * 0.5 }, Self.input([gates], seed: 14)]
        if cell == .gru { inputs.append(Self.input([gates], seed: 15)) }
        let mask = Tensor(shape: [2, 3], scalars: [1, 1, 1, 0, 1, 1])
        GradientCheckTests.expectGradients(inputs) { v in
            let y = recurrent(v[0], cell: cell, kernel: v[1], recurrentKernel: v[2], bias: v[3],
                              recurrentBias: cell == .gru ? v[4] : nil, mask: mask)
            return GradientCheckTests.weighted(y)
        }
    }

    /// 33 rows: the step loops run in two chunks of rows on two threads (when there are two cores).
    @Test(arguments: RecurrentCell.allCases)
    func batchSplitIntoConcurrentChunks(_ cell: RecurrentCell) {
        let (batch, units) = (33, 2)
        let gates = cell.gateCount * units
        var inputs = [Self.input([batch, 3, 2], seed: 21), Self.input([2, gates], seed: 22),
                      Self.input([units, gates], seed: 23), Self.input([gates], seed: 24)]
        if cell == .gru { inputs.append(Self.input([gates], seed: 25)) }
        inputs.append(Self.input([batch, units], seed: 26))
        if cell == .lstm { inputs.append(Self.input([batch, units], seed: 27)) }
        let mask = Tensor(shape: [batch, 3], scalars: (0..<(batch * 3)).map { $0 % 7 == 3 ? 0 : 1 })
        GradientCheckTests.expectGradients(inputs) { v in
            GradientCheckTests.weighted(Self.run(cell, v, mask: mask, reverse: cell == .gru))
        }
    }

    /// Word indices with repeats and a table row (4) no position uses.
    static let words = Tensor(shape: [2, 4], scalars: [1, 0, 3, 1, 3, 3, 2, 0])

    /// `recurrent(tokens:table:…)` with the table in place of x: v[0] is the table `[5, features]`.
    static func runOnWords(_ cell: RecurrentCell, _ v: [Variable], mask: Tensor? = nil, reverse: Bool = false) -> Variable {
        let recurrentBias = cell == .gru ? v[4] : nil
        let stateIndex = cell == .gru ? 5 : 4
        return recurrent(tokens: words, table: v[0], cell: cell, kernel: v[1], recurrentKernel: v[2], bias: v[3],
                         recurrentBias: recurrentBias, initialState: v[stateIndex],
                         initialCellState: cell == .lstm ? v[5] : nil, mask: mask, reverse: reverse)
    }

    static func wordInputs(_ cell: RecurrentCell) -> [Tensor] {
        [input([5, features], seed: 11)] + inputs(cell).dropFirst()
    }

    @Test(arguments: RecurrentCell.allCases, [false, true])
    func projectionPerDistinctWord(_ cell: RecurrentCell, reverse: Bool) {
        GradientCheckTests.expectGradients(Self.wordInputs(cell)) { v in
            GradientCheckTests.weighted(Self.runOnWords(cell, v, mask: Self.mask, reverse: reverse))
        }
    }

    /// The per-word computation gives what an embedding followed by the dense recurrence gives:
    /// the same states and the same gradient for the table and every weight.
    @Test(arguments: RecurrentCell.allCases)
    func projectionPerDistinctWordEqualsEmbeddingThenRecurrence(_ cell: RecurrentCell) {
        let tensors = Self.wordInputs(cell)
        func run(perWord: Bool) -> (Tensor, [Tensor]) {
            let v = tensors.map { Variable($0, requiresGrad: true) }
            let y: Variable
            if perWord {
                y = Self.runOnWords(cell, v, mask: Self.mask, reverse: true)
            } else {
                y = Self.run(cell, [embedding(Self.words, table: v[0])] + v.dropFirst(), mask: Self.mask, reverse: true)
            }
            GradientCheckTests.weighted(y).backward()
            return (y.value, v.map { $0.grad! })
        }
        let (perWord, perWordGradients) = run(perWord: true)
        let (dense, denseGradients) = run(perWord: false)
        #expect(zip(perWord.scalars, dense.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
        for (index, (a, b)) in zip(perWordGradients, denseGradients).enumerated() {
            #expect(a.shape == b.shape)
            #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "input \(index)")
        }
        // The unused table row gets no gradient.
        #expect(perWordGradients[0].scalars[(4 * Self.features)...].allSatisfy { $0 == 0 })
    }

    @Test func embeddingWithRepeatedIndices() {
        let ids = Tensor(shape: [2, 3], scalars: [1, 0, 1, 3, 1, 2])
        GradientCheckTests.expectGradients([Self.input([4, 3], seed: 8)]) { v in
            GradientCheckTests.weighted(embedding(ids, table: v[0]))
        }
    }

    @Test func timeStepAndConcatenation() {
        GradientCheckTests.expectGradients([Self.input([2, 3, 2], seed: 9), Self.input([2, 3], seed: 10)]) { v in
            GradientCheckTests.weighted(concatenateLast(timeStep(v[0], 1), v[1]))
        }
    }
}
