import PerceptTensor
import Testing
@testable import PerceptClassical

@Suite struct InputErrorTests {
    let x = Fixtures.x
    let y = Fixtures.labels

    @Test(arguments: everyModel.indices)
    func nonFiniteFeaturesAreRejectedWithTheirPosition(index: Int) {
        for bad in [Float.nan, .infinity, -.infinity] {
            var model = everyModel[index]
            var data = x
            data[5, 1] = bad
            #expect(throws: ClassifierError.self) { try model.fit(data, y) }
            do {
                try model.fit(data, y)
            } catch let error as ClassifierError {
                guard case let .nonFiniteFeature(_, row, column, _) = error else { Issue.record("got \(error)"); return }
                #expect(row == 5 && column == 1)
                #expect(error.description.contains("row 5, column 1"))
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test(arguments: everyModel.indices)
    func aSingleClassIsRejected(index: Int) {
        var model = everyModel[index]
        #expect(throws: ClassifierError.singleClass(model: type(of: model).modelName, label: 4)) {
            try model.fit(x, [Int](repeating: 4, count: 12))
        }
    }

    @Test(arguments: everyModel.indices)
    func mismatchedLengthsAreRejected(index: Int) {
        var model = everyModel[index]
        #expect(throws: ClassifierError.sampleCountMismatch(model: type(of: model).modelName, samples: 12, labels: 11)) {
            try model.fit(x, Array(y.dropLast()))
        }
    }

    @Test(arguments: everyModel.indices)
    func predictingWithAnotherFeatureCountIsRejected(index: Int) throws {
        var model = everyModel[index]
        try model.fit(x, y)
        let wide = Tensor(zeros: [3, 5])
        #expect(throws: ClassifierError.featureCountMismatch(model: type(of: model).modelName, expected: 2, got: 5)) {
            try model.predict(wide)
        }
        #expect(throws: ClassifierError.self) { try model.decisionFunction(Tensor(zeros: [4])) }
    }

    @Test(arguments: everyModel.indices)
    func usingAnUnfittedModelIsRejected(index: Int) {
        let model = everyModel[index]
        #expect(throws: ClassifierError.notFitted(model: type(of: model).modelName)) { try model.predict(x) }
    }

    @Test func hyperparametersOutOfRangeAreRejected() {
        let invalid: [any Classifier] = [
            RidgeClassifier(alpha: -1), LinearDiscriminantAnalysis(shrinkage: 0), LinearDiscriminantAnalysis(shrinkage: 2),
            KernelFisherDiscriminant(kernel: .rbf(gamma: 0)), KernelFisherDiscriminant(landmarks: 0),
            KernelFisherDiscriminant(regularization: 0), Perceptron(epochs: 0),
            KernelPerceptron(kernel: .polynomial(degree: 0, gamma: 1)), KernelPerceptron(kernel: .sigmoid(gamma: -1)),
            LogisticRegression(c: 0), LogisticRegression(maxIterations: 0),
            SupportVectorMachine(kernel: .rbf(gamma: -0.5)), SupportVectorMachine(c: 0), SupportVectorMachine(tolerance: 0),
            SupportVectorMachine(threads: 0),
        ]
        for var model in invalid {
            do {
                try model.fit(x, y)
                Issue.record("\(type(of: model)) accepted an invalid hyperparameter")
            } catch let error as ClassifierError {
                guard case .invalidHyperparameter = error else { Issue.record("got \(error)"); continue }
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func messagesNameTheModelAndTheFault() {
        #expect(ClassifierError.sampleCountMismatch(model: "RidgeClassifier", samples: 12, labels: 11).description
            == "RidgeClassifier: found 12 feature rows but 11 labels; they must be equal")
        #expect(ClassifierError.featureCountMismatch(model: "SupportVectorMachine", expected: 784, got: 10).description
            == "SupportVectorMachine: X has 10 features, but the model was fitted with 784 features")
        #expect(ClassifierError.singleClass(model: "Perceptron", label: 3).description
            == "Perceptron: needs samples of at least 2 classes, the labels contain only class 3")
    }

    @Test func scoreChecksLengths() throws {
        var model = RidgeClassifier()
        try model.fit(x, y)
        #expect(throws: ClassifierError.self) { try model.score(x, [1, 2]) }
    }
}
