import PerceptTensor
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test func broadcastShapesFollowNumPyRules() {
        #expect(Broadcasting.shape([128, 10], [10]) == [128, 10])
        #expect(Broadcasting.shape([4, 1], [1, 3]) == [4, 3])
        #expect(Broadcasting.shape([2, 3], []) == [2, 3])
        #expect(Broadcasting.shape([2, 1, 5], [4, 1]) == [2, 4, 5])
        #expect(Broadcasting.shape([3], [4]) == nil)
        #expect(Broadcasting.shape([2, 3], [3, 3]) == nil)
    }

    @Test func broadcastArithmetic() {
        let column = Tensor(shape: [2, 1], scalars: [1, 2])
        let row = Tensor(shape: [3], scalars: [10, 20, 30])
        #expect((column + row).scalars == [11, 21, 31, 12, 22, 32])
        #expect((row - column).scalars == [9, 19, 29, 8, 18, 28])
        let cube = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        let middle = Tensor(shape: [3, 1], scalars: [1, 10, 100])
        #expect((cube * middle).shape == [2, 3, 2])
        #expect((cube * middle).scalars == [1, 2, 10, 20, 100, 200, 3, 4, 30, 40, 300, 400])
    }

    @Test func summingUndoesBroadcasting() {
        let gradient = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(gradient.summed(toShape: [3]).scalars == [5, 7, 9])
        #expect(gradient.summed(toShape: [2, 1]).scalars == [6, 15])
        #expect(gradient.summed(toShape: [1, 3]).scalars == [5, 7, 9])
        #expect(gradient.summed(toShape: []).scalars == [21])
    }

    @Test func matmulAgreesWithTheDefinitionForEveryTransposition() {
        var generator = RandomGenerator(seed: 1)
        let a = Tensor.uniform(shape: [3, 4], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform(shape: [4, 5], low: -1, high: 1, generator: &generator)
        func naive(_ a: Tensor, _ b: Tensor) -> Tensor {
            var c = Tensor(zeros: [a.shape[0], b.shape[1]])
            for i in 0..<a.shape[0] {
                for j in 0..<b.shape[1] {
                    var total: Float = 0
                    for k in 0..<a.shape[1] { total += a[i, k] * b[k, j] }
                    c[i, j] = total
                }
            }
            return c
        }
        func transpose(_ m: Tensor) -> Tensor {
            var t = Tensor(zeros: [m.shape[1], m.shape[0]])
            for i in 0..<m.shape[0] { for j in 0..<m.shape[1] { t[j, i] = m[i, j] } }
            return t
        }
        let expected = naive(a, b)
        let results = [
            Tensor.matmul(a, b),
            Tensor.matmul(transpose(a), b, transposeA: true),
            Tensor.matmul(a, transpose(b), transposeB: true),
            Tensor.matmul(transpose(a), transpose(b), transposeA: true, transposeB: true),
        ]
        for result in results {
            #expect(result.shape == [3, 5])
            #expect(zip(result.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func reductions() {
        let t = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        #expect(t.sum() == 21)
        #expect(t.sum(alongAxis: 0).scalars == [5, 7, 9])
        #expect(t.sum(alongAxis: 1).scalars == [9, 12])
        #expect(t.sum(alongAxis: -1, keepingAxis: true).shape == [2, 1])
        #expect(t.max(alongAxis: 1).scalars == [5, 6])
        #expect(t.mean(alongAxis: 0).scalars == [2.5, 3.5, 4.5])
        #expect(t.argmaxRows() == [1, 2])
    }

    @Test func reshapeInfersOneExtentAndGatherPicksRows() {
        let t = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.reshaped([-1]).shape == [6])
        #expect(t.reshaped([2, -1]).shape == [2, 3])
        #expect(t.rows(at: [2, 0]).scalars == [5, 6, 1, 2])
        #expect(t.rows(1..<3).scalars == [3, 4, 5, 6])
    }

    @Test func finiteness() {
        #expect(Tensor(shape: [2], scalars: [1, 2]).isFinite)
        #expect(!Tensor(shape: [2], scalars: [1, .nan]).isFinite)
        #expect(!Tensor(shape: [2], scalars: [.infinity, 2]).isFinite)
    }

    @Test func sameSeedSameStreamAndPermutationsArePermutations() {
        var a = RandomGenerator(seed: 42)
        var b = RandomGenerator(seed: 42)
        var c = RandomGenerator(seed: 43)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
        let permutation = a.permutation(100)
        #expect(permutation.sorted() == Array(0..<100))
        #expect(permutation != Array(0..<100))
    }

    @Test func normalSamplesHaveTheRequestedMoments() {
        var generator = RandomGenerator(seed: 7)
        let samples = Tensor.normal(shape: [20000], mean: 1, standardDeviation: 2, generator: &generator)
        let mean = samples.mean()
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.mean()
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(variance.squareRoot() - 2) < 0.05)
    }
}
