import CPerceptKernels
import PerceptTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba, 2015): `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`, then
/// `p ← p − η m̂ / (√v̂ + ε)` with the bias corrections `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
public final class Adam: Optimizer {
    public var learningRate: Float
    public var clipGlobalNorm: Float?
    public var stepCount = 0
    public var slots: [ObjectIdentifier: [Tensor]] = [:]
    /// Decay of the first-moment estimate.
    public let beta1: Float
    /// Decay of the second-moment estimate.
    public let beta2: Float
    /// The stabiliser ε.
    public let epsilon: Float
    public var slotCount: Int { 2 }

    /// Creates the optimizer (the paper's defaults).
    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                clipGlobalNorm: Float? = nil) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.clipGlobalNorm = clipGlobalNorm
    }

    public func update(_ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], step: Int) {
        let (b1, b2, epsilon) = (beta1, beta2, epsilon)
        let stepSize = learningRate / (1 - powf(b1, Float(step)))
        let inverseRootCorrection = 1 / (1 - powf(b2, Float(step))).squareRoot()
        withBuffers(&value, gradient, &slots) { p, g, state in
            pk_adam_update(
                p.baseAddress, g.baseAddress, state[0].baseAddress, state[1].baseAddress, p.count, b1, b2, stepSize,
                inverseRootCorrection, epsilon, 1)
        }
    }
}
