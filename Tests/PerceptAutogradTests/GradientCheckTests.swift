import PerceptAutograd
import PerceptTensor
import Testing

/// Every backward rule checked against central finite differences.
///
/// Non-scalar results are reduced with a fixed random weighting, `Σ w ⊙ f(x)`, so every output
/// element contributes with its own weight and a wrong gradient for any element shows up.
@Suite("Backward rules against finite differences")
struct GradientCheckTests {
    static let tolerance = 5e-3

    /// Random inputs of `shape`, kept at least `margin` away from zero (for kinks like ReLU's).
    static func input(_ shape: [Int], seed: UInt64, margin: Float = 0) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform(shape: shape, low: -1, high: 1, generator: &generator).map { value in
            value >= 0 ? value + margin : value - margin
        }
    }

    /// `Σ w ⊙ y` for a fixed random `w` of `y`'s shape.
    static func weighted(_ y: Variable, seed: UInt64 = 99) -> Variable {
        sum(y * Variable(input(y.shape, seed: seed)))
    }

    static func expectGradients(
        _ inputs: [Tensor], step: Float = 1e-2, sourceLocation: SourceLocation = #_sourceLocation,
        _ function: @escaping ([Variable]) -> Variable
    ) {
        let result = checkGradients(of: function, at: inputs, step: step)
        #expect(
            result.maximumError < tolerance,
            "input \(result.worstInput) element \(result.worstElement): analytic \(result.analytic) numeric \(result.numeric)",
            sourceLocation: sourceLocation)
    }

    @Test func add() {
        Self.expectGradients([Self.input([3, 4], seed: 1), Self.input([3, 4], seed: 2)]) { v in Self.weighted(v[0] + v[1]) }
    }

    @Test func addBroadcastsARow() {
        Self.expectGradients([Self.input([3, 4], seed: 1), Self.input([4], seed: 2)]) { v in Self.weighted(v[0] + v[1]) }
    }

    @Test func subtractBroadcastsAColumnAgainstARow() {
        Self.expectGradients([Self.input([3, 1], seed: 1), Self.input([1, 4], seed: 2)]) { v in Self.weighted(v[0] - v[1]) }
    }

    @Test func multiply() {
        Self.expectGradients([Self.input([2, 3, 2], seed: 3), Self.input([3, 1], seed: 4)]) { v in Self.weighted(v[0] * v[1]) }
    }

    @Test func divide() {
        let denominator = Self.input([2, 3], seed: 6, margin: 0.5)
        Self.expectGradients([Self.input([2, 3], seed: 5), denominator]) { v in Self.weighted(v[0] / v[1]) }
    }

    @Test func scaleAndNegate() {
        Self.expectGradients([Self.input([5], seed: 7)]) { v in Self.weighted(-(2.5 * v[0])) }
    }

    @Test func matmul() {
        Self.expectGradients([Self.input([3, 4], seed: 8), Self.input([4, 5], seed: 9)]) { v in
            Self.weighted(PerceptAutograd.matmul(v[0], v[1]))
        }
    }

    @Test func linearWithBias() {
        Self.expectGradients([Self.input([3, 4], seed: 10), Self.input([4, 2], seed: 11), Self.input([2], seed: 12)]) { v in
            Self.weighted(linear(v[0], weight: v[1], bias: v[2]))
        }
    }

    @Test func linearWithoutBias() {
        Self.expectGradients([Self.input([3, 4], seed: 13), Self.input([4, 2], seed: 14)]) { v in
            Self.weighted(linear(v[0], weight: v[1], bias: nil))
        }
    }

    @Test func relu() {
        Self.expectGradients([Self.input([4, 5], seed: 15, margin: 0.05)]) { v in Self.weighted(PerceptAutograd.relu(v[0])) }
    }

    @Test func sigmoid() {
        Self.expectGradients([Self.input([4, 5], seed: 16).map { $0 * 4 }]) { v in Self.weighted(PerceptAutograd.sigmoid(v[0])) }
    }

    @Test func tanh() {
        Self.expectGradients([Self.input([4, 5], seed: 17).map { $0 * 2 }]) { v in Self.weighted(PerceptAutograd.tanh(v[0])) }
    }

    @Test func softmax() {
        Self.expectGradients([Self.input([3, 6], seed: 18).map { $0 * 3 }]) { v in Self.weighted(PerceptAutograd.softmax(v[0])) }
    }

    @Test func logSoftmax() {
        Self.expectGradients([Self.input([3, 6], seed: 19).map { $0 * 3 }]) { v in Self.weighted(PerceptAutograd.logSoftmax(v[0])) }
    }

    @Test func sumAndMean() {
        Self.expectGradients([Self.input([3, 4], seed: 20)]) { v in sum(v[0] * v[0]) + mean(v[0] * v[0] * v[0]) }
    }

    @Test func sumAlongAxis() {
        Self.expectGradients([Self.input([2, 3, 4], seed: 21)]) { v in Self.weighted(sum(v[0], alongAxis: 1)) }
    }

    @Test func reshape() {
        Self.expectGradients([Self.input([2, 6], seed: 22)]) { v in Self.weighted(PerceptAutograd.reshape(v[0], [3, -1])) }
    }

    @Test func multiplyByConstant() {
        let mask = Self.input([3, 3], seed: 23)
        Self.expectGradients([Self.input([3, 3], seed: 24)]) { v in Self.weighted(PerceptAutograd.multiply(v[0], constant: mask)) }
    }

    @Test func softmaxCrossEntropy() {
        Self.expectGradients([Self.input([4, 5], seed: 25).map { $0 * 3 }]) { v in
            PerceptAutograd.softmaxCrossEntropy(logits: v[0], labels: [0, 4, 2, 2])
        }
    }

    @Test func squaredError() {
        let targets = oneHot([1, 0, 2], classes: 3)
        Self.expectGradients([Self.input([3, 3], seed: 26)]) { v in
            PerceptAutograd.squaredError(predictions: v[0], targets: targets)
        }
    }

    @Test func binaryCrossEntropy() {
        let targets = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        Self.expectGradients([Self.input([4, 1], seed: 27).map { $0 * 5 }]) { v in
            PerceptAutograd.binaryCrossEntropy(logits: v[0], targets: targets)
        }
    }

    @Test func l2Penalty() {
        Self.expectGradients([Self.input([3, 4], seed: 28)]) { v in PerceptAutograd.l2Penalty(v[0], strength: 0.3) }
    }

    @Test func aVariableUsedTwiceAccumulatesBothPaths() {
        Self.expectGradients([Self.input([3], seed: 29)]) { v in Self.weighted(v[0] * v[0] + PerceptAutograd.sigmoid(v[0])) }
    }

    /// The check itself must catch a wrong rule: a deliberately wrong "gradient" (the function's
    /// value is x², but we feed a path whose derivative differs) must give a large error.
    @Test func theCheckDetectsAWrongGradient() {
        var wrong = false
        let result = checkGradients(of: { v in
            // With recording on (the analytic pass) compute 3x; without (the numeric pass) x².
            wrong = !wrong
            return wrong ? sum(v[0] * 3) : sum(v[0] * v[0])
        }, at: [Tensor(shape: [2], scalars: [0.5, -0.25])])
        #expect(result.maximumError > 0.5)
    }
}
