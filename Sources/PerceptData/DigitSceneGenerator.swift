import Dispatch
import PerceptTensor

/// Generates detection scenes from a digit dataset (MNIST), deterministically: scene `i` of a
/// generator depends only on its seed, its settings, its source digits and `i`, so scenes can be
/// made in any order, in parallel, and again later.
///
/// Each scene is built as follows.
/// - The canvas's width and height are drawn independently and uniformly from ``sideRange``.
/// - The number of digits is drawn uniformly from ``digitCountRange``; each digit is a random
///   image of the source dataset.
/// - A digit's *ink* is the part of its 28 × 28 image inside the bounding box of its pixels of at
///   least ``inkThreshold`` intensity. Its *scale* `s` is drawn uniformly from ``scaleRange``; the
///   ink is resized (bilinear) so that its longer side is `s` pixels, keeping its aspect ratio.
/// - The ground-truth box is the rectangle the resized ink occupies on the canvas: its edges are
///   the ink's extreme rows and columns (see ``BoundingBox`` for the pixel convention).
/// - The position is uniform over the places where the box fits on the canvas. A position is
///   accepted only if the box shares at most ``maximumOverlap`` of the smaller box's area with
///   every digit already placed, so that each digit stays recognisable; after 50 rejected
///   positions the digit is left out (then the scene holds fewer digits than drawn, never none).
/// - Digits are combined with the canvas by taking the maximum of the intensities.
public struct DigitSceneGenerator: Sendable {
    /// The digits scenes are made of: images `[n, side, side]` in `[0, 1]` and their classes.
    public let source: LabeledDataset
    /// The seed every scene derives from.
    public var seed: UInt64
    /// The range of canvas widths and heights, in pixels.
    public var sideRange: ClosedRange<Int>
    /// The range of digits per scene.
    public var digitCountRange: ClosedRange<Int>
    /// The range of digit scales: the longer side of the resized ink, in pixels.
    public var scaleRange: ClosedRange<Int>
    /// The largest share of the smaller box's area that two digits' boxes may have in common.
    public var maximumOverlap: Float
    /// The intensity from which a source pixel counts as ink.
    public var inkThreshold: Float

