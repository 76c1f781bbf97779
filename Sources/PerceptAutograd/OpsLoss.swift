import PerceptTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Backward rules of the losses. Each returns the mean over the n rows of the batch.
//
//   loss                          forward (per row)                   ∂/∂x (per row)
//   softmaxCrossEntropy(z, t)     −log softmax(z)_t                   (softmax(z) − onehot(t)) / n
//   squaredError(y, t)            ½ Σ_k (y_k − t_k)²                  (y − t) / n
//   binaryCrossEntropy(z, t)      −t log σ(z) − (1 − t) log(1 − σ(z))  (σ(z) − t) / n

/// Softmax cross-entropy between `logits` `[n, classes]` and integer class `labels`, averaged over
/// the rows; computed from the logits through log-sum-exp, so it never takes the log of zero.
public func softmaxCrossEntropy(logits: Variable, labels: [Int]) -> Variable {
    precondition(logits.value.rank == 2, "softmaxCrossEntropy needs logits [n, classes], got \(logits.shape)")
    let (n, classes) = (logits.shape[0], logits.shape[1])
    precondition(labels.count == n, "softmaxCrossEntropy: \(labels.count) labels for \(n) rows")
    let logProbabilities = logSoftmaxRows(logits.value)
    var total: Double = 0
    logProbabilities.withUnsafeBufferPointer { lp in
        for (row, label) in labels.enumerated() {
            precondition(label >= 0 && label < classes, "label \(label) out of range 0..<\(classes)")
            total -= Double(lp[row * classes + label])
        }
    }
    let loss = Tensor(Float(total / Double(max(n, 1))))
    return record("softmaxCrossEntropy", loss, inputs: [logits]) { g, _ in
        let scale = g.scalar / Float(max(n, 1))
        var gradient = logProbabilities.map { expf($0) * scale }
        gradient.withUnsafeMutableBufferPointer { out in
            for (row, label) in labels.enumerated() { out[row * classes + label] -= scale }
        }
        return [gradient]
    }
}

/// The squared error `½ Σ_k (y_k − t_k)²` per row, averaged over the rows (the seed's L2
/// difference loss).
public func squaredError(predictions y: Variable, targets t: Tensor) -> Variable {
    precondition(y.shape == t.shape, "squaredError: predictions \(y.shape) and targets \(t.shape) differ")
    let n = Float(max(y.value.rank == 0 ? 1 : y.shape[0], 1))
    let difference = y.value - t
    let loss = Tensor(Float(difference.squaredNorm() / 2) / n)
    return record("squaredError", loss, inputs: [y]) { g, _ in
        [difference * (g.scalar / n)]
    }
}

/// Binary cross-entropy between `logits` (before the sigmoid) and targets in [0, 1] of the same
/// shape, averaged over the rows; computed stably as `max(z, 0) − z·t + log(1 + e^−|z|)`.
public func binaryCrossEntropy(logits z: Variable, targets t: Tensor) -> Variable {
    precondition(z.shape == t.shape, "binaryCrossEntropy: logits \(z.shape) and targets \(t.shape) differ")
    let n = Float(max(z.value.rank == 0 ? 1 : z.shape[0], 1))
    let perElement = Tensor.zip(z.value, t) { z, t in max(z, 0) - z * t + log1pf(expf(-abs(z))) }
    let loss = Tensor(perElement.sum() / n)
    return record("binaryCrossEntropy", loss, inputs: [z]) { g, _ in
        let scale = g.scalar / n
        return [Tensor.zip(z.value, t) { z, t in (stableSigmoid(z) - t) * scale }]
    }
}

/// One-hot encoding of integer labels as a `[n, classes]` tensor.
public func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    var result = Tensor(zeros: [labels.count, classes])
    result.withUnsafeMutableBufferPointer { out in
        for (row, label) in labels.enumerated() {
            precondition(label >= 0 && label < classes, "label \(label) out of range 0..<\(classes)")
            out[row * classes + label] = 1
        }
    }
    return result
}
