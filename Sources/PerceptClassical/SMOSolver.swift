/// Sequential minimal optimisation for the dual of the two-class soft-margin SVM:
///
///     minimise ½ αᵀQα − eᵀα   subject to 0 ≤ αᵢ ≤ C, yᵀα = 0,   Q[i, t] = yᵢ y_t k(xᵢ, x_t)
///
/// following Fan, Chen & Lin (2005), "Working set selection using second order information for
/// training support vector machines" (the WSS3 rule of LIBSVM) and Chang & Lin's LIBSVM paper
/// (2011) for the two-variable update, shrinking and the bias:
///
/// - **Working set.** i maximises −yᵢ∇f(α)ᵢ over I_up(α); j minimises the second-order decrease
///   −b²/a over I_low(α), with b = −yᵢ∇ᵢ + y_j∇ⱼ > 0 and a = Kᵢᵢ + Kⱼⱼ − 2Kᵢⱼ (τ = 10⁻¹² when
///   a ≤ 0). Stop when m(α) − M(α) < ε.
/// - **Kernel rows** come from a ``KernelRowCache`` (least recently used, bounded memory,
///   computed in blocks by one `sgemm`).
/// - **Shrinking.** Every min(n, 1000) iterations, bounded variables that cannot move under the
///   current gradient are set aside; G̅ (the gradient part due to variables at C) lets the full
///   gradient be rebuilt before the final optimality check, which runs on all variables.
struct SMOSolver {
    /// The solved dual.
    struct Solution: Sendable {
        /// αᵢ for every sample.
        var alpha: [Double]
        /// ρ, with the decision function f(x) = Σ αᵢ yᵢ k(xᵢ, x) − ρ.
        var rho: Double
        /// Iterations of the two-variable update.
        var iterations: Int
        /// Kernel rows computed (including prefetched ones).
        var kernelRows: Int
    }

    var c: Double
    var tolerance: Double
    var shrinking: Bool
    var maxIterations: Int

    private static let tau = 1e-12

