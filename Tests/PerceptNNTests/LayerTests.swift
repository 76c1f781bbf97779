import PerceptAutograd
import PerceptNN
import PerceptTensor
import Testing

@Suite("Layers and models")
struct LayerTests {
    @Test func theSeedNetworkHasKerasParameterCounts() throws {
        let model = ModelZoo.mlp(hidden: [256, 256], classes: 10)
        try model.build(inputShape: [28, 28], seed: 0)
        // Keras: 784·256 + 256 = 200,960; 256·256 + 256 = 65,792; 256·10 + 10 = 2,570.
        #expect(model.parameterCount == 269_322)
        #expect(model.outputShapes == [[784], [256], [256], [10]])
        let summary = model.summary()
        #expect(summary.contains(" flatten (Flatten)            (None, 784)               0"))
        #expect(summary.contains(" dense (Dense)                (None, 256)               200,960"))
        #expect(summary.contains(" dense_1 (Dense)              (None, 256)               65,792"))
        #expect(summary.contains(" dense_2 (Dense)              (None, 10)                2,570"))
        #expect(summary.contains("Total params: 269,322"))
        #expect(summary.contains("Trainable params: 269,322"))
    }

    @Test func denseWithoutFlattenNamesTheLayerAndTheShape() {
        let model = Sequential { Dense(10) }
        #expect(throws: ModelError.incompatibleInput(layer: "dense", expected: "[features] (add Flatten first)", got: [28, 28])) {
            try model.build(inputShape: [28, 28])
        }
        let message = ModelError.incompatibleInput(layer: "dense", expected: "[features] (add Flatten first)", got: [28, 28]).description
        #expect(message.contains("dense") && message.contains("[28, 28]") && message.contains("Flatten"))
    }

    @Test func initialisersHaveTheirDocumentedSpread() throws {
        var generator = RandomGenerator(seed: 5)
        let glorot = Initializer.glorotUniform.make(shape: [400, 600], fanIn: 400, fanOut: 600, generator: &generator)
        let limit = (6.0 / 1000.0).squareRoot()
        #expect(glorot.scalars.allSatisfy { abs(Double($0)) <= limit })
        #expect(abs(Double(glorot.map { $0 * $0 }.mean()) - limit * limit / 3) < 1e-4)
        let he = Initializer.heNormal.make(shape: [500, 400], fanIn: 500, fanOut: 400, generator: &generator)
        #expect(abs(Double(he.map { $0 * $0 }.mean()) - 2.0 / 500) < 1e-4)
    }

    @Test func sameSeedSameWeights() throws {
        let a = ModelZoo.mlp(hidden: [8], classes: 3)
        let b = ModelZoo.mlp(hidden: [8], classes: 3)
        let c = ModelZoo.mlp(hidden: [8], classes: 3)
        try a.build(inputShape: [4], seed: 11)
        try b.build(inputShape: [4], seed: 11)
        try c.build(inputShape: [4], seed: 12)
        #expect(a.parameters.map(\.value) == b.parameters.map(\.value))
        #expect(a.parameters.map(\.value) != c.parameters.map(\.value))
    }

    @Test func dropoutZeroesAndRescalesWhileTrainingOnly() {
        let layer = Dropout(0.25)
        let input = Variable(Tensor(repeating: 1, shape: [100, 100]))
        let training = layer.forward(input, context: ForwardContext(isTraining: true, generator: RandomGenerator(seed: 3))).value
        let kept = training.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
        let inference = layer.forward(input, context: ForwardContext(isTraining: false)).value
        #expect(inference == input.value)
    }

    @Test func denseComputesTheAffineMapAndActivation() throws {
        let layer = Dense(2, activation: .relu)
        var generator = RandomGenerator(seed: 0)
        _ = try layer.build(inputShape: [3], generator: &generator)
        layer.kernel!.value = Tensor(shape: [3, 2], scalars: [1, -1, 2, 0, 0, 3])
        layer.bias!.value = Tensor(shape: [2], scalars: [0.5, -10])
        let out = layer.forward(Variable(Tensor(shape: [1, 3], scalars: [1, 2, 3])), context: ForwardContext(isTraining: false))
        // x·W = [1 + 4, −1 + 9] = [5, 8]; + b = [5.5, −2]; relu → [5.5, 0].
        #expect(out.value.scalars == [5.5, 0])
    }

    @Test func l2PenaltyIsHalfLambdaTimesTheSquaredNorm() throws {
        let layer = Dense(1, kernelRegularizer: .l2(0.5))
        var generator = RandomGenerator(seed: 0)
        _ = try layer.build(inputShape: [2], generator: &generator)
        layer.kernel!.value = Tensor(shape: [2, 1], scalars: [3, 4])
        #expect(layer.regularizationPenalty()?.value.scalar == 0.25 * 25)
    }
}
