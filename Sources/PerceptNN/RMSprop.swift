import PerceptTensor

/// RMSprop: `s ← ρ s + (1 − ρ) g²`, then `p ← p − η g / (√s + ε)`.
public final class RMSprop: Optimizer {
    public var learningRate: Float
    public var clipGlobalNorm: Float?
    public var stepCount = 0
    public var slots: [ObjectIdentifier: [Tensor]] = [:]
    /// The decay ρ of the running mean of squared gradients.
    public let rho: Float
    /// The stabiliser ε.
    public let epsilon: Float
    public var slotCount: Int { 1 }

    /// Creates the optimizer (Keras's defaults).
    public init(learningRate: Float = 0.001, rho: Float = 0.9, epsilon: Float = 1e-7, clipGlobalNorm: Float? = nil) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        self.clipGlobalNorm = clipGlobalNorm
    }

    public func update(_ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], step: Int) {
        let (eta, rho, epsilon) = (learningRate, rho, epsilon)
        withBuffers(&value, gradient, &slots) { p, g, state in
            let s = state[0]
            for i in 0..<p.count {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i]
                p[i] -= eta * g[i] / (s[i].squareRoot() + epsilon)
            }
        }
    }
}
