import PerceptTensor
import Testing
@testable import PerceptClassical

@Suite struct KernelTests {
    let a: [Float] = [0.2, -1.0, 0.5]
    let b: [Float] = [1.0, 0.3, -0.4]

    // Reference values from NumPy (float64), see ReferenceValueTests.swift for the script:
    // np.exp(-0.7*np.sum((a-b)**2)), (0.5*a@b+1.5)**3, np.tanh(0.3*a@b-0.2)
    @Test func valuesMatchNumPy() {
        #expect(abs(Kernel.rbf(gamma: 0.7)(a, b) - 0.11102498643318673) < 1e-6)
        #expect(abs(Kernel.polynomial(degree: 3, gamma: 0.5, coef0: 1.5)(a, b) - 2.4603750000000004) < 1e-5)
        #expect(abs(Kernel.sigmoid(gamma: 0.3, coef0: -0.2)(a, b) - (-0.28213481266963414)) < 1e-6)
        #expect(abs(Kernel.linear(a, b) - (0.2 - 0.3 - 0.2)) < 1e-6)
    }

    @Test(arguments: [Kernel.linear, .rbf(gamma: 0.3), .polynomial(degree: 2, gamma: 0.5, coef0: 1), .sigmoid(gamma: 0.1, coef0: 0.5)])
    func matrixThroughGEMMMatchesDirectValues(kernel: Kernel) {
        let (x, _) = Fixtures.blobs(k: 3, perClass: 7, features: 5, seed: 1)   // 21 rows: odd sizes exercise the tails
        let y = x.rows(0..<11)
        let matrix = kernel.matrix(x, y)
        #expect(matrix.shape == [21, 11])
        for i in 0..<21 {
            for j in 0..<11 {
                let direct = kernel(Array(x.scalars[(i * 5)..<(i * 5 + 5)]), Array(y.scalars[(j * 5)..<(j * 5 + 5)]))
                #expect(abs(matrix[i, j] - direct) <= 1e-5 * max(1, abs(direct)), "k(\(i), \(j)) of \(kernel)")
            }
        }
    }

    @Test func rbfOfAPointWithItselfIsOneAndDistantPointsUnderflowToZero() {
        let x = Tensor(shape: [2, 1], scalars: [0, 100])
        let matrix = Kernel.rbf(gamma: 1).matrix(x, x)
        #expect(matrix.scalars == [1, 0, 0, 1])
    }

    @Test func parametersOutOfRangeAreRejected() {
        #expect(throws: ClassifierError.self) { try Kernel.rbf(gamma: 0).validate(model: "m") }
        #expect(throws: ClassifierError.self) { try Kernel.rbf(gamma: -1).validate(model: "m") }
        #expect(throws: ClassifierError.self) { try Kernel.rbf(gamma: .nan).validate(model: "m") }
        #expect(throws: ClassifierError.self) { try Kernel.polynomial(degree: 0, gamma: 1).validate(model: "m") }
        #expect(throws: ClassifierError.self) { try Kernel.sigmoid(gamma: 1, coef0: .infinity).validate(model: "m") }
        #expect(throws: Never.self) { try Kernel.linear.validate(model: "m") }
        do {
            try Kernel.rbf(gamma: -2).validate(model: "SupportVectorMachine")
        } catch let error as ClassifierError {
            #expect(error.description == "SupportVectorMachine: kernel gamma = -2.0 is invalid; expected a finite number > 0")
        } catch { Issue.record("unexpected \(error)") }
    }
}
