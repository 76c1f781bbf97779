import Foundation
import PerceptData
import PerceptDetection
import PerceptTensor
import Testing

/// The detector's training objective: its value against an independent computation, its gradient
/// against finite differences, and the grid targets it is built on.
@Suite("Detection loss")
struct DetectionLossTests {
    /// Two images on a 2 × 3 grid of stride-8 cells with 3 classes (8 channels per cell).
    static let targets = [
        GridTargets(objects: [LabeledBox(box: BoundingBox(xMin: 2, yMin: 1, xMax: 14, yMax: 13), label: 2)],
                    height: 16, width: 24, stride: 8, referenceSize: 8),
        GridTargets(objects: [LabeledBox(box: BoundingBox(xMin: 17, yMin: 9, xMax: 23, yMax: 16), label: 0),
                              LabeledBox(box: BoundingBox(xMin: 3, yMin: 2, xMax: 7, yMax: 12), label: 1)],
                    height: 16, width: 24, stride: 8, referenceSize: 8),
    ]

    static func randomOutputs(seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.normal(shape: [2, 2, 3, 8], standardDeviation: 1, generator: &generator)
    }

    @Test func targetsPutEachObjectInTheCellHoldingItsCentre() {
        let first = Self.targets[0]
        #expect(first.rows == 2 && first.columns == 3)
        // Centre (8, 7): column 1, row 0; offsets from the cell centre (12, 4) in cells.
        #expect(first.assignments.count == 1)
        let a = first.assignments[0]
        #expect(a.cell == 1 && a.label == 2)
        #expect(abs(a.offsetX - (-0.5)) < 1e-6 && abs(a.offsetY - 0.375) < 1e-6)
        #expect(abs(a.logWidth - log(12 / 8)) < 1e-6 && abs(a.logHeight - log(12 / 8)) < 1e-6)
        // Centres (20, 12.5) → row 1, column 2 (cell 5); (5, 7) → row 0, column 0 (cell 0).
        #expect(Self.targets[1].assignments.map(\.cell) == [0, 5])
        #expect(Self.targets[1].assignments.map(\.label) == [1, 0])
    }

    @Test func twoCentresInOneCellLeaveItToTheLargerBox() {
        let objects = [LabeledBox(box: BoundingBox(xMin: 0, yMin: 0, xMax: 6, yMax: 6), label: 3),
                       LabeledBox(box: BoundingBox(xMin: 0, yMin: 0, xMax: 7, yMax: 7), label: 4)]
        let targets = GridTargets(objects: objects, height: 8, width: 8, stride: 8, referenceSize: 8)
        #expect(targets.assignments.map(\.label) == [4])
    }

    @Test func lossOfZeroOutputsMatchesItsDefinition() {
        // With all outputs 0: each cell's BCE is log 2, each object's box term boxWeight · Σ t² and
        // its class term log(classes).
        let loss = DetectionLoss(classCount: 3, boxWeight: 5)
        let result = loss.evaluate(Tensor(zeros: [2, 2, 3, 8]), targets: Self.targets)
        var expected = 12 * log(2.0)
        for target in Self.targets {
            for a in target.assignments {
                let squares = [a.offsetX, a.offsetY, a.logWidth, a.logHeight].map { Double($0) * Double($0) }
                expected += 5 * squares.reduce(0, +) + log(3.0)
            }
        }
        #expect(abs(result.loss - expected / 2) < 1e-5)
        #expect(result.objects == 3)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let loss = DetectionLoss(classCount: 3, boxWeight: 5)
        for seed in [UInt64(1), 2, 3] {
            let outputs = Self.randomOutputs(seed: seed)
            let analytic = loss.evaluate(outputs, targets: Self.targets).gradient
            var worst = 0.0
            for element in 0..<outputs.count {
                func value(_ delta: Float) -> Double {
                    var shifted = outputs
                    shifted.withUnsafeMutableBufferPointer { $0[element] += delta }
                    return loss.evaluate(shifted, targets: Self.targets).loss
                }
                let step: Float = 1e-2
                let numeric = (value(step) - value(-step)) / (2 * Double(step))
                let exact = Double(analytic.scalars[element])
                worst = max(worst, abs(numeric - exact) / max(1, abs(numeric), abs(exact)))
            }
            #expect(worst < 2e-3, "seed \(seed): largest relative gradient error \(worst)")
        }
    }

    @Test func classAccuracyCountsResponsibleCellsPredictingTheirClass() {
        var outputs = Tensor(zeros: [2, 2, 3, 8])
        // Image 0, cell 1: class 2 wins; image 1, cell 0: class 0 wins (wrong, it is a 1); cell 5: class 0 (right).
        outputs.withUnsafeMutableBufferPointer { o in
            o[(0 * 6 + 1) * 8 + 5 + 2] = 3
            o[(1 * 6 + 0) * 8 + 5 + 0] = 3
            o[(1 * 6 + 5) * 8 + 5 + 0] = 3
        }
        let result = DetectionLoss(classCount: 3).evaluate(outputs, targets: Self.targets)
        #expect(result.objects == 3 && result.correctClasses == 2)
    }
}
