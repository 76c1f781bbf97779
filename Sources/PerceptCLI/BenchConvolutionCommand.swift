import ArgumentParser
import Foundation
import Percept

/// `percept bench convolution`: one convolution layer's training pass (forward with ReLU, then the
/// input, kernel and bias gradients) timed with each `Convolution.Method`, over the layer shapes of
/// the model zoo and a grid around them: the measurements behind `Method.preferred`.
struct BenchConvolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convolution",
        abstract: "Time one convolution layer's forward and backward pass with patches and directly.")

    @Option(help: "Threads.")
    var threads: Int = 2

    @Option(help: "Timed passes per measurement; the best of 5 measurements is kept.")
    var passes: Int = 5

    @Flag(help: "Print one JSON line per layer instead of a table.")
    var json = false

    /// A layer: name, input height and width, input channels, filters, window side, padding, batch.
    typealias Shape = (name: String, side: Int, channels: Int, filters: Int, kernel: Int, padding: Padding, batch: Int)

    static let shapes: [Shape] = [
        ("lenet5 conv 1", 28, 1, 6, 5, .same, 64), ("lenet5 conv 2", 14, 6, 16, 5, .valid, 64),
        ("cnn conv 1", 28, 1, 32, 5, .same, 100), ("cnn conv 2", 14, 32, 64, 5, .same, 100),
        ("cifar-vgg conv 1", 32, 3, 32, 3, .same, 64), ("cifar-vgg conv 2", 32, 32, 32, 3, .same, 64),
        ("cifar-vgg conv 3", 16, 32, 64, 3, .same, 64), ("cifar-vgg conv 4", 16, 64, 64, 3, .same, 64),
        ("cifar-vgg conv 6", 8, 128, 128, 3, .same, 64), ("face-cnn conv 2", 24, 16, 32, 3, .same, 32),
        ("4 → 128", 16, 4, 128, 3, .same, 64), ("8 → 64", 16, 8, 64, 3, .same, 64),
        ("16 → 16", 16, 16, 16, 3, .same, 64), ("64 → 16", 16, 64, 16, 3, .same, 64),
        ("64 → 32", 16, 64, 32, 3, .same, 64), ("128 → 32", 8, 128, 32, 3, .same, 64),
        ("32 → 48", 16, 32, 48, 3, .same, 64), ("32 → 32, 5 × 5", 14, 32, 32, 5, .same, 64),
    ]

    mutating func run() throws {
        guard threads >= 1, passes >= 1 else { throw ValidationError("--threads and --passes must be at least 1") }
        BLAS.setThreadCount(threads)
        if !json {
            print("| layer | input | filters | window | batch | patches ms | direct ms | patches / direct | preferred |")
            print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |")
        }
        for shape in Self.shapes {
            let geometry = WindowGeometry(
                height: shape.side, width: shape.side, channels: shape.channels, kernel: (shape.kernel, shape.kernel),
                stride: (1, 1), padding: shape.padding)!
            var generator = RandomGenerator(seed: 1)
            let x = Tensor.uniform(shape: [shape.batch] + geometry.inputShape, low: -1, high: 1, generator: &generator)
            let kernel = Tensor.uniform(shape: [shape.kernel, shape.kernel, shape.channels, shape.filters], low: -0.1,
                                        high: 0.1, generator: &generator)
            let bias = Tensor(zeros: [shape.filters])
            let outputGradient = Tensor.uniform(
                shape: [shape.batch, geometry.outputHeight, geometry.outputWidth, shape.filters], low: -1, high: 1,
                generator: &generator)
            var milliseconds: [Convolution.Method: Double] = [:]
            for method in Convolution.Method.allCases {
                var best = Double.infinity
                for _ in 0..<5 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<passes {
                        let (y, patches) = Convolution.forward(x, kernel: kernel, bias: bias, geometry: geometry,
                                                               rectified: true, method: method)
                        _ = Convolution.gradients(
                            x, kernel: kernel, outputGradient: outputGradient, geometry: geometry, input: true,
                            kernel: true, bias: true, patches: patches, rectifiedOutput: y, method: method)
                    }
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(passes))
                }
                milliseconds[method] = best
            }
            let (patches, direct) = (milliseconds[.patches]!, milliseconds[.direct]!)
            let preferred = Convolution.Method.preferred(for: geometry, outputs: shape.filters)
            if json {
                try printResult(
                    ["layer": shape.name, "input": geometry.inputShape, "filters": shape.filters, "window": shape.kernel,
                     "padding": shape.padding.rawValue, "batch_size": shape.batch, "threads": threads,
                     "patches_ms": patches, "direct_ms": direct, "preferred": "\(preferred)"], json: true)
            } else {
                let input = geometry.inputShape.map(String.init).joined(separator: " × ")
                print("| \(shape.name) | \(input) | \(shape.filters) | \(shape.kernel) × \(shape.kernel) \(shape.padding) "
                      + "| \(shape.batch) | \(String(format: "%.2f", patches)) | \(String(format: "%.2f", direct)) "
                      + "| \(String(format: "%.2f", patches / direct)) | \(preferred) |")
            }
        }
    }
}
