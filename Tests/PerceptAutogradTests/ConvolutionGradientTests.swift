import Foundation
import PerceptAutograd
import PerceptTensor
import Testing

/// Convolution, pooling, normalization and gather: every backward rule against finite
/// differences, and the forward values against NumPy.
@Suite("Convolution, pooling and normalization")
struct ConvolutionGradientTests {
    static func geometry(_ h: Int, _ w: Int, _ c: Int, kernel: Int, stride: Int, padding: Padding) -> WindowGeometry {
        WindowGeometry(height: h, width: w, channels: c, kernel: (kernel, kernel), stride: (stride, stride), padding: padding)!
    }

    /// Distinct values at least 0.05 apart in a shuffled order, so that a finite-difference step of
    /// 0.01 never changes which element of a pooling window wins.
    static func separated(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        let count = Tensor.elementCount(of: shape)
        let order = generator.permutation(count)
        return Tensor(shape: shape, scalars: order.map { Float($0) * 0.05 - Float(count) * 0.025 })
    }

    // MARK: Geometry

    @Test func validAndSameOutputSizesFollowKeras() {
        let valid = Self.geometry(32, 32, 3, kernel: 3, stride: 1, padding: .valid)
        #expect(valid.outputHeight == 30 && valid.outputWidth == 30 && valid.padTop == 0)
        let same = Self.geometry(28, 28, 1, kernel: 5, stride: 1, padding: .same)
        #expect(same.outputHeight == 28 && same.padTop == 2 && same.padLeft == 2)
        let strided = WindowGeometry(height: 4, width: 5, channels: 2, kernel: (3, 3), stride: (2, 2), padding: .same)!
        #expect(strided.outputHeight == 2 && strided.outputWidth == 3 && strided.padTop == 0 && strided.padLeft == 1)
        let pool = Self.geometry(13, 13, 64, kernel: 2, stride: 2, padding: .valid)
        #expect(pool.outputHeight == 6)
        #expect(WindowGeometry(height: 2, width: 2, channels: 1, kernel: (3, 3), stride: (1, 1), padding: .valid) == nil)
    }

    // MARK: Forward values against NumPy

    // Reference values from NumPy in float64:
    //   x = np.sin(np.arange(40.)).reshape(1, 4, 5, 2); w = (np.cos(np.arange(36.)) / 4).reshape(3, 3, 2, 2)
    //   b = [0.1, -0.2]; 'same' padding with stride 2 is np.pad(x, ((0,0),(0,1),(1,1),(0,0))), then
    //   out[:, i, j, :] = tensordot(xp[:, 2i:2i+3, 2j:2j+3, :], w, axes=([1,2,3],[0,1,2])) + b
    //   max pool 2×2 stride 2 valid: max over x[:, 2i:2i+2, 2j:2j+2, :]
    //   avg pool 3×3 stride 2 same: mean over the window cells inside the image (top 0, left 1)
    static let x = Tensor(shape: [1, 4, 5, 2], scalars: (0..<40).map { Float(sin(Double($0))) })
    static let w = Tensor(shape: [3, 3, 2, 2], scalars: (0..<36).map { Float(cos(Double($0)) / 4) })

