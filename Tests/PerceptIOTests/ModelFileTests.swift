import Foundation
import PerceptAutograd
import PerceptIO
import PerceptNN
import PerceptTensor
import PerceptTraining
import Testing

func trainedModel(seed: UInt64 = 1) throws -> (Sequential, Tensor) {
    var generator = RandomGenerator(seed: seed)
    let x = Tensor.uniform(shape: [64, 4, 3], low: 0, high: 1, generator: &generator)
    let y = (0..<64).map { $0 % 3 }
    let model = Sequential {
        Flatten()
        Dense(8, activation: .relu, kernelRegularizer: .l2(1e-3))
        Dropout(0.2)
        Dense(5, activation: .tanh, useBias: false)
        ActivationLayer(.sigmoid)
        Dense(3)
    }
    model.compile(optimizer: Adam(learningRate: 0.01), loss: .crossEntropy)
    try model.fit(x, y, epochs: 2, batchSize: 16, seed: seed, verbose: .silent)
    return (model, x)
}

@Suite("model files")
struct ModelFileTests {
    @Test func aLoadedModelPredictsBitIdentically() throws {
        let (model, x) = try trainedModel()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("percept-model-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelFile.save(model, to: url)
        let loaded = try ModelFile.load(from: url)
        #expect(loaded.inputShape == [4, 3])
        #expect(loaded.loss == .crossEntropy)
        #expect(loaded.layers.map(\.name) == model.layers.map(\.name))
        #expect(loaded.summary() == model.summary())
        #expect(try loaded.predict(x) == (try model.predict(x)))
        #expect(loaded.parameters.map(\.value) == model.parameters.map(\.value))
        #expect(loaded.regularizationPenalty()?.value == model.regularizationPenalty()?.value)
    }

    @Test func tensorsAreNamedByLayerAndParameter() throws {
        let (model, _) = try trainedModel()
        let file = try ModelFile.encode(model)
        #expect(file.tensors.map(\.name) == ["dense.kernel", "dense.bias", "dense_1.kernel", "dense_2.kernel", "dense_2.bias"])
        #expect(file["dense.kernel"]?.shape == [12, 8])
    }

    @Test func brokenModelFilesAreRefused() throws {
        let (model, _) = try trainedModel()
        var file = try ModelFile.encode(model)
        var missing = file
        missing.tensors.removeLast()
        #expect(throws: IOError.malformed(path: "m", reason: "tensor 'dense_2.bias' is missing")) {
            _ = try ModelFile.decode(missing, path: "m")
        }
        var reshaped = file
        reshaped.tensors[0].tensor = Tensor(zeros: [8, 12])
        #expect(throws: IOError.malformed(path: "m", reason: "tensor 'dense.kernel' has shape [8, 12], the layer needs [12, 8]")) {
            _ = try ModelFile.decode(reshaped, path: "m")
        }
        var poisoned = file
        poisoned.tensors[1].tensor = Tensor(shape: [8], scalars: [0, 0, 0, .nan, 0, 0, 0, 0])
        #expect(throws: IOError.malformed(path: "m", reason: "tensor 'dense.bias' holds NaN or infinite values")) {
            _ = try ModelFile.decode(poisoned, path: "m")
        }
        var extra = file
        extra.tensors.append(("stray", Tensor(1)))
        #expect(throws: IOError.malformed(path: "m", reason: "unexpected tensors: stray")) {
            _ = try ModelFile.decode(extra, path: "m")
        }
        var plain = file
        plain.metadata = [:]
        #expect(throws: IOError.self) { _ = try ModelFile.decode(plain, path: "m") }
        file.metadata[ModelFile.architectureKey] = file.metadata[ModelFile.architectureKey]!
            .replacingOccurrences(of: "\"Dropout\"", with: "\"Dropin\"")
        do {
            _ = try ModelFile.decode(file, path: "m")
            Issue.record("an unknown layer type was accepted")
        } catch {
            #expect("\(error)".contains("Dropin") && "\(error)".contains("unknown layer type"))
        }
    }

    @Test func aLayerThatCannotBeSavedIsNamed() throws {
        final class Custom: Layer {
            var name = "custom"
            var typeName: String { "Custom" }
            func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] { inputShape }
            func forward(_ input: Variable, context: ForwardContext) -> Variable { input }
        }
        let model = Sequential([Custom()])
        try model.build(inputShape: [2])
        #expect(throws: IOError.cannotSave(reason: "layer custom (Custom) cannot be saved yet")) {
            _ = try ModelFile.encode(model)
        }
    }
}

@Suite("checkpoints")
struct CheckpointTests {
    @Test func resumingFromACheckpointEndsLikeTheUninterruptedRun() throws {
        var generator = RandomGenerator(seed: 4)
        let x = Tensor.uniform(shape: [80, 6], low: -1, high: 1, generator: &generator)
        let y = (0..<80).map { $0 % 4 }
        func makeModel() -> Sequential {
            let model = Sequential {
                Dense(12, activation: .relu)
                Dropout(0.25)
                Dense(4)
            }
            return model
        }
        func run(_ model: Sequential, stopAfter: Int? = nil, progress: TrainingProgress? = nil,
                 directory: URL? = nil) throws -> History {
            let optimizer = Adam(learningRate: 0.02)
            model.compile(optimizer: optimizer, loss: .crossEntropy)
            var callbacks = [LearningRateSchedule.cosine(minimumFraction: 0.1).callback(for: optimizer)]
            if let directory { callbacks.append(CheckpointWriter(model: model, directory: directory).callback) }
            if let stopAfter {
                callbacks.append(Callback { event in
                    if case let .epochEnded(record) = event, record.epoch == stopAfter { return .stopTraining }
                    return .proceed
                })
            }
            return try model.fit(x, y, epochs: 5, batchSize: 16, validationSplit: 0.25, seed: 9, callbacks: callbacks,
                                 verbose: .silent, resumingFrom: progress)
        }
        let whole = makeModel()
        try whole.build(inputShape: [6], seed: 9)
        let uninterrupted = try run(whole)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("percept-checkpoint-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = makeModel()
        try first.build(inputShape: [6], seed: 9)
        _ = try run(first, stopAfter: 2, directory: directory)
        let (restored, progress) = try Checkpoint.read(from: directory)
        #expect(progress.completedEpochs == 2)
        let resumed = try run(restored, progress: progress)

        func metrics(_ history: History) -> [Double] {
            history.epochs.flatMap { [$0.loss, $0.accuracy, $0.validationLoss!, $0.validationAccuracy!] }
        }
        #expect(resumed.epochs.count == 5)
        #expect(metrics(resumed) == metrics(uninterrupted))
        #expect(restored.parameters.map(\.value) == whole.parameters.map(\.value))
    }

    @Test func aDirectoryWithoutACheckpointIsNamed() {
        do {
            _ = try Checkpoint.read(from: URL(fileURLWithPath: "/nonexistent-dir"))
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("/nonexistent-dir/checkpoint.safetensors"))
        }
    }
}
