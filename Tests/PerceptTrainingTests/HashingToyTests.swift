import PerceptAutograd
import PerceptData
import PerceptNN
import PerceptTensor
import PerceptTraining
import Testing

/// The example of docs/recurrent.md (seed 002): ten short documents encoded with the hashing
/// trick, padded to four words, `Embedding → Flatten → Dense(1)` with binary cross-entropy.
@Suite("The hashing-trick toy")
struct HashingToyTests {
    @Test func learnsTheTenDocuments() throws {
        let documents = ["Well done!", "Good work", "Great effort", "nice work", "Excellent!",
                         "Weak", "Poor effort!", "not good", "poor work", "Could have done better."]
        let labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
        let vocabularySize = 50
        let encoded = documents.map { hashingOneHot($0, n: vocabularySize) }
        let padded = padSequences(encoded, maxLength: 4, padding: .post)
        #expect(padded.shape == [10, 4])

        let model = Sequential {
            Embedding(inputDimension: vocabularySize, outputDimension: 8)
            Flatten()
            Dense(1)
        }
        try model.build(inputShape: [4], seed: 0)
        #expect(model.parameterCount == 433)  // as in the seed's Keras summary: 400 + 33
        model.compile(optimizer: Adam(), loss: .binaryCrossEntropy)
        try model.fit(padded, labels, epochs: 50, batchSize: 32, seed: 0, verbose: .silent)
        let accuracy = try model.evaluate(padded, labels).accuracy
        #expect(accuracy >= 0.9, "training accuracy \(accuracy)")
    }
}
