import PerceptTensor
import Testing

/// The chunked, threaded convolution against a direct sum over the window, on images large enough
/// (2.56 MB of patches each) that every image is a chunk of its own and threads get unequal shares.
@Suite("Convolution in chunks")
struct ConvolutionTests {
    static let geometry = WindowGeometry(height: 40, width: 40, channels: 16, kernel: (5, 5), stride: (1, 1), padding: .same)!
    static let outputs = 3

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform(shape: shape, low: -1, high: 1, generator: &generator)
    }

    /// Calls `body(image, oy, ox, iy, ix, ky, kx)` for every window cell inside the image.
    static func forEachTap(images: Int, _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
        let g = geometry
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

    @Test func forwardAndGradientsMatchTheDirectSums() {
        let g = Self.geometry
        let (n, cin, cout) = (3, g.channels, Self.outputs)
        let x = Self.random([n, g.height, g.width, cin], seed: 1)
        let kernel = Self.random([5, 5, cin, cout], seed: 2)
        let bias = Self.random([cout], seed: 3)
        let outputGradient = Self.random([n, g.outputHeight, g.outputWidth, cout], seed: 4)
        let (xs, ks, gs) = (x.scalars, kernel.scalars, outputGradient.scalars)

        var y = [Double](repeating: 0, count: n * g.outputHeight * g.outputWidth * cout)
        var dx = [Double](repeating: 0, count: xs.count)
        var dk = [Double](repeating: 0, count: ks.count)
        for i in 0..<y.count { y[i] = Double(bias.scalars[i % cout]) }
        Self.forEachTap(images: n) { image, oy, ox, iy, ix, ky, kx in
            let out = ((image * g.outputHeight + oy) * g.outputWidth + ox) * cout
            let input = ((image * g.height + iy) * g.width + ix) * cin
            for c in 0..<cin {
                let weights = ((ky * 5 + kx) * cin + c) * cout
                for o in 0..<cout {
                    y[out + o] += Double(xs[input + c]) * Double(ks[weights + o])
                    dx[input + c] += Double(gs[out + o]) * Double(ks[weights + o])
                    dk[weights + o] += Double(gs[out + o]) * Double(xs[input + c])
                }
            }
        }
        let (forward, kept) = Convolution.forward(x, kernel: kernel, bias: bias, geometry: g)
        #expect(kept != nil, "7.7 MB of patches are kept for the backward pass")
        let (dInput, dKernel) = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                                      input: true, kernel: true)
        func maximumError(_ got: [Float], _ expected: [Double]) -> Double {
            zip(got, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? .infinity
        }
        #expect(forward.shape == [n, 40, 40, cout])
        #expect(maximumError(forward.scalars, y) < 1e-4)
        #expect(maximumError(dInput!.scalars, dx) < 1e-4)
        #expect(maximumError(dKernel!.scalars, dk) < 1e-4)
        let kernelOnly = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                               input: false, kernel: true)
        #expect(kernelOnly.input == nil && kernelOnly.kernel?.scalars == dKernel!.scalars)
        // With the patches kept by the forward pass instead of built again: the same bits.
        let fromKept = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                             input: true, kernel: true, patches: kept)
        #expect(fromKept.input?.scalars == dInput!.scalars && fromKept.kernel?.scalars == dKernel!.scalars)
    }

    /// Work is split by size, not by the thread count: one thread gives the same bits as several.
    @Test func resultsDoNotDependOnTheThreadCount() {
        let g = Self.geometry
        let x = Self.random([3, g.height, g.width, g.channels], seed: 5)
        let kernel = Self.random([5, 5, g.channels, Self.outputs], seed: 6)
        let outputGradient = Self.random([3, g.outputHeight, g.outputWidth, Self.outputs], seed: 7)
        let a = Self.random([300, 200], seed: 8), b = Self.random([200, 100], seed: 9)
        func compute() -> [[Float]] {
            let (dx, dk) = Convolution.gradients(x, kernel: kernel, outputGradient: outputGradient, geometry: g,
                                                 input: true, kernel: true)
            return [Convolution.forward(x, kernel: kernel, bias: nil, geometry: g).output.scalars, dx!.scalars, dk!.scalars,
                    Tensor.matmul(a, b).scalars, Tensor.matmul(b, a, transposeA: true, transposeB: true).scalars]
        }
        let parallel = compute()
        let serial = BLAS.withOneThread { compute() }
        #expect(parallel == serial)
    }
}
