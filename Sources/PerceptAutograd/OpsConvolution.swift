import PerceptTensor

// Backward rule of 2-D convolution (cross-correlation, as in Keras and the seed), on NHWC images.
// P = patches(x) is the [n·oh·ow, kh·kw·cin] patch matrix, W the kernel viewed as [kh·kw·cin, cout],
// g the output gradient viewed as [n·oh·ow, cout]; fold is the adjoint of patches (col2im).
//
//   op                     forward        ∂/∂x              ∂/∂W       ∂/∂b
//   conv2D(x, W, b)        P · W + b      fold(g · Wᵀ)      Pᵀ · g     Σ_rows g
//
// The products run a few images at a time on each thread (`Convolution` in PerceptTensor); the
// backward pass reuses a small batch's patch matrix and builds a large one's again.

/// The 2-D convolution of NHWC images `x` `[n, h, w, cin]` with a kernel `[kh, kw, cin, cout]`
/// and an optional bias `[cout]`, over the windows of `geometry`; the result is
/// `[n, oh, ow, cout]`.
public func conv2D(_ x: Variable, kernel w: Variable, bias b: Variable?, geometry: WindowGeometry) -> Variable {
    precondition(
        w.value.rank == 4 && Array(w.shape.prefix(3)) == [geometry.kernelHeight, geometry.kernelWidth, geometry.channels],
        "conv2D: kernel \(w.shape) does not match a \(geometry.kernelHeight)×\(geometry.kernelWidth) window over \(geometry.channels) channels")
    let outputs = w.shape[3]
    if let b { precondition(b.shape == [outputs], "conv2D: bias shape \(b.shape), expected [\(outputs)]") }
    let (output, patches) = Convolution.forward(x.value, kernel: w.value, bias: b?.value, geometry: geometry)
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return record("conv2D", output, inputs: inputs) { g, needs in
        let (dx, dw) = Convolution.gradients(x.value, kernel: w.value, outputGradient: g, geometry: geometry,
                                             input: needs[0], kernel: needs[1], patches: patches)
        var grads: [Tensor?] = [dx, dw]
        if b != nil { grads.append(needs[2] ? g.reshaped([g.count / outputs, outputs]).columnSums() : nil) }
        return grads
    }
}
