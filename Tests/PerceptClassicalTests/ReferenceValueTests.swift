import PerceptTensor
import Testing
@testable import PerceptClassical

// Reference values computed independently with NumPy 2 / scikit-learn 1.9 in float64 on the
// data of Fixtures.swift:
//
//   X = np.array([[0,0],[.5,.2],[.1,.6],[.3,.3],[2,2],[2.4,1.7],[1.8,2.5],[2.2,2.2],
//                 [0,2],[.4,2.4],[-.2,1.6],[.3,2.1]]); y = np.repeat([0,1,2], 4)
//   Q = np.array([[1,1],[0,1.5]])
//   RidgeClassifier(alpha=0.5).fit(X,y).decision_function(Q)
//   LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(X,y).predict_proba(Q)
//   SVC(kernel='rbf', C=2.0, gamma=0.5, tol=1e-8, decision_function_shape='ovo').fit(X,y).decision_function(Q)
//   SVC(kernel='linear', C=0.3, tol=1e-8, decision_function_shape='ovo').fit(X,y).decision_function(Q)
@Suite struct ReferenceValueTests {
    @Test func ridgeMatchesScikitLearn() throws {
        var model = RidgeClassifier(alpha: 0.5)
        try model.fit(Fixtures.x, Fixtures.labels)
        let decision = try model.decisionFunction(Fixtures.queries)
        let expected = [0.10181647013018047, -0.21592854269469075, -0.8858879274354895,
                        -0.33452190570050844, -1.0600202429919479, 0.3945421486924563]
        #expect(maxAbsDifference(decision.scalars, expected) < 1e-4)
        let weights = [-0.03720087025093863, 0.8938855061850629, -0.8566846359341243,
                       -0.947078492163255, 0.09958761177561155, 0.8474908803876432]
        #expect(maxAbsDifference(model.state!.weights, weights) < 1e-4)
    }

    @Test func logisticRegressionMatchesScikitLearn() throws {
        var model = LogisticRegression(c: 1, maxIterations: 2000, tolerance: 1e-7)
        try model.fit(Fixtures.x, Fixtures.labels)
        let probabilities = try model.predictProbabilities(Fixtures.queries)
        let expected = [0.496993831064876, 0.2885745625444054, 0.21443160639071857,
                        0.2866326019349903, 0.08529465710579, 0.6280727409592197]
        #expect(maxAbsDifference(probabilities.scalars, expected) < 1e-3)
    }

    @Test func rbfSVMMatchesLIBSVMThroughScikitLearn() throws {
        var model = SupportVectorMachine(kernel: .rbf(gamma: 0.5), c: 2, tolerance: 1e-6, threads: 2)
        try model.fit(Fixtures.x, Fixtures.labels)
        let decision = try model.decisionFunction(Fixtures.queries)
        let expected = [0.3139588844980365, 0.2859016566948391, -0.1330115252867331,
                        0.42303588953131704, -0.76813120031088, -0.9577538566291852]
        #expect(maxAbsDifference(decision.scalars, expected) < 1e-3)
        #expect(model.supportVectorCount == 8)  // n_support_ = [4, 2, 2]
    }

    @Test func linearSVMMatchesLIBSVMThroughScikitLearn() throws {
        var model = SupportVectorMachine(kernel: .linear, c: 0.3, tolerance: 1e-6, threads: 1)
        try model.fit(Fixtures.x, Fixtures.labels)
        let decision = try model.decisionFunction(Fixtures.queries)
        let expected = [0.23529408734653234, 0.27665750958220925, -0.09300002574920652,
                        0.5294117449038231, -0.4422466220174883, -1.0230000257492065]
        #expect(maxAbsDifference(decision.scalars, expected) < 1e-3)
    }
}
