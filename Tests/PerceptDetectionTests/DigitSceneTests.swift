import PerceptData
import PerceptTensor
import Testing

/// Generated scenes: deterministic from the seed, and within the documented ranges and limits.
@Suite("Digit scenes")
struct DigitSceneTests {
    static let digits = try! MNIST.loadEmbedded(split: .test).subset(0..<500)

    @Test func theSameSeedGivesTheSameScenesInAnyOrder() throws {
        let generator = try DigitSceneGenerator(source: Self.digits, seed: 7)
        let again = try DigitSceneGenerator(source: Self.digits, seed: 7)
        let forward = generator.scenes(0..<20)
        #expect(forward == again.scenes(0..<20))
        #expect(generator.scene(13) == forward[13])
        #expect((0..<20).reversed().map(generator.scene).reversed() == forward)
        let other = try DigitSceneGenerator(source: Self.digits, seed: 8)
        #expect(other.scenes(0..<20) != forward)
    }

    @Test func scenesRespectSizesCountsScalesAndOverlap() throws {
        let generator = try DigitSceneGenerator(source: Self.digits, seed: 3)
        var counts = Set<Int>()
        for scene in generator.scenes(0..<200) {
            #expect((100...200).contains(scene.width) && (100...200).contains(scene.height))
            #expect((1...6).contains(scene.objects.count))
            counts.insert(scene.objects.count)
            #expect(scene.image.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
            for (index, object) in scene.objects.enumerated() {
                let box = object.box
                #expect(box.xMin >= 0 && box.yMin >= 0 && box.xMax <= Float(scene.width) && box.yMax <= Float(scene.height))
                // The longer side is the scale, within a pixel of rounding.
                #expect(max(box.width, box.height) >= 15 && max(box.width, box.height) <= 48)
                #expect((0..<10).contains(object.label))
                for other in scene.objects[..<index] {
                    #expect(box.intersectionArea(with: other.box) <= 0.2 * min(box.area, other.box.area) + 1e-3)
                }
            }
        }
        #expect(counts.count >= 5)
    }

    @Test func eachBoxIsTheInkOfItsDigit() throws {
        // One digit per scene: all ink lies inside the box, and the box's outer rows and columns hold ink.
        let generator = try DigitSceneGenerator(source: Self.digits, seed: 11, digitCountRange: 1...1)
        for scene in generator.scenes(0..<30) {
            let box = scene.objects[0].box
            let (x0, y0, x1, y1) = (Int(box.xMin), Int(box.yMin), Int(box.xMax), Int(box.yMax))
            var edges = (top: Float(0), bottom: Float(0), left: Float(0), right: Float(0))
            for y in 0..<scene.height {
                for x in 0..<scene.width {
                    let value = scene.image[y, x]
                    let inside = x >= x0 && x < x1 && y >= y0 && y < y1
                    if !inside { #expect(value == 0) }
                    if inside && y == y0 { edges.top = max(edges.top, value) }
                    if inside && y == y1 - 1 { edges.bottom = max(edges.bottom, value) }
                    if inside && x == x0 { edges.left = max(edges.left, value) }
                    if inside && x == x1 - 1 { edges.right = max(edges.right, value) }
                }
            }
            #expect(min(edges.top, edges.bottom, edges.left, edges.right) > 0.02, "\(box): edges \(edges)")
        }
    }

    @Test func unusableSettingsAreRejectedWithTheirName() {
        #expect(throws: DataError.invalidArgument(
            name: "sideRange", reason: "the smallest canvas (40 px) must hold the largest digit (48 px)")) {
            try DigitSceneGenerator(source: Self.digits, seed: 0, sideRange: 40...200)
        }
        #expect(throws: DataError.self) { try DigitSceneGenerator(source: Self.digits, seed: 0, digitCountRange: 0...3) }
    }
}
