import PerceptAutograd
import PerceptNN
import PerceptTensor
import Foundation
import Testing

/// Each optimizer against its update rule worked out by hand for a fixed gradient sequence.
@Suite("Optimizers")
struct OptimizerTests {
    /// Applies `optimizer` to a one-element parameter with the given successive gradients.
    func trajectory(_ optimizer: any Optimizer, start: Float, gradients: [Float]) -> [Float] {
        let parameter = Variable(Tensor(shape: [1], scalars: [start]), requiresGrad: true)
        return gradients.map { gradient in
            parameter.grad = Tensor(shape: [1], scalars: [gradient])
            optimizer.step([parameter])
            return parameter.value.scalars[0]
        }
    }

    func expectClose(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= tolerance, "\(a) vs \(b)", sourceLocation: sourceLocation) }
    }

    @Test func plainSGD() {
        expectClose(trajectory(SGD(learningRate: 0.1), start: 1, gradients: [2, -1]), [0.8, 0.9])
    }

    @Test func momentumSGD() {
        // v₁ = 2 → p = 1 − 0.2 = 0.8; v₂ = 0.9·2 + 1 = 2.8 → p = 0.8 − 0.28 = 0.52.
        expectClose(trajectory(SGD(learningRate: 0.1, momentum: 0.9), start: 1, gradients: [2, 1]), [0.8, 0.52])
    }

    @Test func nesterovSGD() {
        // v₁ = 2, step g + μv = 2 + 1.8 = 3.8 → 0.62; v₂ = 2.8, step 1 + 2.52 = 3.52 → 0.268.
        expectClose(trajectory(SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), start: 1, gradients: [2, 1]),
                    [0.62, 0.268], 1e-5)
    }

    @Test func rmsprop() {
        // s₁ = 0.1·4 = 0.4 → p = 1 − 0.01·2/(√0.4 + 1e-7); s₂ = 0.36 + 0.1 = 0.46.
        let p1 = 1 - 0.01 * 2 / (Float(0.4).squareRoot() + 1e-7)
        let p2 = p1 - 0.01 * 1 / (Float(0.46).squareRoot() + 1e-7)
        expectClose(trajectory(RMSprop(learningRate: 0.01), start: 1, gradients: [2, 1]), [p1, p2], 1e-5)
    }

    @Test func adam() {
        // Step 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ η.
        // Step 2: m = 0.1·(0.9·2 + ... ) computed from the definitions.
        let (b1, b2, eta): (Double, Double, Double) = (0.9, 0.999, 0.01)
        var m = 0.0, v = 0.0, p = 1.0
        var expected: [Float] = []
        for (t, g) in [2.0, -1.0, 0.5].enumerated() {
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            let mHat = m / (1 - pow(b1, Double(t + 1)))
            let vHat = v / (1 - pow(b2, Double(t + 1)))
            p -= eta * mHat / (vHat.squareRoot() + 1e-8)
            expected.append(Float(p))
        }
        expectClose(trajectory(Adam(learningRate: 0.01), start: 1, gradients: [2, -1, 0.5]), expected, 1e-5)
    }

    @Test func adamOnAThousandElementsMatchesTheScalarRule() {
        // The vectorised kernel handles blocks of eight and a remainder; check both against the rule.
        let count = 1003
        let parameter = Variable(Tensor(shape: [count], scalars: (0..<count).map { Float($0) / 100 }), requiresGrad: true)
        let gradient = Tensor(shape: [count], scalars: (0..<count).map { Float($0 % 7) - 3 })
        parameter.grad = gradient
        Adam(learningRate: 0.1).step([parameter])
        for i in [0, 7, 8, 500, 1000, 1002] {
            let g = gradient.scalars[i]
            let expected = Float(i) / 100 - (g == 0 ? 0 : 0.1 * g / (abs(g) + 1e-8))
            #expect(abs(parameter.value.scalars[i] - expected) < 1e-5, "element \(i)")
        }
    }

    @Test func clippingByGlobalNormScalesAllGradientsTogether() {
        let a = Variable(Tensor(shape: [1], scalars: [0]), requiresGrad: true)
        let b = Variable(Tensor(shape: [1], scalars: [0]), requiresGrad: true)
        a.grad = Tensor(shape: [1], scalars: [3])
        b.grad = Tensor(shape: [1], scalars: [4])  // global norm 5
        #expect(globalGradientNorm([a, b]) == 5)
        SGD(learningRate: 1, clipGlobalNorm: 1).step([a, b])
        expectClose([a.value.scalars[0], b.value.scalars[0]], [-0.6, -0.8])
    }
}