    /// The ink boxes of the source images: first row, first column, row count, column count.
    private let inkBoxes: [(top: Int, left: Int, height: Int, width: Int)]

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - source: square grayscale digit images `[n, side, side]` with their labels (e.g. an
    ///     MNIST split).
    ///   - seed: the seed scenes derive from.
    ///   - sideRange: canvas widths and heights (default 100…200).
    ///   - digitCountRange: digits per scene (default 1…6).
    ///   - scaleRange: digit scales in pixels (default 16…48).
    ///   - maximumOverlap: at most this share of the smaller of two boxes may overlap (default 0.2).
    /// - Throws: ``DataError/invalidArgument(name:reason:)`` when a range or the source does not
    ///   allow a scene (e.g. a digit larger than the smallest canvas).
    public init(
        source: LabeledDataset, seed: UInt64, sideRange: ClosedRange<Int> = 100...200,
        digitCountRange: ClosedRange<Int> = 1...6, scaleRange: ClosedRange<Int> = 16...48,
        maximumOverlap: Float = 0.2, inkThreshold: Float = 0.1
    ) throws {
        guard source.features.rank == 3, source.count > 0 else {
            throw DataError.invalidArgument(
                name: "source", reason: "needs at least one grayscale image [n, height, width], got \(source.features.shape)")
        }
        guard scaleRange.lowerBound >= 2 else {
            throw DataError.invalidArgument(name: "scaleRange", reason: "digits need at least 2 pixels, got \(scaleRange)")
        }
        guard sideRange.lowerBound >= scaleRange.upperBound else {
            throw DataError.invalidArgument(
                name: "sideRange",
                reason: "the smallest canvas (\(sideRange.lowerBound) px) must hold the largest digit (\(scaleRange.upperBound) px)")
        }
        guard digitCountRange.lowerBound >= 1 else {
            throw DataError.invalidArgument(name: "digitCountRange", reason: "a scene needs at least one digit, got \(digitCountRange)")
        }
        guard maximumOverlap >= 0 && maximumOverlap <= 1 else {
            throw DataError.invalidArgument(name: "maximumOverlap", reason: "must be in [0, 1], got \(maximumOverlap)")
        }
        self.source = source
        self.seed = seed
        self.sideRange = sideRange
        self.digitCountRange = digitCountRange
        self.scaleRange = scaleRange
        self.maximumOverlap = maximumOverlap
        self.inkThreshold = inkThreshold
        let (rows, columns) = (source.features.shape[1], source.features.shape[2])
        inkBoxes = source.features.withUnsafeBufferPointer { pixels in
            (0..<source.count).map { index in
                var (top, bottom, left, right) = (rows, -1, columns, -1)
                let base = index * rows * columns
                for row in 0..<rows {
                    for column in 0..<columns where pixels[base + row * columns + column] >= inkThreshold {
                        top = min(top, row)
                        bottom = max(bottom, row)
                        left = min(left, column)
                        right = max(right, column)
                    }
                }
                // An image without ink keeps its whole frame.
                return bottom < 0 ? (0, 0, rows, columns) : (top, left, bottom - top + 1, right - left + 1)
            }
        }
    }

    /// Scene number `index` (any non-negative integer).
    public func scene(_ index: Int) -> DigitScene {
        var generator = RandomGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        let width = generator.integer(in: sideRange)
        let height = generator.integer(in: sideRange)
        let count = generator.integer(in: digitCountRange)
        var canvas = [Float](repeating: 0, count: width * height)
        var objects: [LabeledBox] = []
        for _ in 0..<count {
            let digit = generator.integer(in: 0...(source.count - 1))
            let ink = inkBoxes[digit]
            let scale = Float(generator.integer(in: scaleRange)) / Float(max(ink.height, ink.width))
            let inkWidth = max(1, Int((Float(ink.width) * scale).rounded()))
            let inkHeight = max(1, Int((Float(ink.height) * scale).rounded()))
            var placed: BoundingBox?
            for _ in 0..<50 {
                let x = generator.integer(in: 0...(width - inkWidth))
                let y = generator.integer(in: 0...(height - inkHeight))
                let box = BoundingBox(xMin: Float(x), yMin: Float(y), xMax: Float(x + inkWidth), yMax: Float(y + inkHeight))
                let fits = objects.allSatisfy { other in
                    box.intersectionArea(with: other.box) <= maximumOverlap * min(box.area, other.box.area)
                }
                if fits {
                    placed = box
                    break
                }
            }
            guard let box = placed else { continue }
            paste(digit: digit, ink: ink, into: &canvas, canvasWidth: width, at: (Int(box.xMin), Int(box.yMin)),
                  size: (inkWidth, inkHeight))
            objects.append(LabeledBox(box: box, label: source.labels[digit]))
        }
        return DigitScene(image: Tensor(shape: [height, width], scalars: canvas), objects: objects)
    }

    /// Scenes `range` in order, made on all cores.
    public func scenes(_ range: Range<Int>) -> [DigitScene] {
        let results = SceneSlots(count: range.count)
        DispatchQueue.concurrentPerform(iterations: range.count) { offset in
            results.set(offset, scene(range.lowerBound + offset))
        }
        return results.values
    }

    /// Resizes the ink of source image `digit` to `size` (bilinear, pixel centres aligned) and
    /// combines it with the canvas at `origin` by the maximum.
    private func paste(
        digit: Int, ink: (top: Int, left: Int, height: Int, width: Int), into canvas: inout [Float], canvasWidth: Int,
        at origin: (x: Int, y: Int), size: (width: Int, height: Int)
    ) {
        let (rows, columns) = (source.features.shape[1], source.features.shape[2])
        let scaleX = Float(ink.width) / Float(size.width)
        let scaleY = Float(ink.height) / Float(size.height)
        source.features.withUnsafeBufferPointer { pixels in
            let base = digit * rows * columns
            func sample(_ row: Int, _ column: Int) -> Float {
                pixels[base + (ink.top + row) * columns + ink.left + column]
            }
            for y in 0..<size.height {
                let sourceY = min(max((Float(y) + 0.5) * scaleY - 0.5, 0), Float(ink.height - 1))
                let y0 = Int(sourceY)
                let y1 = min(y0 + 1, ink.height - 1)
                let fy = sourceY - Float(y0)
                for x in 0..<size.width {
                    let sourceX = min(max((Float(x) + 0.5) * scaleX - 0.5, 0), Float(ink.width - 1))
                    let x0 = Int(sourceX)
                    let x1 = min(x0 + 1, ink.width - 1)
                    let fx = sourceX - Float(x0)
                    let top = sample(y0, x0) + (sample(y0, x1) - sample(y0, x0)) * fx
                    let bottom = sample(y1, x0) + (sample(y1, x1) - sample(y1, x0)) * fx
                    let value = top + (bottom - top) * fy
                    let index = (origin.y + y) * canvasWidth + origin.x + x
                    canvas[index] = max(canvas[index], value)
                }
            }
        }
    }
}

extension RandomGenerator {
    /// A uniform integer in `range`, from this generator's own bits (the same on every platform
    /// and toolchain, unlike the standard library's `Int.random(in:using:)`).
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }
}

/// Storage the threads of one parallel loop fill, each at its own index.
private final class SceneSlots: @unchecked Sendable {
    private var slots: [DigitScene?]
    private let lock = DispatchQueue(label: "scene-slots")
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ scene: DigitScene) { lock.sync { slots[index] = scene } }
    var values: [DigitScene] { slots.map { $0! } }
}
