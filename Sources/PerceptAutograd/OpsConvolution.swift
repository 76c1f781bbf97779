import PerceptTensor

// Backward rule of 2-D convolution (cross-correlation, as in Keras and the seed), on NHWC images.
// P = patches(x) is the [n·oh·ow, kh·kw·cin] patch matrix, W the kernel viewed as [kh·kw·cin, cout],
// g the output gradient viewed as [n·oh·ow, cout]; fold is the adjoint of patches (col2im); with
// ReLU fused, y is the output and g' = g · [y > 0].
//
//   op                       forward              ∂/∂x              ∂/∂W       ∂/∂b
//   conv2D(x, W, b)          P · W + b            fold(g · Wᵀ)      Pᵀ · g     Σ_rows g
//   conv2D(x, W, b, relu)    max(P · W + b, 0)    fold(g' · Wᵀ)     Pᵀ · g'    Σ_rows g'
//
// `Convolution` in PerceptTensor computes these either with patch matrices a few images at a time
// (reusing a small batch's patches in the backward pass) or, for few channels, directly from the
// images without patches; the rule is the same.

/// The 2-D convolution of NHWC images `x` `[n, h, w, cin]` with a kernel `[kh, kw, cin, cout]`
/// and an optional bias `[cout]`, over the windows of `geometry`; the result is
/// `[n, oh, ow, cout]`, passed through ReLU when `rectified` (one pass instead of two).
public func conv2D(_ x: Variable, kernel w: Variable, bias b: Variable?, geometry: WindowGeometry,
                   rectified: Bool = false) -> Variable {
    precondition(
        w.value.rank == 4 && Array(w.shape.prefix(3)) == [geometry.kernelHeight, geometry.kernelWidth, geometry.channels],
        "conv2D: kernel \(w.shape) does not match a \(geometry.kernelHeight)×\(geometry.kernelWidth) window over \(geometry.channels) channels")
    let outputs = w.shape[3]
    if let b { precondition(b.shape == [outputs], "conv2D: bias shape \(b.shape), expected [\(outputs)]") }
    let method = Convolution.Method.preferred(for: geometry, outputs: outputs)
    let (output, patches) = Convolution.forward(x.value, kernel: w.value, bias: b?.value, geometry: geometry,
                                                rectified: rectified, method: method)
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return record(rectified ? "conv2D+relu" : "conv2D", output, inputs: inputs) { g, needs in
        let (dx, dw, db) = Convolution.gradients(x.value, kernel: w.value, outputGradient: g, geometry: geometry,
                                                 input: needs[0], kernel: needs[1], bias: b != nil && needs[2],
                                                 patches: patches, rectifiedOutput: rectified ? output : nil,
                                                 method: method)
        return b == nil ? [dx, dw] : [dx, dw, db]
    }
}
