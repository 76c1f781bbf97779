import PerceptTensor

// Backward rules of batch normalization over the last axis (channels); every other axis is
// reduced: x is viewed as [m, c]. μ and σ² are the batch mean and (biased) variance per channel,
// s = 1 / √(σ² + ε), x̂ = (x − μ) · s.
//
//   op                                    forward          ∂/∂x                                  ∂/∂γ        ∂/∂β
//   batchNorm(x, γ, β)  (training)        γ · x̂ + β        γ s / m · (m g − Σ g − x̂ Σ g x̂)      Σ g x̂       Σ g
//   batchNorm(x, γ, β; μ, σ²) (inference) γ · x̂ + β        γ s · g                               Σ g x̂       Σ g
//
// (sums over the m rows, per channel; in inference μ and σ² are constants, the running averages.)

/// Batch normalization with the statistics of the batch itself (training mode).
///
/// - Returns: the normalized output, and the batch mean and biased variance per channel (from
///   which a layer updates its running statistics).
public func batchNormalization(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float)
    -> (output: Variable, mean: Tensor, variance: Tensor)
{
    let c = x.shape.last ?? 1
    precondition(gamma.shape == [c] && beta.shape == [c], "batchNormalization: γ \(gamma.shape), β \(beta.shape), expected [\(c)]")
    let m = x.value.count / max(c, 1)
    var meanSums = [Double](repeating: 0, count: c)
    var squareSums = [Double](repeating: 0, count: c)
    x.value.withUnsafeBufferPointer { xs in
        var blockSum = [Float](repeating: 0, count: c)
        var row = 0
        while row < m {
            // Rows are summed in Float in blocks of 64 (vectorised), blocks in Double.
            let end = min(row + 64, m)
            for j in 0..<c { blockSum[j] = 0 }
            for r in row..<end { for j in 0..<c { blockSum[j] += xs[r * c + j] } }
            for j in 0..<c { meanSums[j] += Double(blockSum[j]) }
            row = end
        }
        let means = meanSums.map { Float($0 / Double(max(m, 1))) }
        row = 0
        while row < m {
            let end = min(row + 64, m)
            for j in 0..<c { blockSum[j] = 0 }
            for r in row..<end {
                for j in 0..<c {
                    let d = xs[r * c + j] - means[j]
                    blockSum[j] += d * d
                }
            }
            for j in 0..<c { squareSums[j] += Double(blockSum[j]) }
            row = end
        }
    }
    let mean = Tensor(shape: [c], scalars: meanSums.map { Float($0 / Double(max(m, 1))) })
    let variance = Tensor(shape: [c], scalars: squareSums.map { Float($0 / Double(max(m, 1))) })
    let inverseDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let normalized = normalize(x.value, mean: mean, scale: inverseDeviation)
    let output = affine(normalized, scale: gamma.value, shift: beta.value)
    let result = record("batchNormalization", output, inputs: [x, gamma, beta]) { g, needs in
        let (sumG, sumGX) = channelSums(g, normalized)
        var dx: Tensor?
        if needs[0] {
            dx = g.withUnsafeBufferPointer { gs in
                normalized.withUnsafeBufferPointer { xh in
                    Tensor(shape: x.shape) { out in
                        var a = [Float](repeating: 0, count: c)
                        var meanG = [Float](repeating: 0, count: c)
                        var meanGX = [Float](repeating: 0, count: c)
                        for j in 0..<c {
                            a[j] = gamma.value.scalars[j] * inverseDeviation.scalars[j]
                            meanG[j] = sumG.scalars[j] / Float(m)
                            meanGX[j] = sumGX.scalars[j] / Float(m)
                        }
                        for r in 0..<m {
                            for j in 0..<c {
                                let i = r * c + j
                                out[i] = a[j] * (gs[i] - meanG[j] - xh[i] * meanGX[j])
                            }
                        }
                    }
                }
            }
        }
        return [dx, needs[1] ? sumGX : nil, needs[2] ? sumG : nil]
    }
    return (result, mean, variance)
}

/// Batch normalization with fixed statistics (inference mode): `γ · (x − μ) / √(σ² + ε) + β`.
public func batchNormalization(
    _ x: Variable, gamma: Variable, beta: Variable, mean: Tensor, variance: Tensor, epsilon: Float
) -> Variable {
    let c = x.shape.last ?? 1
    precondition(
        gamma.shape == [c] && beta.shape == [c] && mean.shape == [c] && variance.shape == [c],
        "batchNormalization: parameters must all have shape [\(c)]")
    let inverseDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let normalized = normalize(x.value, mean: mean, scale: inverseDeviation)
    let output = affine(normalized, scale: gamma.value, shift: beta.value)
    return record("batchNormalizationInference", output, inputs: [x, gamma, beta]) { g, needs in
        let (sumG, sumGX) = needs[1] || needs[2] ? channelSums(g, normalized) : (Tensor(zeros: [c]), Tensor(zeros: [c]))
        let dx = needs[0] ? affine(g, scale: gamma.value * inverseDeviation, shift: Tensor(zeros: [c])) : nil
        return [dx, needs[1] ? sumGX : nil, needs[2] ? sumG : nil]
    }
}

/// `(x − mean) · scale` per channel (last axis).
private func normalize(_ x: Tensor, mean: Tensor, scale: Tensor) -> Tensor {
    affine(x, scale: scale, shift: (mean * scale) * -1)
}

/// `x · scale + shift` per channel (last axis).
private func affine(_ x: Tensor, scale: Tensor, shift: Tensor) -> Tensor {
    let c = scale.count
    return x.withUnsafeBufferPointer { xs in
        scale.withUnsafeBufferPointer { s in
            shift.withUnsafeBufferPointer { t in
                Tensor(shape: x.shape) { out in
                    for r in 0..<(xs.count / max(c, 1)) {
                        for j in 0..<c { out[r * c + j] = xs[r * c + j] * s[j] + t[j] }
                    }
                }
            }
        }
    }
}

/// Per channel: `Σ g` and `Σ g · x̂` over the rows.
private func channelSums(_ g: Tensor, _ normalized: Tensor) -> (Tensor, Tensor) {
    let c = normalized.shape.last ?? 1
    var sumG = [Float](repeating: 0, count: c)
    var sumGX = [Float](repeating: 0, count: c)
    g.withUnsafeBufferPointer { gs in
        normalized.withUnsafeBufferPointer { xh in
            for r in 0..<(gs.count / max(c, 1)) {
                for j in 0..<c {
                    sumG[j] += gs[r * c + j]
                    sumGX[j] += gs[r * c + j] * xh[r * c + j]
                }
            }
        }
    }
    return (Tensor(shape: [c], scalars: sumG), Tensor(shape: [c], scalars: sumGX))
}
