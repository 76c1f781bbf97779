import PerceptAutograd
import PerceptNN
import PerceptTensor
import Testing

@Suite("Convolutional layers and the zoo's networks")
struct ConvolutionalLayerTests {
    /// Expects `summary` to contain `row` verbatim.
    static func expectRow(_ summary: String, _ row: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(summary.contains(row), "summary lacks \"\(row)\":\n\(summary)", sourceLocation: sourceLocation)
    }

    @Test func seed002CIFARNetworkHasKerasParameterCounts() throws {
        let model = ModelZoo.cifarCNN()
        try model.build(inputShape: [32, 32, 3], seed: 0)
        let summary = model.summary()
        // Seed 002's Keras summary.
        Self.expectRow(summary, " conv2d (Conv2D)              (None, 30, 30, 32)        896")
        Self.expectRow(summary, " max_pooling2d (MaxPooling2D) (None, 15, 15, 32)        0")
        Self.expectRow(summary, " conv2d_1 (Conv2D)            (None, 13, 13, 64)        18,496")
        Self.expectRow(summary, " max_pooling2d_1 (MaxPooling2D) (None, 6, 6, 64)")
        Self.expectRow(summary, " conv2d_2 (Conv2D)            (None, 4, 4, 64)          36,928")
        Self.expectRow(summary, " flatten (Flatten)            (None, 1024)              0")
        Self.expectRow(summary, " dense (Dense)                (None, 64)                65,600")
        Self.expectRow(summary, " dense_1 (Dense)              (None, 10)                650")
        Self.expectRow(summary, "Total params: 122,570")
        #expect(model.parameterCount == 122_570)
    }

    @Test func mnistNetworksHaveTheirParameterCounts() throws {
        let lenet = ModelZoo.lenet5()
        try lenet.build(inputShape: [28, 28])
        // 6·25 + 6, 16·150 + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10.
        #expect(lenet.parameterCount == 156 + 2_416 + 48_120 + 10_164 + 850)
        #expect(lenet.outputShapes[0] == [28, 28, 1] && lenet.outputShapes[1] == [28, 28, 6] && lenet.outputShapes[3] == [10, 10, 16])
        let seed = ModelZoo.cnn()
        try seed.build(inputShape: [28, 28])
        // 32·25 + 32, 64·800 + 64, 3136·1024 + 1024, 1024·10 + 10.
        #expect(seed.parameterCount == 832 + 51_264 + 3_212_288 + 10_250)
        #expect(seed.outputShapes[4] == [7, 7, 64])
    }

    @Test func batchNormalizationCountsRunningStatisticsAsNonTrainable() throws {
        let model = Sequential {
            Conv2D(8, kernelSize: 3, padding: .same, useBias: false)
            BatchNormalization()
            GlobalAveragePooling2D()
            Dense(10)
        }
        try model.build(inputShape: [8, 8, 3])
        let summary = model.summary()
        Self.expectRow(summary, " batch_normalization (BatchNormalization) (None, 8, 8, 8)")
        Self.expectRow(summary, " global_average_pooling2d (GlobalAveragePooling2D) (None, 8)")
        // Kernel 3·3·3·8 = 216, batch norm 4·8 = 32 (γ, β trainable; running mean and variance not),
        // dense 8·10 + 10 = 90.
        Self.expectRow(summary, "Total params: 338")
        Self.expectRow(summary, "Trainable params: 322")
        Self.expectRow(summary, "Non-trainable params: 16")
    }

    @Test func batchNormalizationUpdatesRunningStatisticsOnlyWhileTraining() throws {
        let layer = BatchNormalization(momentum: 0.5)
        var generator = RandomGenerator(seed: 0)
        _ = try layer.build(inputShape: [2], generator: &generator)
        let x = Variable(Tensor(shape: [2, 2], scalars: [1, 10, 3, 30]))
        _ = layer.forward(x, context: ForwardContext(isTraining: true))
        // Batch mean [2, 20], variance [1, 100]: halfway from [0, 0] and [1, 1].
        #expect(layer.movingMean?.scalars == [1, 10])
        #expect(layer.movingVariance?.scalars == [1, 50.5])
        let y = layer.forward(x, context: ForwardContext(isTraining: false))
        #expect(layer.movingMean?.scalars == [1, 10])
        #expect(abs(y.value[0, 0] - 0) < 1e-3)  // (1 − 1) / √(1 + ε)
    }

    @Test func augmentationIsTheIdentityAtInferenceAndAPermutationInTraining() throws {
        var generator = RandomGenerator(seed: 0)
        let flip = RandomFlip()
        _ = try flip.build(inputShape: [2, 3, 1], generator: &generator)
        let x = Variable(Tensor(shape: [8, 2, 3, 1], scalars: (0..<48).map(Float.init)))
        #expect(flip.forward(x, context: ForwardContext(isTraining: false)) === x)
        let flipped = flip.forward(x, context: ForwardContext(isTraining: true, generator: RandomGenerator(seed: 3)))
        var mirrored = 0
        for image in 0..<8 {
            let row = Array(flipped.value.scalars[(image * 6)..<(image * 6 + 3)])
            let base = Float(image * 6)
            if row == [base + 2, base + 1, base] { mirrored += 1 } else { #expect(row == [base, base + 1, base + 2]) }
        }
        #expect(mirrored > 0 && mirrored < 8)
        let shift = RandomTranslation(maxShift: 1)
        _ = try shift.build(inputShape: [2, 3, 1], generator: &generator)
        let shifted = shift.forward(x, context: ForwardContext(isTraining: true, generator: RandomGenerator(seed: 4)))
        #expect(shifted.shape == x.shape)
        #expect(shifted.value.scalars.allSatisfy { $0 == 0 || x.value.scalars.contains($0) })
    }

    @Test func convolutionRejectsInputsItCannotTake() {
        let model = Sequential { Conv2D(4, kernelSize: 5) }
        #expect(throws: ModelError.self) { try model.build(inputShape: [28, 28]) }
        let small = Sequential { Conv2D(4, kernelSize: 5) }
        #expect(throws: ModelError.self) { try small.build(inputShape: [3, 3, 1]) }
        let pool = Sequential { MaxPool2D(2) }
        #expect(throws: ModelError.self) { try pool.build(inputShape: [10]) }
    }

    @Test func reshapeAddsTheChannelAxis() throws {
        let model = Sequential { Reshape([4, 4, 1]) }
        try model.build(inputShape: [4, 4])
        let y = model(Variable(Tensor(zeros: [3, 4, 4])), context: ForwardContext(isTraining: false))
        #expect(y.shape == [3, 4, 4, 1])
        #expect(throws: ModelError.self) { try Sequential { Reshape([5, 5, 1]) }.build(inputShape: [4, 4]) }
    }
}
