import PerceptData

/// Greedy non-maximum suppression, per class: detections are visited from the highest score down,
/// and one is kept unless a kept detection of the same class overlaps it by more than
/// `overlapThreshold` (intersection over union). Detections of different classes never suppress
/// each other.
///
/// - Parameters:
///   - detections: candidate detections, in any order.
///   - overlapThreshold: the largest IoU a kept detection may have with a better one of its class.
///   - limit: keep at most this many (the best); `nil` keeps every survivor.
/// - Returns: the surviving detections, best first (ties keep their input order).
public func nonMaximumSuppression(_ detections: [Detection], overlapThreshold: Float, limit: Int? = nil) -> [Detection] {
    let order = detections.indices.sorted { a, b in
        detections[a].score != detections[b].score ? detections[a].score > detections[b].score : a < b
    }
    var keptByClass: [Int: [BoundingBox]] = [:]
    var kept: [Detection] = []
    for index in order {
        if let limit, kept.count >= limit { break }
        let candidate = detections[index]
        let others = keptByClass[candidate.label, default: []]
        guard !others.contains(where: { $0.intersectionOverUnion(with: candidate.box) > overlapThreshold }) else { continue }
        keptByClass[candidate.label, default: []].append(candidate.box)
        kept.append(candidate)
    }
    return kept
}
