import PerceptTensor

/// Stochastic gradient descent with optional (Nesterov) momentum:
/// `v ← μ v + g`, then `p ← p − η v`, or `p ← p − η (g + μ v)` with Nesterov.
public final class SGD: Optimizer {
    public var learningRate: Float
    public var clipGlobalNorm: Float?
    public var stepCount = 0
    public var slots: [ObjectIdentifier: [Tensor]] = [:]
    /// The momentum coefficient μ (0 for plain SGD).
    public let momentum: Float
    /// Whether to use Nesterov's look-ahead momentum.
    public let nesterov: Bool
    public var slotCount: Int { momentum > 0 ? 1 : 0 }

    /// Creates the optimizer.
    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, clipGlobalNorm: Float? = nil) {
        precondition(momentum >= 0 && momentum < 1, "SGD momentum must be in [0, 1), got \(momentum)")
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.clipGlobalNorm = clipGlobalNorm
    }

    public func update(_ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], step: Int) {
        let (eta, mu, nesterov) = (learningRate, momentum, nesterov)
        withBuffers(&value, gradient, &slots) { p, g, state in
            if state.isEmpty {
                for i in 0..<p.count { p[i] -= eta * g[i] }
                return
            }
            let v = state[0]
            for i in 0..<p.count {
                v[i] = mu * v[i] + g[i]
                p[i] -= eta * (nesterov ? g[i] + mu * v[i] : v[i])
            }
        }
    }
}
