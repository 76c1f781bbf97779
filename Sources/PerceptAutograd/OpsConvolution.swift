import PerceptTensor

// Backward rule of 2-D convolution (cross-correlation, as in Keras and the seed), on NHWC images.
// P = patches(x) is the [n·oh·ow, kh·kw·cin] patch matrix, W the kernel viewed as [kh·kw·cin, cout],
// g the output gradient viewed as [n·oh·ow, cout]; fold is the adjoint of patches (col2im).
//
//   op                     forward        ∂/∂x              ∂/∂W       ∂/∂b
//   conv2D(x, W, b)        P · W + b      fold(g · Wᵀ)      Pᵀ · g     Σ_rows g
//
// One sgemm over the whole batch forward, two backward (the first skipped for a network's input).

/// The 2-D convolution of NHWC images `x` `[n, h, w, cin]` with a kernel `[kh, kw, cin, cout]`
/// and an optional bias `[cout]`, over the windows of `geometry`; the result is
/// `[n, oh, ow, cout]`.
public func conv2D(_ x: Variable, kernel w: Variable, bias b: Variable?, geometry: WindowGeometry) -> Variable {
    let (n, patch) = (x.shape.first ?? 0, geometry.patchSize)
    precondition(
        w.value.rank == 4 && Array(w.shape.prefix(3)) == [geometry.kernelHeight, geometry.kernelWidth, geometry.channels],
        "conv2D: kernel \(w.shape) does not match a \(geometry.kernelHeight)×\(geometry.kernelWidth) window over \(geometry.channels) channels")
    let outputs = w.shape[3]
    if let b { precondition(b.shape == [outputs], "conv2D: bias shape \(b.shape), expected [\(outputs)]") }
    let rows = n * geometry.outputHeight * geometry.outputWidth
    let patches = Tensor.patches(of: x.value, geometry: geometry)
    let output = Tensor(shape: [n, geometry.outputHeight, geometry.outputWidth, outputs]) { out in
        if let b {
            b.value.withUnsafeBufferPointer { bias in
                for row in 0..<rows { (out.baseAddress! + row * outputs).update(from: bias.baseAddress!, count: outputs) }
            }
        }
        patches.withUnsafeBufferPointer { p in
            w.value.withUnsafeBufferPointer { k in
                BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: outputs, k: patch, alpha: 1,
                           a: p.baseAddress!, lda: patch, b: k.baseAddress!, ldb: outputs, beta: b == nil ? 0 : 1,
                           c: out.baseAddress!, ldc: outputs)
            }
        }
    }
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return record("conv2D", output, inputs: inputs) { g, needs in
        let gradient = g.reshaped([rows, outputs])
        let kernelMatrix = w.value.reshaped([patch, outputs])
        var grads: [Tensor?] = [
            needs[0]
                ? Tensor.foldingPatches(Tensor.matmul(gradient, kernelMatrix, transposeB: true), geometry: geometry, batchSize: n)
                : nil,
            needs[1] ? Tensor.matmul(patches, gradient, transposeA: true).reshaped(w.shape) : nil,
        ]
        if b != nil { grads.append(needs[2] ? gradient.columnSums() : nil) }
        return grads
    }
}
