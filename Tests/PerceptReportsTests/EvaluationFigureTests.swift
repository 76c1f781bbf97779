import Foundation
import Testing

import PerceptImage
@testable import PerceptReports

@Suite("Confusion matrix and misclassified-image grid")
struct EvaluationFigureTests {
    @Test func confusionMatrixCountsPairsAndDrawsEveryCell() throws {
        let matrix = try ConfusionMatrix(labels: [0, 0, 1, 2, 2, 2], predictions: [0, 1, 1, 2, 2, 0], classNames: ["a", "b", "c"])
        #expect(matrix.counts == [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
        #expect(abs(matrix.accuracy - 4.0 / 6) < 1e-12)
        let svg = try parseSVG(matrix.svg(title: "test <model>"))
        #expect(svg.all("rect").count == 9)
        #expect(svg.all("text").contains { $0.text == "accuracy 0.6667" })
        #expect(svg.all("text").contains { $0.text == "predicted class" })
    }

    @Test func confusionMatrixRejectsBadInput() {
        #expect(throws: ReportDataError.self) { try ConfusionMatrix(labels: [0, 1], predictions: [0], classNames: ["a", "b"]) }
        do {
            _ = try ConfusionMatrix(labels: [0, 3], predictions: [0, 1], classNames: ["a", "b"])
            Issue.record("a label outside the classes was accepted")
        } catch {
            #expect(error.description.contains("sample 1") && error.description.contains("0..<2"))
        }
    }

    @Test func gridEncodesAsAPNGThatDecodesToTheSamePixels() throws {
        let samples = [MisclassifiedGrid.Sample(pixels: [0, 0.5, 1, 0.25], height: 2, width: 2, channels: 1, label: 3, prediction: 8)]
        let grid = MisclassifiedGrid.image(of: samples, columns: 1, scale: 1)
        let bytes = grid.pngData()
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Image(decoding: bytes, name: "grid.png") == grid)
    }

    @Test func gridPlacesEachImageAndItsLabels() {
        let white = [Float](repeating: 1, count: 4)
        let samples = (0..<3).map { MisclassifiedGrid.Sample(pixels: white, height: 2, width: 2, channels: 1, label: $0, prediction: 9) }
        let grid = MisclassifiedGrid.image(of: samples, columns: 2, scale: 1)
        #expect(grid.width == 2 * (36 + 6) && grid.height == 2 * (2 + 14 + 6))
        // Some pixels are the green of the true class and some the red of the prediction.
        let pixels = stride(from: 0, to: grid.pixels.count, by: 3).map { (grid.pixels[$0], grid.pixels[$0 + 1], grid.pixels[$0 + 2]) }
        #expect(pixels.contains { $0 == (0, 130, 0) })
        #expect(pixels.contains { $0 == (200, 0, 0) })
    }
}
