import PerceptTensor
import Testing

/// Max pooling against a plain loop over each window, on channel counts where the vector path
/// covers one partial vector, several, or a whole one, and on values with many ties (the first
/// maximum of a window wins).
@Suite("Max pooling")
struct MaxPoolingTests {
    @Test(arguments: [(6, 2, Padding.valid), (16, 2, .valid), (10, 2, .same), (3, 3, .same), (8, 1, .valid)])
    func poolingMatchesAPlainLoop(channels: Int, stride: Int, padding: Padding) {
        let (n, h, w) = (3, 9, 8)
        let g = WindowGeometry(height: h, width: w, channels: channels, kernel: (2, 2), stride: (stride, stride),
                               padding: padding)!
        var generator = RandomGenerator(seed: 31)
        // Four levels only, so that most windows hold ties.
        let x = Tensor.uniform(shape: [n, h, w, channels], low: 0, high: 4, generator: &generator).map { $0.rounded(.down) }
        let (values, winners) = Tensor.maxPooled(x, geometry: g)
        var expectedValues: [Float] = [], expectedWinners: [Int32] = []
        for image in 0..<n {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    for c in 0..<channels {
                        var best: (value: Float, at: Int32)? = nil
                        for ky in 0..<2 {
                            for kx in 0..<2 {
                                let (iy, ix) = (oy * stride - g.padTop + ky, ox * stride - g.padLeft + kx)
                                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                let at = (iy * w + ix) * channels + c
                                let value = x.scalars[image * h * w * channels + at]
                                if best == nil || value > best!.value { best = (value, Int32(at)) }
                            }
                        }
                        expectedValues.append(best!.value)
                        expectedWinners.append(best!.at)
                    }
                }
            }
        }
        #expect(values.shape == [n, g.outputHeight, g.outputWidth, channels])
        #expect(values.scalars == expectedValues)
        #expect(winners == expectedWinners)
    }
}
