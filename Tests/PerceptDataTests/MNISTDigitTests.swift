import PerceptData
import PerceptImage
import Testing

@Suite("Preparing one's own digit images like MNIST")
struct MNISTDigitTests {
    /// The first test digits of the embedded subset as 28 × 28 gray images, with their labels.
    static func testDigits(_ count: Int) throws -> [(Image, Int)] {
        let test = try MNIST.loadEmbedded(split: .test)
        return (0..<count).map { index in
            let pixels = test.features.rows(index..<(index + 1)).scalars.map { UInt8(($0 * 255).rounded()) }
            return (Image(width: 28, height: 28, channels: 1, pixels: pixels), test.labels[index])
        }
    }

    /// Mean absolute difference of two equal-size gray images, in [0, 255].
    static func meanDifference(_ a: Image, _ b: Image) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }

    @Test func anMNISTDigitComesBackAlmostUnchanged() throws {
        // MNIST digits already fill 20 × 20 with their centre of mass at (14, 14), so preparing
        // them again gives them back, up to a resampled rim pixel.
        for (digit, _) in try Self.testDigits(20) {
            let prepared = MNIST.digitImage(from: digit)
            #expect(prepared.width == 28 && prepared.height == 28 && prepared.channels == 1)
            #expect(Self.meanDifference(prepared, digit) < 1)
        }
    }

    @Test func darkInkOnLightPaperIsInvertedCroppedAndCentred() throws {
        for (digit, _) in try Self.testDigits(10) {
            // Black ink on white paper, three times larger, off centre on a wide RGB page.
            var page = Image(width: 150, height: 110, fill: [250, 250, 250])
            let large = digit.inverted().resized(width: 84, height: 84).rgb()
            for y in 0..<84 {
                for x in 0..<84 where large[x: x, y: y, channel: 0] < 250 {
                    let v = large[x: x, y: y, channel: 0]
                    page.set(x: x + 60, y: y + 5, [v, v, v])
                }
            }
            let prepared = MNIST.digitImage(from: page)
            #expect(Self.meanDifference(prepared, MNIST.digitImage(from: digit)) < 20)
            // Centre of mass within a pixel of (14, 14).
            var (mass, sx, sy) = (0.0, 0.0, 0.0)
            for y in 0..<28 {
                for x in 0..<28 {
                    let v = Double(prepared[x: x, y: y, channel: 0])
                    (mass, sx, sy) = (mass + v, sx + v * Double(x), sy + v * Double(y))
                }
            }
            #expect(abs(sx / mass - 14) <= 1 && abs(sy / mass - 14) <= 1)
        }
    }

    @Test func transparentPaperCountsAsWhiteAndBlankGivesBlack() {
        var drawing = Image(width: 40, height: 40, fill: [0, 0, 0, 0])
        for y in 10..<30 { for x in 18..<22 { drawing.set(x: x, y: y, [0, 0, 0, 255]) } }  // a black bar: a "1"
        let prepared = MNIST.digitImage(from: drawing)
        // The bar is 20 high and 4 wide, so it keeps its size; its centre of mass (1.5, 9.5) moves
        // by round(12.5) = 13 and round(4.5) = 5: columns 13–16, rows 5–24.
        #expect(prepared[x: 13, y: 5, channel: 0] == 255 && prepared[x: 16, y: 24, channel: 0] == 255)
        #expect(prepared[x: 12, y: 13, channel: 0] == 0 && prepared[x: 13, y: 4, channel: 0] == 0)
        #expect(prepared.pixels.filter { $0 > 0 }.count == 20 * 4)
        #expect(MNIST.digitImage(from: Image(width: 9, height: 9, fill: [200])).pixels.allSatisfy { $0 == 0 })
    }
}
