import Foundation
import PerceptTensor
import Testing
@testable import PerceptClassical

@Suite struct LogisticRegressionGradientTests {
    /// Central finite differences of the objective against its analytic gradient, at a random
    /// point, for every parameter (weights and intercepts).
    @Test func gradientMatchesFiniteDifferences() {
        let (x, labels) = Fixtures.blobs(k: 3, perClass: 5, features: 4, seed: 7)
        let k = 3
        var generator = RandomGenerator(seed: 3)
        let parameters = (0..<((4 + 1) * k)).map { _ in Double(generator.nextNormal()) * 0.5 }
        let l2 = 0.3
        let (_, gradient) = LogisticRegression.lossAndGradient(
            parameters: parameters, features: x, labels: labels, classCount: k, l2: l2)
        let step = 1e-3
        for index in parameters.indices {
            var plus = parameters
            var minus = parameters
            plus[index] += step
            minus[index] -= step
            let (lossPlus, _) = LogisticRegression.lossAndGradient(parameters: plus, features: x, labels: labels, classCount: k, l2: l2)
            let (lossMinus, _) = LogisticRegression.lossAndGradient(parameters: minus, features: x, labels: labels, classCount: k, l2: l2)
            let numeric = (lossPlus - lossMinus) / (2 * step)
            #expect(abs(numeric - gradient[index]) <= 2e-3 * max(1, abs(numeric)),
                    "parameter \(index): numeric \(numeric), analytic \(gradient[index])")
        }
    }

    @Test func lossAtZeroIsLogOfClassCount() {
        let (x, labels) = Fixtures.blobs(k: 4, perClass: 3, seed: 1)
        let (loss, _) = LogisticRegression.lossAndGradient(
            parameters: [Double](repeating: 0, count: 3 * 4), features: x, labels: labels, classCount: 4, l2: 1)
        #expect(abs(loss - log(4.0)) < 1e-6)
    }
}
