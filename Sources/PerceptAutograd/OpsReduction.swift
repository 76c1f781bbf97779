import PerceptTensor

// Backward rules of reductions and reshapes.
//
//   op              forward          ∂/∂x
//   sum(x)          Σ x              g broadcast to x's shape
//   mean(x)         Σ x / n          g / n broadcast
//   sum(x, axis)    Σ_axis x         g repeated along axis
//   reshape(x, s)   x viewed as s    g viewed as x's shape

/// The sum of all elements, as a scalar variable.
public func sum(_ x: Variable) -> Variable {
    record("sum", Tensor(x.value.sum()), inputs: [x]) { g, _ in
        [Tensor(repeating: g.scalar, shape: x.shape)]
    }
}

/// The mean of all elements, as a scalar variable.
public func mean(_ x: Variable) -> Variable {
    let n = Float(x.value.count)
    return record("mean", Tensor(x.value.mean()), inputs: [x]) { g, _ in
        [Tensor(repeating: g.scalar / n, shape: x.shape)]
    }
}

/// The sum along one axis (removed from the shape).
public func sum(_ x: Variable, alongAxis axis: Int) -> Variable {
    let normalized = axis < 0 ? axis + x.value.rank : axis
    return record("sumAlongAxis", x.value.sum(alongAxis: normalized), inputs: [x]) { g, _ in
        var kept = x.shape
        kept[normalized] = 1
        return [Tensor.zip(Tensor(zeros: x.shape), g.reshaped(kept), +)]
    }
}

/// The same elements with another shape (one extent may be −1).
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
    record("reshape", x.value.reshaped(shape), inputs: [x]) { g, _ in
        [g.reshaped(x.shape)]
    }
}

/// Multiplies by a constant tensor of the same shape (used for dropout masks).
public func multiply(_ x: Variable, constant mask: Tensor) -> Variable {
    precondition(mask.shape == x.shape, "multiply: mask shape \(mask.shape) does not match \(x.shape)")
    return record("multiplyConstant", x.value * mask, inputs: [x]) { g, _ in [g * mask] }
}
