import Foundation
import PerceptData
import PerceptIO
import PerceptNN
import PerceptTensor
import PerceptTraining
import Testing

/// Padded word indices `[n, steps]` (zeros at the start of short rows) and binary labels.
private func paddedSequences(count: Int = 24, steps: Int = 7, vocabulary: Int = 20) -> (Tensor, [Int]) {
    var generator = RandomGenerator(seed: 11)
    var labels: [Int] = []
    let x = Tensor(shape: [count, steps]) { out in
        for row in 0..<count {
            let length = 2 + row % (steps - 1)
            for step in 0..<steps {
                out[row * steps + step] = step < steps - length ? 0 : Float(1 + Int(generator.nextUniform() * Float(vocabulary - 1)))
            }
            labels.append(Int(out[row * steps + steps - 1]) % 2)
        }
    }
    return (x, labels)
}

/// Trains `model` briefly, saves it, loads it and checks bit-identical outputs and weights.
private func expectRoundTrip(_ model: Sequential, x: Tensor, y: [Int], loss: Loss) throws -> Sequential {
    model.compile(optimizer: Adam(learningRate: 0.01), loss: loss)
    try model.fit(x, y, epochs: 2, batchSize: 8, seed: 3, verbose: .silent)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("percept-rnn-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile.save(model, to: url)
    let loaded = try ModelFile.load(from: url)
    #expect(loaded.summary() == model.summary())
    #expect(loaded.parameters.map(\.value) == model.parameters.map(\.value))
    #expect(try loaded.rawOutputs(x) == (try model.rawOutputs(x)))
    return loaded
}

@Suite("model files of recurrent networks and batch normalization")
struct RecurrentModelFileTests {
    @Test func aMaskedBidirectionalLSTMRoundTrips() throws {
        let (x, y) = paddedSequences()
        let model = Sequential {
            Embedding(inputDimension: 20, outputDimension: 5, maskZero: true)
            Bidirectional(LSTM(4, dropout: 0.1, truncation: 3))
            Dense(1)
        }
        try model.build(inputShape: [7], seed: 1)
        let loaded = try expectRoundTrip(model, x: x, y: y, loss: .binaryCrossEntropy)
        let embedding = try #require(loaded.layers[0] as? Embedding)
        #expect(embedding.maskZero && embedding.inputDimension == 20)
        let bidirectional = try #require(loaded.layers[1] as? Bidirectional)
        #expect(bidirectional.merge == .concatenate && bidirectional.forwardLayer is LSTM)
        #expect(bidirectional.forwardLayer.truncation == 3 && bidirectional.forwardLayer.dropout == 0.1)
        #expect(!bidirectional.forwardLayer.goBackwards && bidirectional.backwardLayer.goBackwards)
        let names = try ModelFile.encode(model).tensors.map(\.name)
        #expect(names.prefix(4) == ["embedding.embeddings", "bidirectional.forward.kernel", "bidirectional.forward.recurrent_kernel",
                                    "bidirectional.forward.bias"])
        #expect(names.contains("bidirectional.backward.kernel"))
    }

    @Test func stackedGRUAndBackwardSimpleRNNWithSummedDirectionsRoundTrip() throws {
        let (x, y) = paddedSequences()
        let model = Sequential {
            Embedding(inputDimension: 20, outputDimension: 4, maskZero: true)
            GRU(5, returnSequences: true)
            Bidirectional(GRU(3, returnSequences: true), merge: .sum)
            SimpleRNN(3, goBackwards: true)
            Dense(2)
        }
        try model.build(inputShape: [7], seed: 2)
        let loaded = try expectRoundTrip(model, x: x, y: y, loss: .crossEntropy)
        let gru = try #require(loaded.layers[1] as? GRU)
        #expect(gru.returnSequences && gru.recurrentBias?.value == (model.layers[1] as? GRU)?.recurrentBias?.value)
        #expect((loaded.layers[3] as? SimpleRNN)?.goBackwards == true)
        #expect((loaded.layers[2] as? Bidirectional)?.merge == .sum)
    }

    @Test func unmaskedSequencesOfFeatureVectorsRoundTrip() throws {
        var generator = RandomGenerator(seed: 5)
        let x = Tensor.uniform(shape: [16, 6, 3], low: -1, high: 1, generator: &generator)
        let model = Sequential {
            LSTM(4, returnSequences: true)
            LSTM(4)
            Dense(3)
        }
        try model.build(inputShape: [6, 3], seed: 4)
        _ = try expectRoundTrip(model, x: x, y: (0..<16).map { $0 % 3 }, loss: .crossEntropy)
    }

    @Test func batchNormalizationKeepsItsMovingStatistics() throws {
        var generator = RandomGenerator(seed: 9)
        let x = Tensor.uniform(shape: [32, 5], low: 2, high: 6, generator: &generator)
        let model = Sequential {
            Dense(6, activation: .relu)
            BatchNormalization(momentum: 0.8, epsilon: 1e-3)
            Dense(2)
        }
        try model.build(inputShape: [5], seed: 1)
        let loaded = try expectRoundTrip(model, x: x, y: (0..<32).map { $0 % 2 }, loss: .crossEntropy)
        let original = try #require(model.layers[1] as? BatchNormalization)
        let restored = try #require(loaded.layers[1] as? BatchNormalization)
        #expect(original.movingMean != Tensor(zeros: [6]), "training moved the statistics")
        #expect(restored.movingMean == original.movingMean && restored.movingVariance == original.movingVariance)
        #expect(restored.momentum == 0.8 && restored.epsilon == 1e-3)
        let file = try ModelFile.encode(model)
        #expect(file["batch_normalization.moving_variance"] == original.movingVariance)
        var missing = file
        missing.tensors.removeAll { $0.name == "batch_normalization.moving_mean" }
        #expect(throws: IOError.malformed(path: "b", reason: "tensor 'batch_normalization.moving_mean' is missing")) {
            _ = try ModelFile.decode(missing, path: "b")
        }
    }

    @Test func aTextClassifierKeepsItsVocabularyAndPadding() throws {
        let documents = [["great", "film"], ["awful", "film"], ["great", "cast"], ["boring", "awful", "plot"]]
        let vocabulary = Vocabulary(documents: documents, size: 9)
        let network = ModelZoo.textClassifier(.gru, vocabularySize: 9, embeddingSize: 3, units: 2)
        try network.build(inputShape: [5], seed: 1)
        network.compile(optimizer: Adam(), loss: .binaryCrossEntropy)
        let classifier = TextClassifier(network: network, vocabulary: vocabulary, maxLength: 5, padding: .post, truncating: .post)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("percept-text-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try classifier.save(to: url)
        guard case let .textClassifier(loaded) = try SavedModel.load(from: url) else {
            Issue.record("not read back as a text classifier")
            return
        }
        #expect(loaded.vocabulary == vocabulary && loaded.maxLength == 5 && loaded.padding == .post && loaded.truncating == .post)
        let texts = ["A great film!", "Awful, boring plot<br />of a film. Great? No.", ""]
        #expect(loaded.encode(texts) == classifier.encode(texts))
        #expect(try loaded.positiveProbabilities(texts) == (try classifier.positiveProbabilities(texts)))

        var file = try classifier.encoded()
        let json = file.metadata[TextClassifier.metadataKey]!
        file.metadata[TextClassifier.metadataKey] = json.replacingOccurrences(of: "\"vocabulary_size\":9", with: "\"vocabulary_size\":90")
        #expect(throws: IOError.malformed(
            path: "t", reason: "a vocabulary of 90 indices and 6 words does not fit the embedding's 9 rows")) {
            _ = try TextClassifier.decode(file, path: "t")
        }
    }
}
