import ArgumentParser
import Foundation
import Percept

/// `percept bench …`: the Percept side of the benchmarks in `bench/` (one JSON line each).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure training throughput and the sgemm roof (used by bench/run).",
        subcommands: [MLP.self, Sgemm.self, LeNet5.self, CNN.self, BenchConvolutionCommand.self, BenchLSTMCommand.self,
                      BenchDetectorCommand.self])

    struct MLP: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One timed training epoch of the MLP 784-256-256-10 (ReLU, Adam, cross-entropy) on MNIST.")

        @OptionGroup var data: DataOptions

        @Option(help: "Samples per step.")
        var batchSize: Int = 128

        @Option(help: "Timed epochs (after a warm-up of 20 steps).")
        var epochs: Int = 1

        @Option(help: "Threads the work is split between (OpenBLAS itself runs on one).")
        var threads: Int = 2

        @Flag(help: "Print one JSON line instead of text.")
        var json = false

        mutating func run() throws {
            BLAS.setThreadCount(threads)
            let (train, test, _) = try data.load()
            let network = ModelZoo.mlp(hidden: [256, 256], classes: 10)
            try network.build(inputShape: [28, 28], seed: 1)
            network.compile(optimizer: Adam(), loss: .crossEntropy)
            let warmUp = 20 * batchSize
            try network.fit(train.features.rows(0..<warmUp), Array(train.labels[..<warmUp]), epochs: 1,
                            batchSize: batchSize, verbose: .silent)
            let history = try network.fit(train.features, train.labels, epochs: epochs, batchSize: batchSize,
                                          seed: 2, verbose: .silent)
            let seconds = history.trainingSeconds / Double(epochs)
            let imagesPerSecond = Double(train.count) / seconds
            // Forward 2·(784·256 + 256·256 + 256·10) per image; backward twice that, less the
            // input gradient of the first layer, which is never computed.
            let forward = 2 * (784 * 256 + 256 * 256 + 256 * 10)
            let flopsPerImage = 3 * forward - 2 * 784 * 256
            let accuracy = try network.evaluate(test.features, test.labels).accuracy
            let result: [String: Any] = [
                "workload": "mlp-784-256-256-10", "framework": "percept", "batch_size": batchSize,
                "threads": threads, "images_per_second": imagesPerSecond, "epoch_seconds": seconds,
                "flops_per_image": flopsPerImage,
                "gflops_per_second": imagesPerSecond * Double(flopsPerImage) / 1e9, "test_accuracy": accuracy,
            ]
            try printResult(result, json: json)
        }
    }

    struct Sgemm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The sgemm roof: GFLOP/s of square products.")

        @Option(help: "Threads the work is split between (OpenBLAS itself runs on one).")
        var threads: Int = 2

        @Flag(help: "Print one JSON line instead of text.")
        var json = false

        mutating func run() throws {
            BLAS.setThreadCount(threads)
            var best = 0.0
            var generator = RandomGenerator(seed: 3)
            for size in [1024, 2048] {
                let a = Tensor.uniform(shape: [size, size], low: -1, high: 1, generator: &generator)
                let b = Tensor.uniform(shape: [size, size], low: -1, high: 1, generator: &generator)
                _ = Tensor.matmul(a, b)
                let repeats = size == 1024 ? 10 : 3
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats { _ = Tensor.matmul(a, b) }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                best = max(best, 2 * pow(Double(size), 3) * Double(repeats) / seconds / 1e9)
            }
            try printResult(
                ["workload": "sgemm", "framework": "percept-openblas", "threads": threads, "gflops_per_second": best,
                 "sizes": [1024, 2048]], json: json)
        }
    }
}

/// Prints a flat result as one JSON line or as `key: value` lines.
func printResult(_ result: [String: Any], json: Bool) throws {
    if json {
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    } else {
        for key in result.keys.sorted() { print("\(key): \(result[key]!)") }
    }
}
