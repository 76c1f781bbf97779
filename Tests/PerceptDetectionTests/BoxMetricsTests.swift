import PerceptData
import PerceptDetection
import Testing

/// Intersection over union, non-maximum suppression and VOC average precision on cases worked out
/// by hand.
@Suite("Box metrics")
struct BoxMetricsTests {
    func box(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) -> BoundingBox {
        BoundingBox(xMin: x0, yMin: y0, xMax: x1, yMax: y1)
    }

    // MARK: Intersection over union

    @Test func intersectionOverUnionOnHandWorkedCases() {
        #expect(box(0, 0, 2, 2).intersectionOverUnion(with: box(0, 0, 2, 2)) == 1)
        // Shifted by half: intersection 2, union 4 + 4 − 2 = 6.
        #expect(abs(box(0, 0, 2, 2).intersectionOverUnion(with: box(1, 0, 3, 2)) - 1.0 / 3) < 1e-6)
        // Contained: 4 / 16.
        #expect(box(0, 0, 4, 4).intersectionOverUnion(with: box(1, 1, 3, 3)) == 0.25)
        // Corner overlap: intersection 1 × 1, union 9 + 9 − 1 = 17.
        #expect(abs(box(0, 0, 3, 3).intersectionOverUnion(with: box(2, 2, 5, 5)) - 1.0 / 17) < 1e-6)
        // Touching edges and disjoint boxes share nothing; empty boxes give 0, not NaN.
        #expect(box(0, 0, 2, 2).intersectionOverUnion(with: box(2, 0, 4, 2)) == 0)
        #expect(box(0, 0, 1, 1).intersectionOverUnion(with: box(5, 5, 6, 6)) == 0)
        #expect(box(1, 1, 1, 1).intersectionOverUnion(with: box(1, 1, 1, 1)) == 0)
        // Symmetric.
        #expect(box(0, 0, 3, 2).intersectionOverUnion(with: box(1, 1, 4, 5))
            == box(1, 1, 4, 5).intersectionOverUnion(with: box(0, 0, 3, 2)))
    }

    @Test func centreAndSizeConstructorAgreesWithEdges() {
        let b = BoundingBox(centerX: 10, centerY: 20, width: 4, height: 6)
        #expect(b == box(8, 17, 12, 23))
        #expect(b.centerX == 10 && b.centerY == 20 && b.area == 24)
    }

    // MARK: Non-maximum suppression

    @Test func suppressionKeepsTheBestOfOverlappingBoxesPerClass() {
        let detections = [
            Detection(box: box(0, 0, 10, 10), label: 1, score: 0.6),
            Detection(box: box(1, 0, 11, 10), label: 1, score: 0.9),  // IoU 90/110 ≈ 0.82 with the first
            Detection(box: box(5, 0, 15, 10), label: 1, score: 0.7),  // IoU 60/140 ≈ 0.43 with the best
            Detection(box: box(1, 0, 11, 10), label: 2, score: 0.5),  // another class: never suppressed
            Detection(box: box(30, 30, 40, 40), label: 1, score: 0.1),
        ]
        let kept = nonMaximumSuppression(detections, overlapThreshold: 0.5)
        #expect(kept.map(\.score) == [0.9, 0.7, 0.5, 0.1])
        // A stricter threshold also removes the box overlapping the best one by 0.43.
        #expect(nonMaximumSuppression(detections, overlapThreshold: 0.4).map(\.score) == [0.9, 0.5, 0.1])
        #expect(nonMaximumSuppression(detections, overlapThreshold: 0.5, limit: 2).map(\.score) == [0.9, 0.7])
        #expect(nonMaximumSuppression([], overlapThreshold: 0.5).isEmpty)
    }

    // MARK: Average precision

    @Test func averagePrecisionOfAHandWorkedRanking() {
        // Three objects; ranked detections TP, FP, TP: recall 1/3, 1/3, 2/3 and precision 1, 1/2, 2/3.
        // Interpolated precision is 1 up to recall 1/3 and 2/3 up to 2/3: AP = 1/3 + 2/9 = 5/9.
        let truth = [[LabeledBox(box: box(0, 0, 10, 10), label: 0), LabeledBox(box: box(20, 0, 30, 10), label: 0)],
                     [LabeledBox(box: box(0, 0, 10, 10), label: 0)]]
        let detections = [
            [Detection(box: box(0, 0, 10, 10), label: 0, score: 0.9),  // TP
             Detection(box: box(50, 50, 60, 60), label: 0, score: 0.8)],  // FP: nowhere near an object
            [Detection(box: box(1, 0, 11, 10), label: 0, score: 0.7)],  // TP (IoU 0.82)
        ]
        let evaluation = DetectionEvaluation(detections: detections, groundTruth: truth, classCount: 1)
        #expect(abs(evaluation.averagePrecisions[0]! - 5.0 / 9) < 1e-12)
        #expect(evaluation.objectCounts == [2 + 1])
    }

    @Test func duplicatesWrongClassesAndPoorOverlapAreFalsePositives() {
        let truth = [[LabeledBox(box: box(0, 0, 10, 10), label: 0), LabeledBox(box: box(40, 0, 50, 10), label: 1)]]
        let detections = [[
            Detection(box: box(0, 0, 10, 10), label: 0, score: 0.9),  // TP
            Detection(box: box(0, 0, 10, 10), label: 0, score: 0.8),  // duplicate of a matched object: FP
            Detection(box: box(40, 0, 50, 10), label: 0, score: 0.7),  // right place, wrong class: FP for class 0
            Detection(box: box(45, 0, 55, 10), label: 1, score: 0.6),  // IoU 50/150 = 1/3 < 0.5: FP
            Detection(box: box(41, 0, 50, 10), label: 1, score: 0.5),  // IoU 0.9: TP
        ]]
        let evaluation = DetectionEvaluation(detections: detections, groundTruth: truth, classCount: 3)
        // Class 0: TP first, so recall 1 at precision 1.
        #expect(evaluation.averagePrecisions[0] == 1)
        // Class 1: FP then TP: recall 1 reached at precision 1/2.
        #expect(evaluation.averagePrecisions[1] == 0.5)
        // Class 2 has no objects: undefined, and left out of the mean.
        #expect(evaluation.averagePrecisions[2] == nil)
        #expect(evaluation.meanAveragePrecision == 0.75)
        // At a looser threshold the IoU-1/3 detection counts, and the later one becomes a duplicate.
        let loose = DetectionEvaluation(detections: detections, groundTruth: truth, classCount: 3, overlapThreshold: 0.3)
        #expect(loose.averagePrecisions[1] == 1)
    }

    @Test func missedObjectsCapTheRecall() {
        // Two objects, one found: AP = 1/2 · 1. Nothing detected: AP = 0.
        let truth = [[LabeledBox(box: box(0, 0, 10, 10), label: 0)], [LabeledBox(box: box(0, 0, 10, 10), label: 0)]]
        let found = DetectionEvaluation(
            detections: [[Detection(box: box(0, 0, 10, 10), label: 0, score: 0.5)], []], groundTruth: truth, classCount: 1)
        #expect(found.averagePrecisions[0] == 0.5)
        let none = DetectionEvaluation(detections: [[], []], groundTruth: truth, classCount: 1)
        #expect(none.averagePrecisions[0] == 0)
    }
}
