import CPerceptKernels

// Kernels on the hot path of training, in C with AVX2 versions chosen at run time
// (`Sources/CPerceptKernels`).

extension Tensor {
    /// `max(x, 0)` elementwise.
    public func rectified() -> Tensor {
        withUnsafeBufferPointer { x in
            Tensor(shape: shape) { y in pk_relu(x.baseAddress, y.baseAddress, count) }
        }
    }

    /// The gradient of ReLU: `gradient` where `output > 0`, zero elsewhere.
    public static func rectifiedGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        precondition(gradient.shape == output.shape, "ReLU gradient \(gradient.shape) does not match output \(output.shape)")
        return gradient.withUnsafeBufferPointer { g in
            output.withUnsafeBufferPointer { y in
                Tensor(shape: output.shape) { out in pk_relu_backward(g.baseAddress, y.baseAddress, out.baseAddress, g.count) }
            }
        }
    }

    /// For a matrix `[rows, columns]`, the sum of each column (a vector `[columns]`).
    public func columnSums() -> Tensor {
        precondition(rank == 2, "columnSums needs a matrix, shape is \(shape)")
        return withUnsafeBufferPointer { x in
            Tensor(shape: [shape[1]]) { out in pk_column_sums(x.baseAddress, shape[0], shape[1], out.baseAddress) }
        }
    }
}
