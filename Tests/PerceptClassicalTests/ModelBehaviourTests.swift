import Foundation
import PerceptTensor
import Testing
@testable import PerceptClassical

/// Every model, small and quick to fit, for the tests that apply to all.
let everyModel: [any Classifier] = [
    RidgeClassifier(alpha: 0.1), LinearDiscriminantAnalysis(shrinkage: 0.01),
    KernelFisherDiscriminant(kernel: .rbf(gamma: 0.5), landmarks: 40, regularization: 1e-3),
    Perceptron(epochs: 5), KernelPerceptron(kernel: .rbf(gamma: 1), epochs: 2, blockSize: 7),
    LogisticRegression(), SupportVectorMachine(kernel: .linear, c: 1), SupportVectorMachine(kernel: .rbf(gamma: 0.5), c: 2),
    SupportVectorMachine(kernel: .polynomial(degree: 2, gamma: 0.5, coef0: 1), c: 1),
]

@Suite struct ModelBehaviourTests {
    @Test(arguments: everyModel.indices)
    func separatesBlobsAndReturnsOriginalLabels(index: Int) throws {
        var model = everyModel[index]
        let (x, indices) = Fixtures.blobs(k: 4, perClass: 30, seed: 11)
        let labels = indices.map { [7, -3, 42, 5][$0] }  // arbitrary labels, not 0..<k
        try model.fit(x, labels)
        #expect(model.classes == [-3, 5, 7, 42])
        let (test, testIndices) = Fixtures.blobs(k: 4, perClass: 25, seed: 12)
        let accuracy = try model.score(test, testIndices.map { [7, -3, 42, 5][$0] })
        #expect(accuracy >= 0.95, "\(type(of: model)) scored \(accuracy)")
    }

    @Test(arguments: [0, 2, 4])
    func kernelModelsLearnXORWhileLinearOnesCannot(kernelIndex: Int) throws {
        let kernelModels: [any Classifier] = [
            KernelFisherDiscriminant(kernel: .rbf(gamma: 2), landmarks: 1000, regularization: 1e-4),
            KernelPerceptron(kernel: .rbf(gamma: 2), epochs: 3, blockSize: 16),
            SupportVectorMachine(kernel: .rbf(gamma: 2), c: 10),
        ]
        var kernelModel = kernelModels[kernelIndex / 2]
        var linearModel: any Classifier = RidgeClassifier()
        let (x, y) = Fixtures.xor(count: 200, seed: 5)
        let (test, truth) = Fixtures.xor(count: 200, seed: 6)
        try kernelModel.fit(x, y)
        try linearModel.fit(x, y)
        #expect(try kernelModel.score(test, truth) >= 0.95)
        #expect(try linearModel.score(test, truth) <= 0.75)
    }

    @Test func kernelPerceptronBlocksGiveTheSequentialResult() throws {
        let (x, y) = Fixtures.blobs(k: 3, perClass: 20, seed: 2)
        var sequential = KernelPerceptron(kernel: .rbf(gamma: 0.3), epochs: 2, blockSize: 1)
        var blocked = KernelPerceptron(kernel: .rbf(gamma: 0.3), epochs: 2, blockSize: 13)
        try sequential.fit(x, y)
        try blocked.fit(x, y)
        #expect(sequential.state!.mistakes == blocked.state!.mistakes)
        #expect(maxAbsDifference(sequential.state!.coefficients, blocked.state!.coefficients.map(Double.init)) < 1e-6)
    }

    @Test func perceptronConvergesOnSeparableDataAndAveragingMatters() throws {
        let (x, y) = Fixtures.blobs(k: 2, perClass: 40, seed: 4)
        var model = Perceptron(epochs: 20)
        try model.fit(x, y)
        #expect(model.state!.mistakes.last == 0)
        #expect(try model.score(x, y) == 1)
    }

