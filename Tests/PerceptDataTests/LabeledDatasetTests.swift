import PerceptTensor
import Testing

@testable import PerceptData

@Suite("Labeled data sets")
struct LabeledDatasetTests {
    /// Five examples of two features; example i has features [i, 10 + i] and label i % 3.
    let dataset = LabeledDataset(
        features: Tensor(shape: [5, 2], scalars: [0, 10, 1, 11, 2, 12, 3, 13, 4, 14]),
        labels: [0, 1, 2, 0, 1], classCount: 3)

    @Test("count and class counts")
    func counts() {
        #expect(dataset.count == 5)
        #expect(dataset.classCounts == [2, 2, 1])
    }

    @Test("a subset by range keeps features and labels together")
    func subsetByRange() {
        let middle = dataset.subset(1..<3)
        #expect(middle.features == Tensor(shape: [2, 2], scalars: [1, 11, 2, 12]))
        #expect(middle.labels == [1, 2])
        #expect(middle.classCount == 3)
        #expect(dataset.subset(3...).labels == [0, 1])
        #expect(dataset.subset(..<0).count == 0)
    }

    @Test("a subset by indices follows their order")
    func subsetByIndices() {
        let picked = dataset.subset(at: [4, 0, 4])
        #expect(picked.features == Tensor(shape: [3, 2], scalars: [4, 14, 0, 10, 4, 14]))
        #expect(picked.labels == [1, 0, 1])
    }

    @Test("shuffling permutes examples with features and labels in step, reproducibly")
    func shuffled() {
        var generator = RandomGenerator(seed: 7)
        let first = dataset.shuffled(generator: &generator)
        var again = RandomGenerator(seed: 7)
        #expect(dataset.shuffled(generator: &again) == first)

        #expect(first.labels.sorted() == dataset.labels.sorted())
        for row in 0..<first.count {
            let original = Int(first.features[row, 0])
            #expect(first.features[row, 1] == Float(10 + original))
            #expect(first.labels[row] == dataset.labels[original])
        }
        // Some seed among the first few moves something (five elements have 120 orders).
        let moved = (0..<4).contains { seed in
            var g = RandomGenerator(seed: UInt64(seed))
            return dataset.shuffled(generator: &g) != dataset
        }
        #expect(moved)
    }
}
