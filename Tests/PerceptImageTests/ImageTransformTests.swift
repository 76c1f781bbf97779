import PerceptImage
import PerceptTensor
import Testing

@Suite("Image conversion, resizing, cropping and tensors")
struct ImageTransformTests {
    @Test func grayscaleUsesBT601Luma() {
        let rgb = Image(width: 4, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
        // 0.299·255 = 76.2, 0.587·255 = 149.7, 0.114·255 = 29.1, 0.299·10 + 0.587·20 + 0.114·30 = 18.15
        #expect(rgb.grayscale().pixels == [76, 150, 29, 18])
        let rgba = Image(width: 1, height: 1, channels: 4, pixels: [255, 0, 0, 7])
        #expect(rgba.grayscale().pixels == [76])
        #expect(Image(width: 1, height: 1, channels: 2, pixels: [9, 200]).grayscale().pixels == [9])
        #expect(Image(width: 2, height: 1, channels: 1, pixels: [3, 4]).rgb().pixels == [3, 3, 3, 4, 4, 4])
        #expect(rgba.rgb().pixels == [255, 0, 0])
        #expect(Image(width: 2, height: 1, channels: 1, pixels: [0, 200]).inverted().pixels == [255, 55])
    }

    @Test func bilinearEnlargementMatchesHandValues() {
        // Output x samples the input at (x + ½)/2 − ½: −¼ (clamped to 0), ¼, ¾, 1¼ (clamped to 1).
        let row = Image(width: 2, height: 1, channels: 1, pixels: [0, 100])
        #expect(row.resized(width: 4, height: 1).pixels == [0, 25, 75, 100])
        // In two dimensions the same weights apply to rows: 2 × 2 → 3 × 3 samples at 0, ½, 1 (after clamping −⅙, ½, 7/6).
        let square = Image(width: 2, height: 2, channels: 1, pixels: [0, 60, 120, 180])
        #expect(square.resized(width: 3, height: 3).pixels == [0, 30, 60, 60, 90, 120, 120, 150, 180])
    }

    @Test func halvingAveragesPairsAndLargerShrinksAverageBlocks() {
        let image = Image(width: 4, height: 2, channels: 2, pixels: [0, 1, 10, 3, 20, 5, 30, 7, 40, 9, 50, 11, 60, 13, 70, 15])
        // Halving samples at 0.5: the mean of each 2 × 2 block, per channel.
        #expect(image.resized(width: 2, height: 1).pixels == [25, 6, 45, 10])
        // Shrinking 6 × 3 → 2 × 1 averages 3 × 3 blocks.
        let wide = Image(width: 6, height: 3, channels: 1, pixels: (0..<18).map { UInt8($0 * 10) })
        // Block means: (0+10+20+60+70+80+120+130+140)/9 = 70 and 100.
        #expect(wide.resized(width: 2, height: 1).pixels == [70, 100])
    }

    @Test func resizingKeepsAConstantImageConstant() {
        let flat = Image(width: 7, height: 5, fill: [90, 180, 3])
        #expect(flat.resized(width: 3, height: 11) == Image(width: 3, height: 11, fill: [90, 180, 3]))
        #expect(flat.resized(width: 1, height: 1) == Image(width: 1, height: 1, fill: [90, 180, 3]))
    }

    @Test func croppingTakesTheRectangle() {
        let image = Image(width: 4, height: 3, channels: 1, pixels: (0..<12).map(UInt8.init))
        #expect(image.cropped(x: 1, y: 1, width: 2, height: 2).pixels == [5, 6, 9, 10])
        let rgb = image.rgb().cropped(x: 3, y: 2, width: 1, height: 1)
        #expect(rgb.pixels == [11, 11, 11])
    }

    @Test func tensorsAreNHWCInTheUnitInterval() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [0, 51, 255, 102, 153, 204])
        let tensor = image.tensor()
        #expect(tensor.shape == [1, 1, 2, 3])
        #expect(tensor.scalars == [0, 0.2, 1, 0.4, 0.6, 0.8])
        #expect(Image(tensor: tensor) == image)
        #expect(Image(tensor: Tensor(shape: [1, 2], scalars: [-1, 2])).pixels == [0, 255])
        let batch = Tensor(images: [image, image.inverted()])
        #expect(batch.shape == [2, 1, 2, 3])
        #expect(Array(batch.scalars[6...]) == [1, 0.8, 0, 0.6, 0.4, 0.2])
    }
}