    @Test func convolutionMatchesNumPy() {
        let geometry = WindowGeometry(height: 4, width: 5, channels: 2, kernel: (3, 3), stride: (2, 2), padding: .same)!
        let y = conv2D(Variable(Self.x), kernel: Variable(Self.w), bias: Variable(Tensor(shape: [2], scalars: [0.1, -0.2])),
                       geometry: geometry)
        let expected: [Float] = [0.034936, -0.228808, 0.091971, -0.243479, 0.154741, -0.12984, 0.30562, -0.217095,
                                 0.086536, -0.239071, -0.155508, -0.3245]
        #expect(y.shape == [1, 2, 3, 2])
        for (a, b) in zip(y.value.scalars, expected) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func maxPoolingMatchesNumPy() {
        let y = maxPool2D(Variable(Self.x), geometry: Self.geometry(4, 5, 2, kernel: 2, stride: 2, padding: .valid))
        let expected: [Float] = [0.909297, 0.841471, 0.990607, 0.656987, 0.912945, 0.999912, 0.762558, 0.956376]
        #expect(y.shape == [1, 2, 2, 2])
        for (a, b) in zip(y.value.scalars, expected) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func averagePoolingMatchesNumPy() {
        let geometry = WindowGeometry(height: 4, width: 5, channels: 2, kernel: (3, 3), stride: (2, 2), padding: .same)!
        let y = avgPool2D(Variable(Self.x), geometry: geometry)
        let expected: [Float] = [0.122133, 0.065534, -0.012518, -0.008217, 0.117419, 0.091721, 0.116872, 0.146577,
                                 -0.010523, -0.015668, 0.084513, 0.15325]
        #expect(y.shape == [1, 2, 3, 2])
        for (a, b) in zip(y.value.scalars, expected) { #expect(abs(a - b) < 1e-5) }
    }

    // MARK: Gradient checks

    @Test(arguments: [(1, Padding.valid), (1, .same), (2, .valid), (2, .same)])
    func convolutionWithBias(stride: Int, padding: Padding) {
        let geometry = Self.geometry(5, 6, 2, kernel: 3, stride: stride, padding: padding)
        GradientCheckTests.expectGradients(
            [GradientCheckTests.input([2, 5, 6, 2], seed: 11), GradientCheckTests.input([3, 3, 2, 3], seed: 12),
             GradientCheckTests.input([3], seed: 13)]
        ) { v in GradientCheckTests.weighted(conv2D(v[0], kernel: v[1], bias: v[2], geometry: geometry)) }
    }

    /// ReLU fused into the convolution gives the values and gradients of ReLU after it, with few
    /// channels (computed directly) and many (computed with patches).
    @Test(arguments: [(2, 3), (12, 20)])
    func convolutionWithFusedReLUEqualsReLUAfterIt(channels: Int, filters: Int) {
        let geometry = Self.geometry(6, 5, channels, kernel: 3, stride: 1, padding: .same)
        let values = [GradientCheckTests.input([2, 6, 5, channels], seed: 16),
                      GradientCheckTests.input([3, 3, channels, filters], seed: 17), GradientCheckTests.input([filters], seed: 18)]
        func gradients(fused: Bool) -> (Tensor, [Tensor?]) {
            let v = values.map { Variable($0, requiresGrad: true) }
            let y = fused ? conv2D(v[0], kernel: v[1], bias: v[2], geometry: geometry, rectified: true)
                : relu(conv2D(v[0], kernel: v[1], bias: v[2], geometry: geometry))
            GradientCheckTests.weighted(y).backward()
            return (y.value, v.map(\.grad))
        }
        let (fused, separate) = (gradients(fused: true), gradients(fused: false))
        #expect(fused.0.scalars.contains(0) && fused.0.scalars.contains { $0 > 0 })
        #expect(zip(fused.0.scalars, separate.0.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
        for (a, b) in zip(fused.1, separate.1) {
            #expect(zip(a!.scalars, b!.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })
        }
    }

    @Test func convolutionWithoutBiasAndRectangularWindow() {
        let geometry = WindowGeometry(height: 5, width: 4, channels: 3, kernel: (2, 3), stride: (1, 2), padding: .same)!
        GradientCheckTests.expectGradients(
            [GradientCheckTests.input([1, 5, 4, 3], seed: 14), GradientCheckTests.input([2, 3, 3, 2], seed: 15)]
        ) { v in GradientCheckTests.weighted(conv2D(v[0], kernel: v[1], bias: nil, geometry: geometry)) }
    }

    @Test(arguments: [(2, 2, Padding.valid), (3, 2, .same), (3, 1, .valid)])
    func maxPoolingSendsTheGradientToTheWinner(size: Int, stride: Int, padding: Padding) {
        let geometry = Self.geometry(5, 5, 2, kernel: size, stride: stride, padding: padding)
        GradientCheckTests.expectGradients([Self.separated([2, 5, 5, 2], seed: 21)]) { v in
            GradientCheckTests.weighted(maxPool2D(v[0], geometry: geometry))
        }
    }

    @Test func maxPoolingGradientGoesOnlyToWinners() {
        let x = Variable(Tensor(shape: [1, 2, 2, 1], scalars: [1, 4, 3, 2]), requiresGrad: true)
        sum(maxPool2D(x, geometry: Self.geometry(2, 2, 1, kernel: 2, stride: 2, padding: .valid))).backward()
        #expect(x.grad?.scalars == [0, 1, 0, 0])
    }

    @Test(arguments: [(2, 2, Padding.valid), (3, 2, .same)])
    func averagePooling(size: Int, stride: Int, padding: Padding) {
        let geometry = Self.geometry(5, 5, 2, kernel: size, stride: stride, padding: padding)
        GradientCheckTests.expectGradients([GradientCheckTests.input([2, 5, 5, 2], seed: 22)]) { v in
            GradientCheckTests.weighted(avgPool2D(v[0], geometry: geometry))
        }
    }

    @Test func averagePoolingSpreadsOneOverNSquared() {
        let x = Variable(Tensor(zeros: [1, 4, 4, 1]), requiresGrad: true)
        sum(avgPool2D(x, geometry: Self.geometry(4, 4, 1, kernel: 2, stride: 2, padding: .valid))).backward()
        #expect(x.grad?.scalars == [Float](repeating: 0.25, count: 16))
    }

    @Test func globalAveragePooling() {
        GradientCheckTests.expectGradients([GradientCheckTests.input([2, 3, 4, 3], seed: 23)]) { v in
            GradientCheckTests.weighted(globalAvgPool2D(v[0]))
        }
        let y = globalAvgPool2D(Variable(Tensor(shape: [1, 2, 1, 2], scalars: [1, 10, 3, 20])))
        #expect(y.value.scalars == [2, 15])
    }

    @Test func batchNormalizationInTraining() {
        GradientCheckTests.expectGradients(
            [GradientCheckTests.input([3, 2, 2, 3], seed: 31), GradientCheckTests.input([3], seed: 32, margin: 0.5),
             GradientCheckTests.input([3], seed: 33)]
        ) { v in GradientCheckTests.weighted(batchNormalization(v[0], gamma: v[1], beta: v[2], epsilon: 1e-3).output) }
    }

    @Test func batchNormalizationStatisticsAndOutput() {
        // Channel 0 holds 1, 3, 5, 7 (mean 4, variance 5); channel 1 holds 2, 2, 2, 2.
        let x = Variable(Tensor(shape: [4, 2], scalars: [1, 2, 3, 2, 5, 2, 7, 2]))
        let (y, mean, variance) = batchNormalization(
            x, gamma: Variable(Tensor(shape: [2], scalars: [2, 1])), beta: Variable(Tensor(shape: [2], scalars: [0, 0.5])),
            epsilon: 1e-3)
        #expect(mean.scalars == [4, 2])
        #expect(variance.scalars == [5, 0])
        #expect(abs(y.value[0, 0] - 2 * -3 / Float(5.001).squareRoot()) < 1e-5)
        #expect(abs(y.value[3, 1] - 0.5) < 1e-6)
    }

    @Test func batchNormalizationInInference() {
        let mean = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
        let variance = Tensor(shape: [3], scalars: [0.5, 1.5, 2])
        GradientCheckTests.expectGradients(
            [GradientCheckTests.input([4, 3], seed: 34), GradientCheckTests.input([3], seed: 35),
             GradientCheckTests.input([3], seed: 36)]
        ) { v in
            GradientCheckTests.weighted(
                batchNormalization(v[0], gamma: v[1], beta: v[2], mean: mean, variance: variance, epsilon: 1e-3))
        }
    }

    @Test func gatherWithZeroFill() {
        let indices: [Int32] = [5, 0, -1, 2, 2, 3]
        GradientCheckTests.expectGradients([GradientCheckTests.input([2, 3], seed: 41)]) { v in
            GradientCheckTests.weighted(gather(v[0], indices: indices, shape: [3, 2]))
        }
        let y = gather(Variable(Tensor(shape: [3], scalars: [7, 8, 9])), indices: [2, -1, 0], shape: [3])
        #expect(y.value.scalars == [9, 0, 7])
    }

    @Test func patchesAndFoldingAreAdjoint() {
        // ⟨patches(x), p⟩ = ⟨x, fold(p)⟩ for any x and p.
        let geometry = Self.geometry(5, 4, 2, kernel: 3, stride: 2, padding: .same)
        let x = GradientCheckTests.input([2, 5, 4, 2], seed: 51)
        let patches = Tensor.patches(of: x, geometry: geometry)
        let p = GradientCheckTests.input(patches.shape, seed: 52)
        let folded = Tensor.foldingPatches(p, geometry: geometry, batchSize: 2)
        let left = zip(patches.scalars, p.scalars).reduce(0) { $0 + Double($1.0 * $1.1) }
        let right = zip(x.scalars, folded.scalars).reduce(0) { $0 + Double($1.0 * $1.1) }
        #expect(abs(left - right) < 1e-4)
    }
}
