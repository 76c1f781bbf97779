import PerceptTensor

// Backward rules of elementwise arithmetic (broadcasting, see `Tensor+Arithmetic.swift`).
// A broadcast operand's gradient is summed back to its own shape.
//
//   op        forward      ∂/∂a               ∂/∂b
//   a + b     a + b        g                  g
//   a − b     a − b        g                  −g
//   a · b     a · b        g · b              g · a
//   a / b     a / b        g / b              −g · a / b²
//   c · a     c · a        c · g              (c is a constant Float)

extension Variable {
    /// Elementwise sum with broadcasting.
    public static func + (a: Variable, b: Variable) -> Variable {
        record("add", a.value + b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: a.shape) : nil, needs[1] ? g.summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Variable, b: Variable) -> Variable {
        record("subtract", a.value - b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: a.shape) : nil, needs[1] ? (-g).summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Variable, b: Variable) -> Variable {
        record("multiply", a.value * b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? (g * b.value).summed(toShape: a.shape) : nil,
             needs[1] ? (g * a.value).summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Variable, b: Variable) -> Variable {
        record("divide", a.value / b.value, inputs: [a, b]) { g, needs in
            [needs[0] ? (g / b.value).summed(toShape: a.shape) : nil,
             needs[1] ? Tensor.zip(g * a.value, b.value) { -$0 / ($1 * $1) }.summed(toShape: b.shape) : nil]
        }
    }

    /// Multiplies by a constant scalar.
    public static func * (a: Variable, c: Float) -> Variable {
        record("scale", a.value * c, inputs: [a]) { g, _ in [g * c] }
    }

    /// Multiplies by a constant scalar.
    public static func * (c: Float, a: Variable) -> Variable { a * c }

    /// Negation.
    public static prefix func - (a: Variable) -> Variable { a * -1 }
}
