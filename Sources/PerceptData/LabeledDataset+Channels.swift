import PerceptTensor

extension LabeledDataset {
    /// The mean and standard deviation of each channel (the last axis of the features) over every
    /// example and position, computed in double precision.
    public func channelStatistics() -> (mean: [Float], deviation: [Float]) {
        let c = features.shape.last ?? 1
        var sums = [Double](repeating: 0, count: c)
        var squares = [Double](repeating: 0, count: c)
        features.withUnsafeBufferPointer { xs in
            for (i, value) in xs.enumerated() {
                sums[i % c] += Double(value)
                squares[i % c] += Double(value) * Double(value)
            }
        }
        let n = Double(max(features.count / max(c, 1), 1))
        let mean = sums.map { $0 / n }
        let deviation = zip(squares, mean).map { (max($0 / n - $1 * $1, 0)).squareRoot() }
        return (mean.map(Float.init), deviation.map { Float(max($0, 1e-12)) })
    }

    /// The same examples with each channel standardised: `(x − mean[c]) / deviation[c]`.
    ///
    /// Use the training split's ``channelStatistics()`` for both splits.
    public func standardizingChannels(mean: [Float], deviation: [Float]) -> LabeledDataset {
        let c = features.shape.last ?? 1
        precondition(mean.count == c && deviation.count == c, "standardizingChannels: \(c) channels, \(mean.count) means, \(deviation.count) deviations")
        var copy = self
        copy.features.withUnsafeMutableBufferPointer { xs in
            for i in 0..<xs.count { xs[i] = (xs[i] - mean[i % c]) / deviation[i % c] }
        }
        return copy
    }
}