    // swiftlint:disable:next function_body_length
    func solve(cache: KernelRowCache) -> Solution {
        let n = cache.n
        let y = cache.signs.map { Double($0) }
        let qd = cache.diagonal()
        var alpha = [Double](repeating: 0, count: n)
        var gradient = [Double](repeating: -1, count: n)
        var gradientBar = [Double](repeating: 0, count: n)
        var active = Array(0..<n)
        var isActive = [Bool](repeating: true, count: n)
        var unshrunk = false
        var iterations = 0
        var counter = min(n, 1000) + 1

        func isUpper(_ i: Int) -> Bool { alpha[i] >= c }
        func isLower(_ i: Int) -> Bool { alpha[i] <= 0 }

        /// The active samples ranked by how much they violate optimality (for prefetching rows).
        func violators() -> [Int] {
            var scored: [(Double, Int)] = []
            scored.reserveCapacity(active.count)
            for t in active where !cache.isCached(t) {
                var score = -Double.infinity
                if y[t] > 0 {
                    if !isUpper(t) { score = max(score, -gradient[t]) }
                    if !isLower(t) { score = max(score, gradient[t]) }
                } else {
                    if !isLower(t) { score = max(score, gradient[t]) }
                    if !isUpper(t) { score = max(score, -gradient[t]) }
                }
                scored.append((score, t))
            }
            let wanted = min(cache.blockRows, scored.count)
            guard wanted > 0 else { return [] }
            // Partial selection of the largest scores.
            let top = scored.sorted { $0.0 > $1.0 }.prefix(wanted)
            return top.map(\.1)
        }

        func reconstructGradient() {
            if active.count == n { return }
            let inactive = (0..<n).filter { !isActive[$0] }
            for j in inactive { gradient[j] = gradientBar[j] - 1 }
            for i in 0..<n where alpha[i] > 0 && alpha[i] < c {
                let row = cache.row(i)
                let a = alpha[i]
                for j in inactive { gradient[j] += a * Double(row[j]) }
            }
        }

        func shrink() {
            var gMax1 = -Double.infinity  // m(α): max over I_up of −y∇
            var gMax2 = -Double.infinity  // −M(α): max over I_low of y∇
            for t in active {
                if y[t] > 0 {
                    if !isUpper(t) { gMax1 = max(gMax1, -gradient[t]) }
                    if !isLower(t) { gMax2 = max(gMax2, gradient[t]) }
                } else {
                    if !isUpper(t) { gMax2 = max(gMax2, -gradient[t]) }
                    if !isLower(t) { gMax1 = max(gMax1, gradient[t]) }
                }
            }
            if !unshrunk && gMax1 + gMax2 <= tolerance * 10 {
                unshrunk = true
                reconstructGradient()
                active = Array(0..<n)
                for t in 0..<n { isActive[t] = true }
            }
            active = active.filter { t in
                let shrink: Bool
                if isUpper(t) {
                    shrink = y[t] > 0 ? -gradient[t] > gMax1 : -gradient[t] > gMax2
                } else if isLower(t) {
                    shrink = y[t] > 0 ? gradient[t] > gMax2 : gradient[t] > gMax1
                } else {
                    shrink = false
                }
                if shrink { isActive[t] = false }
                return !shrink
            }
        }

        while iterations < maxIterations {
            counter -= 1
            if counter == 0 {
                counter = min(n, 1000)
                if shrinking { shrink() }
            }
            // Working-set selection (WSS3).
            var gMax = -Double.infinity
            var i = -1
            for t in active {
                if y[t] > 0 {
                    if !isUpper(t) && -gradient[t] >= gMax { gMax = -gradient[t]; i = t }
                } else {
                    if !isLower(t) && gradient[t] >= gMax { gMax = gradient[t]; i = t }
                }
            }
            var j = -1
            var gMax2 = -Double.infinity
            if i >= 0 {
                let rowI = cache.row(i, prefetch: violators)
                var bestDecrease = Double.infinity
                let yi = y[i]
                for t in active {
                    if y[t] > 0 {
                        if !isLower(t) {
                            let difference = gMax + gradient[t]
                            if gradient[t] >= gMax2 { gMax2 = gradient[t] }
                            if difference > 0 {
                                let quadratic = qd[i] + qd[t] - 2 * yi * Double(rowI[t])
                                let decrease = -(difference * difference) / (quadratic > 0 ? quadratic : Self.tau)
                                if decrease <= bestDecrease { j = t; bestDecrease = decrease }
                            }
                        }
                    } else {
                        if !isUpper(t) {
                            let difference = gMax - gradient[t]
                            if -gradient[t] >= gMax2 { gMax2 = -gradient[t] }
                            if difference > 0 {
                                let quadratic = qd[i] + qd[t] + 2 * yi * Double(rowI[t])
                                let decrease = -(difference * difference) / (quadratic > 0 ? quadratic : Self.tau)
                                if decrease <= bestDecrease { j = t; bestDecrease = decrease }
                            }
                        }
                    }
                }
            }
            if i < 0 || j < 0 || gMax + gMax2 < tolerance {
                // Optimal on the active set: check all variables before stopping.
                if active.count < n {
                    reconstructGradient()
                    active = Array(0..<n)
                    for t in 0..<n { isActive[t] = true }
                    unshrunk = true
                    counter = 2  // the next selection runs on every variable, shrinking after it
                    continue
                }
                break
            }
            iterations += 1

            // The two-variable update, clipped to the box.
            let (rowI, rowJ) = cache.rows(i, j, prefetch: violators)
            let oldI = alpha[i]
            let oldJ = alpha[j]
            var ai = oldI
            var aj = oldJ
            if y[i] != y[j] {
                var quadratic = qd[i] + qd[j] + 2 * Double(rowI[j])
                if quadratic <= 0 { quadratic = Self.tau }
                let delta = (-gradient[i] - gradient[j]) / quadratic
                let difference = ai - aj
                ai += delta
                aj += delta
                if difference > 0 {
                    if aj < 0 { aj = 0; ai = difference }
                } else {
                    if ai < 0 { ai = 0; aj = -difference }
                }
                if difference > 0 {
                    if ai > c { ai = c; aj = c - difference }
                } else {
                    if aj > c { aj = c; ai = c + difference }
                }
            } else {
                var quadratic = qd[i] + qd[j] - 2 * Double(rowI[j])
                if quadratic <= 0 { quadratic = Self.tau }
                let delta = (gradient[i] - gradient[j]) / quadratic
                let sum = ai + aj
                ai -= delta
                aj += delta
                if sum > c {
                    if ai > c { ai = c; aj = sum - c }
                } else {
                    if aj < 0 { aj = 0; ai = sum }
                }
                if sum > c {
                    if aj > c { aj = c; ai = sum - c }
                } else {
                    if ai < 0 { ai = 0; aj = sum }
                }
            }
            let deltaI = ai - oldI
            let deltaJ = aj - oldJ
            let wasUpperI = isUpper(i)
            let wasUpperJ = isUpper(j)
            alpha[i] = ai
            alpha[j] = aj
            gradient.withUnsafeMutableBufferPointer { g in
                for t in active { g[t] += Double(rowI[t]) * deltaI + Double(rowJ[t]) * deltaJ }
            }
            if wasUpperI != isUpper(i) {
                let sign = wasUpperI ? -c : c
                for t in 0..<n { gradientBar[t] += sign * Double(rowI[t]) }
            }
            if wasUpperJ != isUpper(j) {
                let sign = wasUpperJ ? -c : c
                for t in 0..<n { gradientBar[t] += sign * Double(rowJ[t]) }
            }
        }
        if active.count < n { reconstructGradient() }

        // ρ: the mean of y∇ over free variables, else the middle of the feasible interval.
        var upperBound = Double.infinity
        var lowerBound = -Double.infinity
        var freeSum = 0.0
        var freeCount = 0
        for t in 0..<n {
            let yg = y[t] * gradient[t]
            if isUpper(t) {
                if y[t] < 0 { upperBound = min(upperBound, yg) } else { lowerBound = max(lowerBound, yg) }
            } else if isLower(t) {
                if y[t] > 0 { upperBound = min(upperBound, yg) } else { lowerBound = max(lowerBound, yg) }
            } else {
                freeCount += 1
                freeSum += yg
            }
        }
        let rho = freeCount > 0 ? freeSum / Double(freeCount) : (upperBound + lowerBound) / 2
        return Solution(alpha: alpha, rho: rho, iterations: iterations, kernelRows: cache.computedRows)
    }
}
