@testable import PerceptTensor
import Testing

/// Both convolution methods against a direct sum over the window: the patch method in chunks on
/// images large enough (2.56 MB of patches each) that every image is a chunk of its own and threads
/// get unequal shares, and both methods on the shapes where the direct kernels take their special
/// paths (one or several blocks of filters, windows shorter than a vector, strides, padding).
@Suite("Convolution")
struct ConvolutionTests {
    static let geometry = WindowGeometry(height: 40, width: 40, channels: 16, kernel: (5, 5), stride: (1, 1), padding: .same)!
    static let outputs = 3

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform(shape: shape, low: -1, high: 1, generator: &generator)
    }

    /// Calls `body(image, oy, ox, iy, ix, ky, kx)` for every window cell of `g` inside the image.
    static func forEachTap(_ g: WindowGeometry, images: Int, _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
        for image in 0..<images {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    for ky in 0..<g.kernelHeight {
                        let iy = oy * g.strideY - g.padTop + ky
                        guard iy >= 0 && iy < g.height else { continue }
                        for kx in 0..<g.kernelWidth {
                            let ix = ox * g.strideX - g.padLeft + kx
                            guard ix >= 0 && ix < g.width else { continue }
                            body(image, oy, ox, iy, ix, ky, kx)
                        }
                    }
                }
            }
        }
    }

    /// The output, input gradient, kernel gradient and bias gradient as sums in double.
    static func reference(_ g: WindowGeometry, images n: Int, outputs cout: Int, x: Tensor, kernel: Tensor, bias: Tensor,
                          outputGradient: Tensor) -> (y: [Double], dx: [Double], dk: [Double], db: [Double]) {
        let (xs, ks, gs, cin) = (x.scalars, kernel.scalars, outputGradient.scalars, g.channels)
        var y = [Double](repeating: 0, count: n * g.outputHeight * g.outputWidth * cout)
        var dx = [Double](repeating: 0, count: xs.count)
        var dk = [Double](repeating: 0, count: ks.count)
        var db = [Double](repeating: 0, count: cout)
        for i in 0..<y.count {
            y[i] = Double(bias.scalars[i % cout])
            db[i % cout] += Double(gs[i])
        }
        forEachTap(g, images: n) { image, oy, ox, iy, ix, ky, kx in
            let out = ((image * g.outputHeight + oy) * g.outputWidth + ox) * cout
            let input = ((image * g.height + iy) * g.width + ix) * cin
            for c in 0..<cin {
                let weights = ((ky * g.kernelWidth + kx) * cin + c) * cout
                for o in 0..<cout {
                    y[out + o] += Double(xs[input + c]) * Double(ks[weights + o])
                    dx[input + c] += Double(gs[out + o]) * Double(ks[weights + o])
                    dk[weights + o] += Double(gs[out + o]) * Double(xs[input + c])
                }
            }
        }
        return (y, dx, dk, db)
    }

    static func maximumError(_ got: [Float], _ expected: [Double]) -> Double {
        guard got.count == expected.count else { return .infinity }
        return zip(got, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    }

    /// (height, width, channels, kernel, stride, padding, filters, images).
    static let shapes: [(Int, Int, Int, (Int, Int), (Int, Int), Padding, Int, Int)] = [
        (28, 28, 1, (5, 5), (1, 1), .same, 6, 3),     // LeNet-5's first layer: one block of 6 filters
        (14, 14, 6, (5, 5), (1, 1), .valid, 16, 5),   // its second: two whole vectors
        (9, 7, 3, (3, 3), (2, 2), .same, 10, 2),      // strided, odd sizes, a 2-filter tail
        (6, 5, 2, (3, 3), (1, 1), .same, 40, 2),      // two blocks of filters, the last one partial
        (5, 6, 1, (1, 1), (1, 1), .valid, 8, 2),      // windows of one value
        (7, 8, 9, (3, 5), (1, 2), .valid, 5, 2),      // rectangular, window rows of 45 values
        (8, 8, 4, (3, 3), (2, 2), .valid, 12, 3),     // the last input row and column never read
    ]

    @Test(arguments: shapes.indices, Convolution.Method.allCases)
    func methodsMatchTheDirectSums(shape: Int, method: Convolution.Method) {
        let (h, w, cin, k, stride, padding, cout, n) = Self.shapes[shape]
        let g = WindowGeometry(height: h, width: w, channels: cin, kernel: k, stride: stride, padding: padding)!
        let x = Self.random([n, h, w, cin], seed: 21)
        let kernel = Self.random([k.0, k.1, cin, cout], seed: 22)
        let bias = Self.random([cout], seed: 23)
        let outputGradient = Self.random([n, g.outputHeight, g.outputWidth, cout], seed: 24)
        let expected = Self.reference(g, images: n, outputs: cout, x: x, kernel: kernel, bias: bias,
                                      outputGradient: outputGradient)
        let forward = Convolution.forward(x, kernel: kernel, bias: bias, geometry: g, method: method)
        let (dx, dk, db) = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                                 input: true, kernel: true, bias: true, patches: forward.patches,
                                                 method: method)
        #expect(forward.output.shape == [n, g.outputHeight, g.outputWidth, cout])
        #expect(Self.maximumError(forward.output.scalars, expected.y) < 1e-5)
        #expect(Self.maximumError(dx!.scalars, expected.dx) < 1e-5)
        // Kernel and bias gradients sum over every window of the batch (up to 2,352 in float).
        #expect(Self.maximumError(dk!.scalars, expected.dk) < 1e-4)
        #expect(Self.maximumError(db!.scalars, expected.db) < 1e-4)
        // Without a bias: the forward pass starts from zero.
        let unbiased = Convolution.forward(x, kernel: kernel, bias: nil, geometry: g, method: method).output
        let shift = expected.y.indices.map { expected.y[$0] - Double(bias.scalars[$0 % cout]) }
        #expect(Self.maximumError(unbiased.scalars, shift) < 1e-5)
        // Each gradient alone is the same as with the others.
        let kernelOnly = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                               input: false, kernel: true, method: method)
        #expect(kernelOnly.input == nil && kernelOnly.bias == nil && kernelOnly.kernel?.scalars == dk!.scalars)
        let biasOnly = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                             input: false, kernel: false, bias: true, method: method)
        #expect(biasOnly.kernel == nil && biasOnly.bias?.scalars == db!.scalars)
        let inputOnly = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                              input: true, kernel: false, method: method)
        #expect(inputOnly.kernel == nil && inputOnly.input?.scalars == dx!.scalars)
        // With ReLU fused: the output rectified, the gradients those of the gradient where it is positive.
        let rectified = Convolution.forward(x, kernel: kernel, bias: bias, geometry: g, rectified: true, method: method).output
        #expect(Self.maximumError(rectified.scalars, expected.y.map { max($0, 0) }) < 1e-5)
        let kept = zip(outputGradient.scalars, rectified.scalars).map { $1 > 0 ? $0 : 0 }
        let masked = Self.reference(g, images: n, outputs: cout, x: x, kernel: kernel, bias: bias,
                                    outputGradient: Tensor(shape: outputGradient.shape, scalars: kept))
        let throughReLU = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g, input: true,
                                                kernel: true, bias: true, rectifiedOutput: rectified, method: method)
        #expect(Self.maximumError(throughReLU.input!.scalars, masked.dx) < 1e-5)
        #expect(Self.maximumError(throughReLU.kernel!.scalars, masked.dk) < 1e-4)
        #expect(Self.maximumError(throughReLU.bias!.scalars, masked.db) < 1e-4)
    }

    @Test func fewChannelsOrFiltersAreComputedDirectlyWhereTheCPUAllows() {
        let lenetSecond = WindowGeometry(height: 14, width: 14, channels: 6, kernel: (5, 5), stride: (1, 1), padding: .valid)!
        let wide = WindowGeometry(height: 14, width: 14, channels: 32, kernel: (5, 5), stride: (1, 1), padding: .same)!
        #expect(Convolution.Method.preferred(for: wide, outputs: 64) == .patches)
        // Direct wherever the kernels run at full speed: x86-64 with AVX2 and FMA, other CPUs always.
        let expected: Convolution.Method = Convolution.Method.directAvailable ? .direct : .patches
        #expect(Convolution.Method.preferred(for: lenetSecond, outputs: 16) == expected)
    }

    @Test func patchesInChunksMatchTheDirectSums() {
        let g = Self.geometry
        let (n, cin, cout) = (3, g.channels, Self.outputs)
        let x = Self.random([n, g.height, g.width, cin], seed: 1)
        let kernel = Self.random([5, 5, cin, cout], seed: 2)
        let bias = Self.random([cout], seed: 3)
        let outputGradient = Self.random([n, g.outputHeight, g.outputWidth, cout], seed: 4)
        let expected = Self.reference(g, images: n, outputs: cout, x: x, kernel: kernel, bias: bias,
                                      outputGradient: outputGradient)
        let (forward, kept) = Convolution.forward(x, kernel: kernel, bias: bias, geometry: g, method: .patches)
        #expect(kept != nil, "7.7 MB of patches are kept for the backward pass")
        let (dInput, dKernel, _) = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                                         input: true, kernel: true, method: .patches)
        #expect(forward.shape == [n, 40, 40, cout])
        #expect(Self.maximumError(forward.scalars, expected.y) < 1e-4)
        #expect(Self.maximumError(dInput!.scalars, expected.dx) < 1e-4)
        #expect(Self.maximumError(dKernel!.scalars, expected.dk) < 1e-4)
        // With the patches kept by the forward pass instead of built again: the same bits.
        let fromKept = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                             input: true, kernel: true, patches: kept, method: .patches)
        #expect(fromKept.input?.scalars == dInput!.scalars && fromKept.kernel?.scalars == dKernel!.scalars)
    }

    /// Work is split by size, not by the thread count: one thread gives the same bits as several.
    @Test(arguments: Convolution.Method.allCases)
    func resultsDoNotDependOnTheThreadCount(method: Convolution.Method) {
        let g = Self.geometry
        let x = Self.random([3, g.height, g.width, g.channels], seed: 5)
        let kernel = Self.random([5, 5, g.channels, Self.outputs], seed: 6)
        let outputGradient = Self.random([3, g.outputHeight, g.outputWidth, Self.outputs], seed: 7)
        let a = Self.random([300, 200], seed: 8), b = Self.random([200, 100], seed: 9)
        func compute() -> [[Float]] {
            let (dx, dk, _) = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                                    input: true, kernel: true, method: method)
            return [Convolution.forward(x, kernel: kernel, bias: nil, geometry: g, method: method).output.scalars,
                    dx!.scalars, dk!.scalars, Tensor.matmul(a, b).scalars,
                    Tensor.matmul(b, a, transposeA: true, transposeB: true).scalars]
        }
        let parallel = compute()
        let serial = BLAS.withOneThread { compute() }
        #expect(parallel == serial)
    }
}
