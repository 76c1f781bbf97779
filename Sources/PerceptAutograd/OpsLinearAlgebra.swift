import PerceptTensor

// Backward rules of matrix products (all through BLAS sgemm).
//
//   op                 forward           ∂/∂x          ∂/∂W          ∂/∂b
//   matmul(x, W)       x · W             g · Wᵀ        xᵀ · g
//   linear(x, W, b)    x · W + b         g · Wᵀ        xᵀ · g        Σ_rows g

/// The matrix product of two rank-2 variables.
public func matmul(_ x: Variable, _ w: Variable) -> Variable {
    record("matmul", Tensor.matmul(x.value, w.value), inputs: [x, w]) { g, needs in
        [needs[0] ? Tensor.matmul(g, w.value, transposeB: true) : nil,
         needs[1] ? Tensor.matmul(x.value, g, transposeA: true) : nil]
    }
}

/// The affine map `x · W + b` of a batch of rows `x` `[n, in]`, weights `W` `[in, out]` and bias
/// `b` `[out]`, fused into one operation (one `sgemm` forward, two backward).
///
/// The gradient with respect to `x` is skipped when `x` needs none, as for a network's input.
public func linear(_ x: Variable, weight w: Variable, bias b: Variable?) -> Variable {
    precondition(x.value.rank == 2 && w.value.rank == 2, "linear needs x [n, in] and W [in, out], got \(x.shape), \(w.shape)")
    let (n, k, m) = (x.shape[0], x.shape[1], w.shape[1])
    precondition(w.shape[0] == k, "linear: input has \(k) features, weight expects \(w.shape[0])")
    if let b { precondition(b.shape == [m], "linear: bias shape \(b.shape), expected [\(m)]") }
    let output = Tensor(shape: [n, m]) { out in
        if let b {
            b.value.withUnsafeBufferPointer { bias in
                for row in 0..<n { (out.baseAddress! + row * m).update(from: bias.baseAddress!, count: m) }
            }
        }
        x.value.withUnsafeBufferPointer { xs in
            w.value.withUnsafeBufferPointer { ws in
                BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: m, k: k, alpha: 1,
                           a: xs.baseAddress!, lda: k, b: ws.baseAddress!, ldb: m, beta: b == nil ? 0 : 1,
                           c: out.baseAddress!, ldc: m)
            }
        }
    }
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return record("linear", output, inputs: inputs) { g, needs in
        var grads: [Tensor?] = [
            needs[0] ? Tensor.matmul(g, w.value, transposeB: true) : nil,
            needs[1] ? Tensor.matmul(x.value, g, transposeA: true) : nil,
        ]
        if b != nil { grads.append(needs[2] ? g.columnSums() : nil) }
        return grads
    }
}
