import PerceptData

/// Detection quality as in the PASCAL VOC challenge (from 2010 on): average precision per class
/// with all-point interpolation, and their mean.
///
/// For each class, the detections of that class from all images are ranked by score. Going down
/// the ranking, a detection is a true positive when its best-overlapping ground-truth box of the
/// same class and image has an intersection over union of at least the threshold and was not
/// matched by a better-ranked detection; otherwise it is a false positive (a duplicate, a wrong
/// place, or a wrong class). Precision is then made non-increasing in recall (each precision is
/// replaced by the best precision at any higher recall), and the average precision is the area
/// under that curve: `AP = Σ (rₖ − rₖ₋₁) · p_interp(rₖ)` over the ranks where recall grows.
///
/// Boxes use continuous pixel coordinates (``BoundingBox``), without VOC's "+1" on widths.
public struct DetectionEvaluation: Sendable, Equatable {
    /// The average precision of each class, or `nil` for a class without ground-truth objects.
    public var averagePrecisions: [Double?]
    /// The number of ground-truth objects of each class.
    public var objectCounts: [Int]
    /// The IoU from which a detection counts as finding an object.
    public var overlapThreshold: Float

    /// The mean of the defined per-class average precisions (mAP); 0 if none is defined.
    public var meanAveragePrecision: Double {
        let defined = averagePrecisions.compactMap { $0 }
        return defined.isEmpty ? 0 : defined.reduce(0, +) / Double(defined.count)
    }

    /// Evaluates detections against ground truth.
    ///
    /// - Parameters:
    ///   - detections: per image, the detections (any order).
    ///   - groundTruth: per image, the annotated objects; as many images as `detections`.
    ///   - classCount: the number of classes; labels must lie in `0..<classCount`.
    ///   - overlapThreshold: the IoU needed for a match (0.5 for mAP@0.5).
    public init(
        detections: [[Detection]], groundTruth: [[LabeledBox]], classCount: Int, overlapThreshold: Float = 0.5
    ) {
        precondition(detections.count == groundTruth.count,
                     "DetectionEvaluation: \(detections.count) images of detections, \(groundTruth.count) of ground truth")
        self.overlapThreshold = overlapThreshold
        var counts = [Int](repeating: 0, count: classCount)
        for objects in groundTruth { for object in objects { counts[object.label] += 1 } }
        objectCounts = counts
        averagePrecisions = (0..<classCount).map { label -> Double? in
            guard counts[label] > 0 else { return nil }
            var ranked: [(image: Int, detection: Detection)] = []
            for (image, found) in detections.enumerated() {
                for detection in found where detection.label == label { ranked.append((image, detection)) }
            }
            // A stable ranking: equal scores keep image order.
            ranked = ranked.enumerated().sorted { a, b in
                a.element.detection.score != b.element.detection.score
                    ? a.element.detection.score > b.element.detection.score : a.offset < b.offset
            }.map(\.element)
            var matched = groundTruth.map { [Bool](repeating: false, count: $0.count) }
            var truePositives = 0
            var precisions: [Double] = []
            var recalls: [Double] = []
            for (rank, entry) in ranked.enumerated() {
                var best: (index: Int, overlap: Float)?
                for (index, object) in groundTruth[entry.image].enumerated() where object.label == label {
                    let overlap = object.box.intersectionOverUnion(with: entry.detection.box)
                    if overlap > (best?.overlap ?? -1) { best = (index, overlap) }
                }
                if let best, best.overlap >= overlapThreshold, !matched[entry.image][best.index] {
                    matched[entry.image][best.index] = true
                    truePositives += 1
                }
                precisions.append(Double(truePositives) / Double(rank + 1))
                recalls.append(Double(truePositives) / Double(counts[label]))
            }
            return Self.areaUnderInterpolatedCurve(precisions: precisions, recalls: recalls)
        }
    }

    /// The all-point interpolated area under a precision–recall curve given rank by rank.
    static func areaUnderInterpolatedCurve(precisions: [Double], recalls: [Double]) -> Double {
        var interpolated = precisions
        var running = 0.0
        for index in interpolated.indices.reversed() {
            running = max(running, interpolated[index])
            interpolated[index] = running
        }
        var area = 0.0
        var previousRecall = 0.0
        for (recall, precision) in zip(recalls, interpolated) where recall > previousRecall {
            area += (recall - previousRecall) * precision
            previousRecall = recall
        }
        return area
    }
}
