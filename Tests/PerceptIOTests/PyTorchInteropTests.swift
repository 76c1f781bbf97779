import Foundation
import PerceptData
@testable import PerceptIO
import PerceptNN
import PerceptTensor
import PerceptTraining
import Testing

/// An MLP trained and saved by PyTorch (fixture made by `bench/peers/make_torch_mlp_fixture.py`)
/// loads into Percept's MLP and gives PyTorch's logits.
@Suite("PyTorch interoperability")
struct PyTorchInteropTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/torch-mlp-784-32-10.safetensors")

    @Test func aPyTorchMLPGivesPyTorchsLogits() throws {
        let file = try SafetensorsFile.read(contentsOf: Self.fixture)
        let model = ModelZoo.mlp(hidden: [32], classes: 10)
        try model.build(inputShape: [28, 28])
        try PyTorchWeights.load(file, into: model, path: Self.fixture.path)
        let images = try MNIST.loadEmbedded(split: .test).features.rows(0..<16)
        let logits = try model.rawOutputs(images)
        let expected = try #require(file["expected_logits"])
        #expect(logits.shape == expected.shape)
        let worst = zip(logits.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest logit difference \(worst)")
    }

    @Test func perceptKernelsTransposedAreWhatPyTorchLoads() throws {
        // The other direction: a Percept model's kernels, transposed, are what PyTorch's Linear expects.
        let model = ModelZoo.mlp(hidden: [3], classes: 2)
        try model.build(inputShape: [4], seed: 1)
        let saved = try ModelFile.encode(model)
        let kernel = try #require(saved["dense.kernel"])
        #expect(kernel.shape == [4, 3])
        let copy = ModelZoo.mlp(hidden: [3], classes: 2)
        try copy.build(inputShape: [4], seed: 2)
        let asTorch = SafetensorsFile(tensors: [
            ("1.weight", PyTorchWeights.transposedForTest(kernel)), ("1.bias", saved["dense.bias"]!),
            ("3.weight", PyTorchWeights.transposedForTest(saved["dense_1.kernel"]!)), ("3.bias", saved["dense_1.bias"]!),
        ])
        try PyTorchWeights.load(asTorch, into: copy, path: "t")
        #expect(copy.parameters.map(\.value) == model.parameters.map(\.value))
    }

    @Test func mismatchedStateDictsAreRefused() throws {
        let model = ModelZoo.mlp(hidden: [16], classes: 10)
        try model.build(inputShape: [28, 28])
        let file = try SafetensorsFile.read(contentsOf: Self.fixture)
        do {
            try PyTorchWeights.load(file, into: model, path: "torch.safetensors")
            Issue.record("a 32-unit state dict loaded into a 16-unit model")
        } catch {
            #expect("\(error)" == "torch.safetensors: not a valid file: 1.weight should be [16, 784] for dense, found [32, 784]")
        }
        #expect(PyTorchWeights.naturalOrder("2", "10") && PyTorchWeights.naturalOrder("features.2", "features.10"))
        #expect(!PyTorchWeights.naturalOrder("classifier", "10"))
    }
}

extension PyTorchWeights {
    static func transposedForTest(_ matrix: Tensor) -> Tensor {
        var out = Tensor(zeros: [matrix.shape[1], matrix.shape[0]])
        for r in 0..<matrix.shape[0] { for c in 0..<matrix.shape[1] { out[c, r] = matrix[r, c] } }
        return out
    }
}

/// A LeNet-5 trained and saved by PyTorch (fixture made by `bench/peers/make_torch_lenet5_fixture.py`)
/// loads into Percept's `lenet5` — channels-first kernels and flatten order converted — and gives
/// PyTorch's logits on the 2,000 test images of the embedded subset.
@Suite("PyTorch LeNet-5 interoperability")
struct PyTorchLeNetTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/torch-lenet5.safetensors")

    @Test func aPyTorchLeNet5GivesPyTorchsLogits() throws {
        let file = try SafetensorsFile.read(contentsOf: Self.fixture)
        let model = ModelZoo.lenet5()
        try model.build(inputShape: [28, 28])
        try PyTorchWeights.load(file, into: model, path: Self.fixture.path)
        let images = try MNIST.loadEmbedded(split: .test).features
        let logits = try model.rawOutputs(images)
        let expected = try #require(file["expected_logits"])
        #expect(logits.shape == expected.shape)
        let worst = zip(logits.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest logit difference \(worst)")
    }
}

@Suite("model files of every family")
struct ModelFamilyRoundTripTests {
    @Test func aConvolutionalNetworkRoundTripsBitIdentically() throws {
        let model = ModelZoo.lenet5()
        try model.build(inputShape: [28, 28], seed: 3)
        model.compile(optimizer: Adam(), loss: .crossEntropy)
        let images = try MNIST.loadEmbedded(split: .test).features.rows(0..<32)
        let loaded = try ModelFile.decode(try SafetensorsFile.decode(try ModelFile.encode(model).encoded(), path: "m"), path: "m")
        #expect(loaded.summary() == model.summary())
        #expect(try loaded.predict(images) == (try model.predict(images)))
    }
}
