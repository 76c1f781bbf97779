import PerceptTensor

// Backward rule of the L2 weight penalty.
//
//   op               forward            ∂/∂w
//   l2Penalty(w, λ)  ½ λ Σ w²           g · λ · w

/// The L2 weight penalty `½ λ ‖w‖²`, as a scalar variable.
public func l2Penalty(_ w: Variable, strength lambda: Float) -> Variable {
    let value = Tensor(Float(w.value.squaredNorm() / 2) * lambda)
    return record("l2Penalty", value, inputs: [w]) { g, _ in [w.value * (g.scalar * lambda)] }
}
