import PerceptAutograd
import PerceptTensor
import Testing

/// A two-layer network's loss and gradients against values computed independently, in double
/// precision with NumPy, from the same inputs:
///
/// ```python
/// x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
/// w1 = np.array([[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, 0.7, -0.8], [0.9, 0.05, -0.15, 0.25]])
/// b1 = np.array([0.01, -0.02, 0.03, -0.04])
/// w2 = np.array([[0.2, -0.3, 0.1], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.05], [0.3, -0.1, 0.2]])
/// b2 = np.array([0.1, 0.0, -0.1]); labels = [2, 0]
/// h = np.maximum(x @ w1 + b1, 0); z = h @ w2 + b2
/// p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
/// loss = -np.log(p[[0, 1], labels]).mean()
/// dz = (p - np.eye(3)[labels]) / 2; dw2 = h.T @ dz; dh = (dz @ w2.T) * (h > 0); dw1 = x.T @ dh
/// ```
@Suite("Reference values")
struct ReferenceValueTests {
    @Test func twoLayerNetworkMatchesNumPy() throws {
        let x = Variable(Tensor(shape: [2, 3], scalars: [0.5, -1.0, 2.0, 1.5, 0.25, -0.75]))
        let w1 = Variable(Tensor(shape: [3, 4], scalars: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 0.05, -0.15, 0.25]), requiresGrad: true)
        let b1 = Variable(Tensor(shape: [4], scalars: [0.01, -0.02, 0.03, -0.04]), requiresGrad: true)
        let w2 = Variable(Tensor(shape: [4, 3], scalars: [0.2, -0.3, 0.1, 0.4, 0.5, -0.6, -0.7, 0.8, 0.05, 0.3, -0.1, 0.2]), requiresGrad: true)
        let b2 = Variable(Tensor(shape: [3], scalars: [0.1, 0.0, -0.1]), requiresGrad: true)
        let hidden = relu(linear(x, weight: w1, bias: b1))
        let loss = softmaxCrossEntropy(logits: linear(hidden, weight: w2, bias: b2), labels: [2, 0])
        loss.backward()

        #expect(abs(loss.value.scalar - ReferenceValues.loss) < 1e-5)
        try expectClose(w1.grad, ReferenceValues.gradientW1)
        try expectClose(w2.grad, ReferenceValues.gradientW2)
        try expectClose(b2.grad, ReferenceValues.gradientB2)
        #expect(x.grad == nil, "inputs that need no gradient get none")
    }

    func expectClose(_ actual: Tensor?, _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try #require(actual, sourceLocation: sourceLocation)
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual.scalars, expected) {
            #expect(abs(a - e) < 1e-5, "\(actual.scalars) vs \(expected)", sourceLocation: sourceLocation)
        }
    }
}

/// Computed with NumPy in float64 (see the suite's documentation).
enum ReferenceValues {
    static let loss: Float = 1.375128973234561
    static let gradientW1: [Float] = [0.005540150895721709, 0.0, 0.7466889586420767, -0.17027701570042672, -0.011080301791443418, 0.0, 0.12444815977367946, -0.04528364981260905, 0.022160603582886837, 0.0, -0.37334447932103837, 0.1202471212570229]
    static let gradientW2: [Float] = [0.6885160134337279, 0.10675522278891583, -0.7952712362226438, 0.0, 0.0, 0.0, -0.3085264389621882, 0.2008813617114065, 0.10764507725078162, 0.3566032714357958, 0.11119271641850233, -0.4677959878542982]
    static let gradientB2: [Float] = [-0.11024477206447181, 0.30696993713322596, -0.19672516506875423]
}
