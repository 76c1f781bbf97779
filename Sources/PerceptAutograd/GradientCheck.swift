import PerceptTensor

/// The outcome of comparing analytic gradients with central finite differences.
public struct GradientCheckResult: Sendable {
    /// The largest error over all checked elements, relative to `max(1, |analytic|, |numeric|)`.
    public var maximumError: Double
    /// Where it occurred: the input's position and the element's flat index.
    public var worstInput: Int
    public var worstElement: Int
    /// The analytic and numeric values there.
    public var analytic: Double
    public var numeric: Double
}

/// Compares the gradients that back-propagation computes for `function` with central finite
/// differences `(f(x + ε) − f(x − ε)) / 2ε`, element by element, for every input.
///
/// `function` must map the input variables to a scalar and be deterministic. Differences are taken
/// in `Float`, so use a step around 1e-2 to 1e-3 and expect errors of order 1e-3.
public func checkGradients(
    of function: ([Variable]) -> Variable, at inputs: [Tensor], step: Float = 1e-2
) -> GradientCheckResult {
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    function(variables).backward()
    var result = GradientCheckResult(maximumError: 0, worstInput: 0, worstElement: 0, analytic: 0, numeric: 0)
    for (position, input) in inputs.enumerated() {
        let analytic = variables[position].grad ?? Tensor(zeros: input.shape)
        for element in 0..<input.count {
            func evaluate(_ delta: Float) -> Double {
                var shifted = inputs
                shifted[position].withUnsafeMutableBufferPointer { $0[element] += delta }
                return withoutGradients {
                    Double(function(shifted.map { Variable($0) }).value.scalar)
                }
            }
            let numeric = (evaluate(step) - evaluate(-step)) / (2 * Double(step))
            let exact = Double(analytic.scalars[element])
            let error = abs(numeric - exact) / max(1, abs(numeric), abs(exact))
            if error > result.maximumError {
                result = GradientCheckResult(
                    maximumError: error, worstInput: position, worstElement: element, analytic: exact, numeric: numeric)
            }
        }
    }
    return result
}
