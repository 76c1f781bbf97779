import PerceptTensor

/// A tensor that takes part in reverse-mode differentiation.
///
/// Operations on variables (see the `Ops*.swift` files) compute their value at once and, when
/// gradients are being recorded and some input requires a gradient, remember how to send the
/// gradient of their output back to their inputs. ``backward(seed:)`` walks that record in
/// reverse topological order and accumulates ``grad`` on every variable that requires one.
///
/// Variables are reference types because a graph shares them; they are not `Sendable` and belong
/// to the thread that built the graph.
public final class Variable {
    /// The current value.
    public var value: Tensor
    /// The accumulated gradient of the last ``backward(seed:)`` with respect to this variable, or
    /// `nil` if none reached it.
    public var grad: Tensor?
    /// Whether gradients are computed for this variable (parameters and results of operations on
    /// them) or not (inputs and constants).
    public let requiresGrad: Bool
    /// The operation that produced this variable, if it was recorded.
    let creator: Node?

    /// Creates a leaf variable: a parameter when `requiresGrad` is true, a constant otherwise.
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.creator = nil
    }

    init(value: Tensor, creator: Node) {
        self.value = value
        self.requiresGrad = true
        self.creator = creator
    }

    /// The shape of ``value``.
    public var shape: [Int] { value.shape }

    /// Accumulates `gradient` into ``grad``.
    func accumulate(_ gradient: Tensor) {
        if grad == nil {
            grad = gradient
        } else {
            grad!.addScaled(gradient)
        }
    }

    /// Back-propagates from this variable: sets the gradient of every variable it depends on.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this variable;
    ///   defaults to 1, which requires this variable to be a single element (a loss).
    public func backward(seed: Tensor? = nil) {
        let seed = seed ?? {
            precondition(value.count == 1, "backward() without a seed needs a scalar, shape is \(shape)")
            return Tensor(repeating: 1, shape: shape)
        }()
        precondition(seed.shape == shape, "backward seed shape \(seed.shape) does not match \(shape)")
        guard requiresGrad else { return }
        accumulate(seed)
        for variable in topologicalOrder().reversed() {
            guard let node = variable.creator, let gradient = variable.grad else { continue }
            let needs = node.inputs.map(\.requiresGrad)
            let inputGradients = node.backward(gradient, needs)
            for (input, inputGradient) in zip(node.inputs, inputGradients) where input.requiresGrad {
                if let inputGradient {
                    precondition(
                        inputGradient.shape == input.shape,
                        "backward rule of \(node.name) returned shape \(inputGradient.shape) for input \(input.shape)")
                    input.accumulate(inputGradient)
                }
            }
            // Intermediate gradients are not needed once passed on; free them early.
            variable.grad = nil
        }
    }

    /// Every recorded variable this one depends on (itself included), inputs before outputs.
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (variable, expanded) = stack.popLast() {
            if expanded {
                order.append(variable)
                continue
            }
            guard visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            stack.append((variable, true))
            for input in variable.creator?.inputs ?? [] where input.creator != nil {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}

/// One recorded operation: its inputs and its backward rule.
struct Node {
    /// The operation's name, for error messages.
    let name: String
    let inputs: [Variable]
    /// Maps the gradient of the output to the gradients of the inputs (`nil` where an input does
    /// not need one); the second argument tells which inputs need one.
    let backward: (_ gradient: Tensor, _ needsGradient: [Bool]) -> [Tensor?]
}

/// Whether operations record themselves for back-propagation.
public enum GradientRecording {
    /// True unless inside ``withoutGradients(_:)``.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations (for inference): faster and lighter.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientRecording.$isEnabled.withValue(false) { try body() }
}

/// Creates the result of an operation, recording `backward` only when it is needed.
func record(
    _ name: String, _ value: Tensor, inputs: [Variable],
    backward: @escaping (_ gradient: Tensor, _ needsGradient: [Bool]) -> [Tensor?]
) -> Variable {
    guard GradientRecording.isEnabled, inputs.contains(where: \.requiresGrad) else {
        return Variable(value)
    }
    return Variable(value: value, creator: Node(name: name, inputs: inputs, backward: backward))
}
