import PerceptTensor

// Backward rule of gathering elements by index (used by data augmentation: flips and shifts).
//
//   op                        forward                                ∂/∂x
//   gather(x, idx, shape)     y_i = x[idx_i], or 0 where idx_i < 0   g_i added to x[idx_i]

/// A tensor of `shape` whose element `i` is `x`'s element `indices[i]` (flat, row-major), or zero
/// where `indices[i]` is negative.
public func gather(_ x: Variable, indices: [Int32], shape: [Int]) -> Variable {
    precondition(indices.count == Tensor.elementCount(of: shape), "gather: \(indices.count) indices for shape \(shape)")
    let output = x.value.withUnsafeBufferPointer { xs in
        Tensor(shape: shape) { out in
            for (i, index) in indices.enumerated() {
                precondition(Int(index) < xs.count, "gather: index \(index) out of range 0..<\(xs.count)")
                out[i] = index >= 0 ? xs[Int(index)] : 0
            }
        }
    }
    return record("gather", output, inputs: [x]) { g, _ in
        var gradient = Tensor(zeros: x.shape)
        gradient.withUnsafeMutableBufferPointer { out in
            g.withUnsafeBufferPointer { gs in
                for (i, index) in indices.enumerated() where index >= 0 { out[Int(index)] += gs[i] }
            }
        }
        return [gradient]
    }
}