    @Test func svmSolutionSatisfiesTheDualConstraints() throws {
        let (x, y) = Fixtures.blobs(k: 2, perClass: 30, seed: 9)
        var model = SupportVectorMachine(kernel: .rbf(gamma: 0.5), c: 1, tolerance: 1e-5, shrinking: true, threads: 1)
        try model.fit(x, y)
        let state = model.state!
        let coefficients = state.coefficients  // αᵢyᵢ for the one pair
        #expect(abs(coefficients.reduce(0, +)) < 1e-4)  // yᵀα = 0
        #expect(coefficients.allSatisfy { abs($0) <= 1 + 1e-5 })  // 0 ≤ α ≤ C
    }

    @Test func shrinkingDoesNotChangeTheSolution() throws {
        let (x, y) = Fixtures.blobs(k: 3, perClass: 40, seed: 21)
        var with = SupportVectorMachine(kernel: .rbf(gamma: 0.2), c: 3, tolerance: 1e-6, shrinking: true, threads: 1)
        var without = SupportVectorMachine(kernel: .rbf(gamma: 0.2), c: 3, tolerance: 1e-6, shrinking: false, threads: 1)
        try with.fit(x, y)
        try without.fit(x, y)
        let (test, _) = Fixtures.blobs(k: 3, perClass: 10, seed: 22)
        let a = try with.decisionFunction(test)
        let b = try without.decisionFunction(test)
        #expect(maxAbsDifference(a.scalars, b.scalars.map(Double.init)) < 1e-3)
    }

    @Test func aTinyCacheGivesTheSameSolutionAsALargeOne() throws {
        let (x, y) = Fixtures.blobs(k: 2, perClass: 60, seed: 8)
        var small = SupportVectorMachine(kernel: .rbf(gamma: 0.3), c: 2, tolerance: 1e-6, cacheMegabytes: 1, threads: 1)
        var large = SupportVectorMachine(kernel: .rbf(gamma: 0.3), c: 2, tolerance: 1e-6, cacheMegabytes: 64, threads: 1)
        // 1 MB holds 120-sample rows by the thousand; force the minimum by using many features.
        try small.fit(x, y)
        try large.fit(x, y)
        #expect(maxAbsDifference(small.state!.rho, large.state!.rho.map(Double.init)) < 1e-4)
    }

    @Test func probabilitiesAreRowsThatSumToOne() throws {
        let (x, y) = Fixtures.blobs(k: 3, perClass: 10, seed: 3)
        let models: [any ProbabilisticClassifier] = [LogisticRegression(), LinearDiscriminantAnalysis(shrinkage: 0.1),
                                                    KernelFisherDiscriminant(kernel: .rbf(gamma: 0.5), landmarks: 10)]
        for var model in models {
            try model.fit(x, y)
            let p = try model.predictProbabilities(x)
            #expect(p.shape == [30, 3])
            for row in 0..<30 {
                let sum = (0..<3).reduce(Float(0)) { $0 + p[row, $1] }
                #expect(abs(sum - 1) < 1e-5)
            }
        }
    }

    @Test func stateRoundTripsThroughJSON() throws {
        let (x, y) = Fixtures.blobs(k: 3, perClass: 10, seed: 3)
        var model = SupportVectorMachine(kernel: .rbf(gamma: 0.5), c: 1)
        try model.fit(x, y)
        let data = try JSONEncoder().encode(model.state!)
        var restored = SupportVectorMachine()
        restored.state = try JSONDecoder().decode(SupportVectorMachine.State.self, from: data)
        #expect(try restored.predict(x) == model.predict(x))
        var lda = LinearDiscriminantAnalysis()
        try lda.fit(x, y)
        var restoredLDA = LinearDiscriminantAnalysis()
        restoredLDA.state = try JSONDecoder().decode(LinearDiscriminantAnalysis.State.self, from: JSONEncoder().encode(lda.state!))
        #expect(try restoredLDA.decisionFunction(x) == lda.decisionFunction(x))
    }

    @Test func imagesAreFlattened() throws {
        let (x, y) = Fixtures.blobs(k: 2, perClass: 10, features: 4, seed: 1)
        var model = RidgeClassifier()
        try model.fit(x.reshaped([20, 2, 2]), y)
        #expect(model.featureCount == 4)
        #expect(try model.predict(x.reshaped([20, 2, 2])) == model.predict(x))
    }
}
