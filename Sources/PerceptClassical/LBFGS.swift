/// The limited-memory BFGS quasi-Newton method (Nocedal & Wright, *Numerical Optimization*,
/// Algorithm 7.4 and 7.5) with a backtracking line search on the Armijo condition.
///
/// The inverse Hessian is represented by the last `memory` pairs (s, y) of steps and gradient
/// changes; a pair with sᵀy ≤ 0 (no positive curvature) is skipped, which keeps the direction a
/// descent direction.
struct LBFGS: Sendable {
    /// The result of a minimisation.
    struct Result {
        var point: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    var maxIterations: Int
    var tolerance: Double
    var memory = 10

    func minimize(start: [Double], _ objective: ([Double]) -> (Double, [Double])) -> Result {
        var x = start
        var (value, gradient) = objective(x)
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var curvatures: [Double] = []
        var iteration = 0
        while iteration < maxIterations {
            if gradient.map(abs).max() ?? 0 <= tolerance { return Result(point: x, value: value, iterations: iteration, converged: true) }
            // Two-loop recursion: direction = −H·gradient.
            var q = gradient
            var coefficients = [Double](repeating: 0, count: steps.count)
            for i in stride(from: steps.count - 1, through: 0, by: -1) {
                coefficients[i] = dot(steps[i], q) / curvatures[i]
                axpy(&q, -coefficients[i], changes[i])
            }
            if let last = steps.indices.last {
                let scale = curvatures[last] / dot(changes[last], changes[last])
                for i in q.indices { q[i] *= scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                for i in q.indices { q[i] /= max(norm, 1e-12) }
            }
            for i in steps.indices {
                let beta = dot(changes[i], q) / curvatures[i]
                axpy(&q, coefficients[i] - beta, steps[i])
            }
            var direction = q.map { -$0 }
            var slope = dot(gradient, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                steps.removeAll(); changes.removeAll(); curvatures.removeAll()
                direction = gradient.map { -$0 / max(dot(gradient, gradient).squareRoot(), 1e-12) }
                slope = dot(gradient, direction)
            }
            var stepLength = 1.0
            var candidate = x
            var candidateValue = value
            var candidateGradient = gradient
            var accepted = false
            for _ in 0..<40 {
                for i in x.indices { candidate[i] = x[i] + stepLength * direction[i] }
                (candidateValue, candidateGradient) = objective(candidate)
                if candidateValue <= value + 1e-4 * stepLength * slope { accepted = true; break }
                stepLength *= 0.5
            }
            iteration += 1
            if !accepted { return Result(point: x, value: value, iterations: iteration, converged: false) }
            let s = zip(candidate, x).map { $0 - $1 }
            let yChange = zip(candidateGradient, gradient).map { $0 - $1 }
            let curvature = dot(s, yChange)
            if curvature > 1e-12 {
                steps.append(s); changes.append(yChange); curvatures.append(curvature)
                if steps.count > memory { steps.removeFirst(); changes.removeFirst(); curvatures.removeFirst() }
            }
            x = candidate
            value = candidateValue
            gradient = candidateGradient
        }
        return Result(point: x, value: value, iterations: iteration, converged: false)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    private func axpy(_ y: inout [Double], _ alpha: Double, _ x: [Double]) {
        for i in y.indices { y[i] += alpha * x[i] }
    }
}
