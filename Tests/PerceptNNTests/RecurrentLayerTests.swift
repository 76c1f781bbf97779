import PerceptAutograd
import PerceptNN
import PerceptTensor
import Testing

@Suite("Embedding and recurrent layers")
struct RecurrentLayerTests {
    /// Keras's counts for the same layers on 128-wide word vectors, 64 units: LSTM 4·(128·64 + 64·64 + 64),
    /// GRU with reset_after 3·(128·64 + 64·64 + 2·64), SimpleRNN 128·64 + 64·64 + 64.
    @Test(arguments: [
        (ModelZoo.RecurrentKind.lstm, 49_408, "lstm (LSTM)"), (.gru, 37_248, "gru (GRU)"),
        (.simpleRNN, 12_352, "simple_rnn (SimpleRNN)"), (.bidirectionalLSTM, 98_816, "bidirectional (Bidirectional)"),
        (.stackedLSTM, 49_408 + 33_024, "lstm_1 (LSTM)"),
    ])
    func parameterCountsAndNamesMatchKeras(kind: ModelZoo.RecurrentKind, recurrentParameters: Int, row: String) throws {
        let model = ModelZoo.textClassifier(kind, vocabularySize: 10_000, embeddingSize: 128, units: 64)
        try model.build(inputShape: [80], seed: 1)
        let dense = kind == .bidirectionalLSTM ? 129 : 65
        #expect(model.parameterCount == 1_280_000 + recurrentParameters + dense)
        #expect(model.summary().contains(row))
        #expect(model.outputShapes.first == [80, 128])
        #expect(model.outputShape == [1])
    }

    @Test func returnSequencesKeepsTheTimeAxisAndBidirectionalConcatenatesOrSums() throws {
        var generator = RandomGenerator(seed: 2)
        let sequence = LSTM(5, returnSequences: true)
        #expect(try sequence.build(inputShape: [7, 3], generator: &generator) == [7, 5])
        let concatenated = Bidirectional(GRU(4))
        #expect(try concatenated.build(inputShape: [7, 3], generator: &generator) == [8])
        let summed = Bidirectional(SimpleRNN(4, returnSequences: true), merge: .sum)
        #expect(try summed.build(inputShape: [7, 3], generator: &generator) == [7, 4])
        let x = Variable(Tensor.uniform(shape: [2, 7, 3], low: -1, high: 1, generator: &generator))
        let context = ForwardContext(isTraining: false)
        #expect(sequence.forward(x, context: context).shape == [2, 7, 5])
        #expect(concatenated.forward(x, context: context).shape == [2, 8])
        #expect(summed.forward(x, context: context).shape == [2, 7, 4])
        #expect(throws: ModelError.self) { try LSTM(3).build(inputShape: [7], generator: &generator) }
    }

    /// A recurrent layer straight after an embedding projects per distinct word; fed a copy of the
    /// embedded vectors it takes the dense path. Both give the same output and table gradient.
    @Test(arguments: [false, true])
    func recurrentAfterEmbeddingMatchesTheDensePath(bidirectional: Bool) throws {
        var generator = RandomGenerator(seed: 4)
        let embedding = Embedding(inputDimension: 12, outputDimension: 5, maskZero: true)
        _ = try embedding.build(inputShape: [6], generator: &generator)
        let recurrentLayer: any Layer = bidirectional ? Bidirectional(GRU(3)) : LSTM(3)
        _ = try recurrentLayer.build(inputShape: [6, 5], generator: &generator)
        let words = Variable(Tensor(shape: [3, 6], scalars: [0, 0, 4, 7, 4, 11, 3, 3, 3, 3, 9, 1, 0, 2, 8, 2, 5, 7]))
        func run(throughCopy: Bool) -> (Tensor, Tensor) {
            let context = ForwardContext(isTraining: true)
            var embedded = embedding.forward(words, context: context)
            if throughCopy { embedded = embedded * Variable(Tensor(repeating: 1, shape: embedded.shape)) }
            let y = recurrentLayer.forward(embedded, context: context)
            sum(y * y).backward()
            defer { for p in embedding.parameters + recurrentLayer.parameters { p.grad = nil } }
            return (y.value, embedding.table!.grad!)
        }
        let (perWord, perWordTable) = run(throughCopy: false)
        let (dense, denseTable) = run(throughCopy: true)
        #expect(zip(perWord.scalars, dense.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(zip(perWordTable.scalars, denseTable.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func maskZeroMakesPaddingInvisibleToTheLastState() throws {
        // The same review with two or five padding indices in front gives the same output.
        let model = ModelZoo.textClassifier(.lstm, vocabularySize: 20, embeddingSize: 4, units: 3)
        try model.build(inputShape: [8], seed: 3)
        let rows = Tensor(shape: [2, 8], scalars: [0, 0, 1, 5, 7, 9, 4, 11, 0, 0, 0, 0, 0, 1, 5, 7])
        let shifted = Tensor(shape: [2, 8], scalars: [0, 0, 0, 0, 0, 1, 5, 7, 0, 0, 1, 5, 7, 9, 4, 11])
        let context = ForwardContext(isTraining: false)
        let a = withoutGradients { model(Variable(rows), context: context).value }
        let b = withoutGradients { model(Variable(shifted), context: context).value }
        #expect(abs(a.scalars[0] - b.scalars[1]) < 1e-6)
        #expect(abs(a.scalars[1] - b.scalars[0]) < 1e-6)
        #expect(abs(a.scalars[0] - a.scalars[1]) > 1e-6)
    }

    @Test func initialStateIsUsedAndReceivesGradients() throws {
        var generator = RandomGenerator(seed: 4)
        let layer = LSTM(3)
        _ = try layer.build(inputShape: [4, 2], generator: &generator)
        let x = Variable(Tensor.uniform(shape: [2, 4, 2], low: -1, high: 1, generator: &generator))
        let h0 = Variable(Tensor(repeating: 0.5, shape: [2, 3]), requiresGrad: true)
        let c0 = Variable(Tensor(repeating: -0.5, shape: [2, 3]), requiresGrad: true)
        let context = ForwardContext(isTraining: false)
        let fromZero = layer(x, initialState: nil, context: context)
        let fromState = layer(x, initialState: [h0, c0], context: context)
        #expect(fromZero.value != fromState.value)
        sum(fromState).backward()
        #expect(h0.grad != nil && c0.grad != nil)
        #expect(h0.grad!.squaredNorm() > 0 && c0.grad!.squaredNorm() > 0)
    }

    @Test func recurrentKernelBlocksAreOrthogonal() throws {
        var generator = RandomGenerator(seed: 6)
        let layer = GRU(5)
        _ = try layer.build(inputShape: [3, 2], generator: &generator)
        let u = try #require(layer.recurrentKernel).value
        for block in 0..<3 {
            for i in 0..<5 {
                for j in 0..<5 {
                    var dot: Float = 0
                    for r in 0..<5 { dot += u[r, block * 5 + i] * u[r, block * 5 + j] }
                    #expect(abs(dot - (i == j ? 1 : 0)) < 1e-5)
                }
            }
        }
        let lstm = LSTM(2)
        _ = try lstm.build(inputShape: [3, 2], generator: &generator)
        #expect(try #require(lstm.bias).value.scalars == [0, 0, 1, 1, 0, 0, 0, 0])
    }
}
