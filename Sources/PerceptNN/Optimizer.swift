import PerceptAutograd
import PerceptTensor

/// Updates parameters from their gradients.
///
/// A conforming type supplies the per-parameter rule ``update(_:gradient:slots:step:)``, in the
/// form `(parameter, gradient, state) → (parameter, state)`; ``step(_:)`` applies it to every
/// parameter after optional clipping by global norm.
public protocol Optimizer: AnyObject {
    /// The step size.
    var learningRate: Float { get set }
    /// If set, gradients are scaled so that their joint L2 norm is at most this value.
    var clipGlobalNorm: Float? { get set }
    /// The number of updates applied so far.
    var stepCount: Int { get set }
    /// Per-parameter state (moment estimates), keyed by parameter identity.
    var slots: [ObjectIdentifier: [Tensor]] { get set }
    /// The number of state tensors the rule keeps per parameter.
    var slotCount: Int { get }
    /// Applies the rule to one parameter. `step` counts from 1.
    func update(_ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], step: Int)
}

extension Optimizer {
    /// Applies one update to every parameter that has a gradient.
    public func step(_ parameters: [Variable]) {
        stepCount += 1
        var scale: Float = 1
        if let limit = clipGlobalNorm {
            let norm = globalGradientNorm(parameters)
            if norm > Double(limit) { scale = Float(Double(limit) / norm) }
        }
        for parameter in parameters {
            guard var gradient = parameter.grad else { continue }
            if scale != 1 { gradient.scale(by: scale) }
            let key = ObjectIdentifier(parameter)
            var state = slots[key] ?? Array(repeating: Tensor(zeros: parameter.shape), count: slotCount)
            slots[key] = nil  // keep the state uniquely referenced so it is updated in place
            update(&parameter.value, gradient: gradient, slots: &state, step: stepCount)
            slots[key] = state
        }
    }
}

/// The L2 norm of all the parameters' gradients taken together (`√Σ g²`).
public func globalGradientNorm(_ parameters: [Variable]) -> Double {
    parameters.reduce(0) { $0 + ($1.grad?.squaredNorm() ?? 0) }.squareRoot()
}

/// Runs `body` over the elements of a parameter, its gradient and its state tensors at once.
func withBuffers(
    _ value: inout Tensor, _ gradient: Tensor, _ slots: inout [Tensor],
    _ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>, [UnsafeMutableBufferPointer<Float>]) -> Void
) {
    gradient.withUnsafeBufferPointer { g in
        value.withUnsafeMutableBufferPointer { p in
            switch slots.count {
            case 0:
                body(p, g, [])
            case 1:
                var first = slots.removeLast()
                first.withUnsafeMutableBufferPointer { s0 in body(p, g, [s0]) }
                slots = [first]
            default:
                var second = slots.removeLast()
                var first = slots.removeLast()
                first.withUnsafeMutableBufferPointer { s0 in
                    second.withUnsafeMutableBufferPointer { s1 in body(p, g, [s0, s1]) }
                }
                slots = [first, second]
            }
        }
    }
}
