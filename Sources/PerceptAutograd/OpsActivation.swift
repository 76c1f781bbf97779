import PerceptTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Backward rules of activations (y is the output, g the gradient of y).
//
//   op          forward                         ∂/∂x
//   relu        max(x, 0)                       g · [x > 0]
//   sigmoid     1 / (1 + e^−x)                  g · y · (1 − y)
//   tanh        tanh x                          g · (1 − y²)
//   softmax     e^x_i / Σ_j e^x_j  (last axis)  y · (g − Σ_j g_j y_j)
//   logSoftmax  x_i − log Σ_j e^x_j             g − softmax(x) · Σ_j g_j

/// Rectified linear unit, `max(x, 0)`.
public func relu(_ x: Variable) -> Variable {
    let y = x.value.rectified()
    return record("relu", y, inputs: [x]) { g, _ in [Tensor.rectifiedGradient(g, output: y)] }
}

/// The logistic sigmoid, `1 / (1 + e^−x)`, computed without overflow.
public func sigmoid(_ x: Variable) -> Variable {
    let y = x.value.map(stableSigmoid)
    return record("sigmoid", y, inputs: [x]) { g, _ in
        [Tensor.zip(g, y) { $0 * $1 * (1 - $1) }]
    }
}

/// The hyperbolic tangent.
public func tanh(_ x: Variable) -> Variable {
    let y = x.value.map { tanhf($0) }
    return record("tanh", y, inputs: [x]) { g, _ in
        [Tensor.zip(g, y) { $0 * (1 - $1 * $1) }]
    }
}

/// Softmax over the last axis, shifted by the row maximum for stability.
public func softmax(_ x: Variable) -> Variable {
    let y = softmaxRows(x.value)
    return record("softmax", y, inputs: [x]) { g, _ in
        let columns = y.shape.last ?? 1
        return [g.withUnsafeBufferPointer { gs in
            y.withUnsafeBufferPointer { ys in
                Tensor(shape: y.shape) { out in
                    for start in stride(from: 0, to: out.count, by: columns) {
                        var dot: Float = 0
                        for j in start..<(start + columns) { dot += gs[j] * ys[j] }
                        for j in start..<(start + columns) { out[j] = ys[j] * (gs[j] - dot) }
                    }
                }
            }
        }]
    }
}

/// The logarithm of the softmax over the last axis, computed stably.
public func logSoftmax(_ x: Variable) -> Variable {
    let logY = logSoftmaxRows(x.value)
    let probabilities = logY.map { expf($0) }
    return record("logSoftmax", logY, inputs: [x]) { g, _ in
        let columns = logY.shape.last ?? 1
        return [g.withUnsafeBufferPointer { gs in
            probabilities.withUnsafeBufferPointer { ps in
                Tensor(shape: logY.shape) { out in
                    for start in stride(from: 0, to: out.count, by: columns) {
                        var total: Float = 0
                        for j in start..<(start + columns) { total += gs[j] }
                        for j in start..<(start + columns) { out[j] = gs[j] - ps[j] * total }
                    }
                }
            }
        }]
    }
}

/// The logistic sigmoid of one value, without overflow for large |x|.
@inlinable func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + expf(-x))
    }
    let e = expf(x)
    return e / (1 + e)
}

/// Softmax over the last axis of a tensor (no recording).
public func softmaxRows(_ x: Tensor) -> Tensor {
    mapRowsWithLogSumExp(x) { value, logSumExp in expf(value - logSumExp) }
}

/// Log-softmax over the last axis of a tensor (no recording).
func logSoftmaxRows(_ x: Tensor) -> Tensor {
    mapRowsWithLogSumExp(x) { value, logSumExp in value - logSumExp }
}

/// Maps each element with its row's `log Σ_j e^x_j` (over the last axis), computed stably by
/// shifting by the row maximum.
private func mapRowsWithLogSumExp(_ x: Tensor, _ transform: (Float, Float) -> Float) -> Tensor {
    let columns = x.shape.last ?? 1
    return x.withUnsafeBufferPointer { xs in
        Tensor(shape: x.shape) { out in
            for start in stride(from: 0, to: out.count, by: columns) {
                var maximum = -Float.infinity
                for j in start..<(start + columns) { maximum = max(maximum, xs[j]) }
                var total: Float = 0
                for j in start..<(start + columns) { total += expf(xs[j] - maximum) }
                let logSumExp = logf(total) + maximum
                for j in start..<(start + columns) { out[j] = transform(xs[j], logSumExp) }
            }
        }
    }
}
