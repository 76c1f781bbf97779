import PerceptNN
import PerceptTensor
import PerceptTraining
import Testing

@Suite("word indices given to an embedding")
struct EmbeddingInputTests {
    private func model() throws -> Sequential {
        let model = Sequential {
            Embedding(inputDimension: 10, outputDimension: 3, maskZero: true)
            LSTM(2)
            Dense(1)
        }
        try model.build(inputShape: [4])
        model.compile(optimizer: Adam(), loss: .binaryCrossEntropy)
        return model
    }

    @Test func anIndexOutsideTheTableIsAnErrorNamingItsPlace() throws {
        let x = Tensor(shape: [2, 4], scalars: [0, 1, 2, 3, 4, 5, 12, 6])
        let expected = ModelError.invalidInputValue(
            layer: "embedding", sample: 1, position: 2,
            reason: "index 12.0 is not a whole number in 0..<10 (the embedding's input dimension; is the vocabulary larger than the model's?)")
        #expect(throws: expected) { _ = try model().predict(x) }
        #expect(throws: expected) { _ = try model().evaluate(x, [0, 1]) }
        #expect(throws: expected) { try model().fit(x, [0, 1], verbose: .silent) }
    }

    @Test func negativeAndFractionalIndicesAreRefused() throws {
        #expect(throws: ModelError.self) { _ = try model().predict(Tensor(shape: [1, 4], scalars: [0, -1, 2, 3])) }
        #expect(throws: ModelError.self) { _ = try model().predict(Tensor(shape: [1, 4], scalars: [0, 1.5, 2, 3])) }
        #expect(throws: ModelError.self) { _ = try model().predict(Tensor(shape: [1, 4], scalars: [0, .nan, 2, 3])) }
        #expect(try model().predict(Tensor(shape: [1, 4], scalars: [0, 0, 9, 3])).shape == [1, 1])
    }
}
