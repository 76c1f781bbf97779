import Foundation
import PerceptTensor

/// Twelve points in three well-separated groups of four (classes 0, 1, 2) and two query points;
/// the same data as the reference script in `ReferenceValueTests.swift`.
enum Fixtures {
    static let points: [[Float]] = [
        [0.0, 0.0], [0.5, 0.2], [0.1, 0.6], [0.3, 0.3],
        [2.0, 2.0], [2.4, 1.7], [1.8, 2.5], [2.2, 2.2],
        [0.0, 2.0], [0.4, 2.4], [-0.2, 1.6], [0.3, 2.1],
    ]
    static let labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    static var x: Tensor { Tensor(shape: [12, 2], scalars: points.flatMap { $0 }) }
    static var queries: Tensor { Tensor(shape: [2, 2], scalars: [1.0, 1.0, 0.0, 1.5]) }

    /// XOR-like data in 2-D that no linear model separates: class 1 where x·y > 0.
    static func xor(count: Int, seed: UInt64) -> (Tensor, [Int]) {
        var generator = RandomGenerator(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        while labels.count < count {
            let a = generator.nextUniform() * 2 - 1
            let b = generator.nextUniform() * 2 - 1
            if abs(a) < 0.15 || abs(b) < 0.15 { continue }  // a margin around the axes
            values += [a, b]
            labels.append(a * b > 0 ? 1 : 0)
        }
        return (Tensor(shape: [count, 2], scalars: values), labels)
    }

    /// Gaussian blobs around `k` centres on a circle of radius 3, `perClass` samples each.
    static func blobs(k: Int, perClass: Int, features: Int = 2, seed: UInt64) -> (Tensor, [Int]) {
        var generator = RandomGenerator(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        for index in 0..<(k * perClass) {
            let label = index % k
            let angle = Float(label) * 2 * Float.pi / Float(k)
            for f in 0..<features {
                let centre: Float = f == 0 ? 3 * cosf(angle) : (f == 1 ? 3 * sinf(angle) : 0)
                values.append(centre + 0.5 * generator.nextNormal())
            }
            labels.append(label)
        }
        return (Tensor(shape: [k * perClass, features], scalars: values), labels)
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).map { abs(Double($0) - $1) }.max() ?? .infinity
}
