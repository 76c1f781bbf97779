import PerceptTensor

/// Examples for classification: one feature row per example and its class label.
///
/// Row `i` of ``features`` (along the outermost axis) belongs with `labels[i]`. For MNIST the
/// features have the shape `[n, 28, 28]` with pixel values in `[0, 1]`.
public struct LabeledDataset: Sendable, Equatable {
    /// The features, one example per index of the outermost axis.
    public var features: Tensor
    /// The class of each example, in `0..<classCount`.
    public var labels: [Int]
    /// The number of classes the labels are drawn from.
    public var classCount: Int

    /// Creates a data set.
    ///
    /// - Precondition: `features` has one row per label, and every label lies in `0..<classCount`.
    public init(features: Tensor, labels: [Int], classCount: Int) {
        precondition(features.rank >= 1, "LabeledDataset: features need at least one axis, shape is \(features.shape)")
        precondition(
            features.shape[0] == labels.count,
            "LabeledDataset: \(features.shape[0]) feature rows but \(labels.count) labels")
        precondition(
            labels.allSatisfy { $0 >= 0 && $0 < classCount },
            "LabeledDataset: every label must lie in 0..<\(classCount)")
        self.features = features
        self.labels = labels
        self.classCount = classCount
    }

    /// The number of examples.
    public var count: Int { labels.count }

    /// The examples in `range`, in order, e.g. `dataset.subset(..<1000)`.
    ///
    /// - Precondition: `range` lies within `0..<count`.
    public func subset(_ range: some RangeExpression<Int>) -> LabeledDataset {
        let bounds = range.relative(to: 0..<count)
        precondition(bounds.lowerBound >= 0 && bounds.upperBound <= count, "subset \(bounds) is out of 0..<\(count)")
        return LabeledDataset(
            features: features.rows(bounds), labels: Array(labels[bounds]), classCount: classCount)
    }

    /// The examples at `indices`, in that order (indices may repeat).
    ///
    /// - Precondition: every index lies within `0..<count`.
    public func subset(at indices: [Int]) -> LabeledDataset {
        LabeledDataset(
            features: features.rows(at: indices), labels: indices.map { labels[$0] }, classCount: classCount)
    }

    /// The same examples in a random order drawn from `generator`; features and labels move together.
    public func shuffled(generator: inout RandomGenerator) -> LabeledDataset {
        subset(at: generator.permutation(count))
    }

    /// How many examples each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
