import ArgumentParser
import Foundation
import Percept

#if canImport(Glibc)
import Glibc
#endif

extension BenchCommand {
    /// `percept bench lenet5` and `percept bench cnn`: one timed training epoch of a convolutional
    /// network on MNIST.
    struct ConvolutionalBenchmark: ParsableArguments {
        @OptionGroup var data: DataOptions

        @Option(help: "Samples per step (default: 64 for lenet5, 100 for cnn).")
        var batchSize: Int?

        @Option(help: "Timed epochs (after a warm-up of 20 steps).")
        var epochs: Int = 1

        @Option(help: "Threads the work is split between (OpenBLAS itself runs on one).")
        var threads: Int = 2

        @Flag(help: "Print one JSON line instead of text.")
        var json = false

        func run(workload: String, defaultBatchSize: Int, make: () -> Sequential) throws {
            guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
            BLAS.setThreadCount(threads)
            AllocatorTuning.keepFreedMemoryForReuse()
            let batchSize = self.batchSize ?? defaultBatchSize
            let (train, test, _) = try data.load()
            let warmUp = make()
            try warmUp.build(inputShape: [28, 28], seed: 1)
            warmUp.compile(optimizer: Adam(), loss: .crossEntropy)
            try warmUp.fit(train.features.rows(0..<(20 * batchSize)), Array(train.labels[..<(20 * batchSize)]),
                           batchSize: batchSize, verbose: .silent)
            let network = make()
            try network.build(inputShape: [28, 28], seed: 2)
            network.compile(optimizer: Adam(), loss: .crossEntropy)
            let history = try network.fit(train.features, train.labels, epochs: epochs, batchSize: batchSize,
                                          seed: 3, verbose: .silent)
            let seconds = history.trainingSeconds / Double(epochs)
            let imagesPerSecond = Double(train.count) / seconds
            let flops = trainingFlopsPerImage(network)
            let accuracy = try network.evaluate(test.features, test.labels).accuracy
            try printResult(
                ["workload": workload, "framework": "percept", "batch_size": batchSize, "threads": threads,
                 "images_per_second": imagesPerSecond, "epoch_seconds": seconds, "flops_per_image": flops,
                 "gflops_per_second": imagesPerSecond * Double(flops) / 1e9, "test_accuracy": accuracy,
                 "peak_rss_bytes": peakResidentBytes()], json: json)
        }
    }

    struct LeNet5: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lenet5", abstract: "One timed training epoch of LeNet-5 (Adam, cross-entropy) on MNIST.")
        @OptionGroup var options: ConvolutionalBenchmark
        mutating func run() throws {
            try options.run(workload: "lenet5", defaultBatchSize: 64) { ModelZoo.lenet5() }
        }
    }

    struct CNN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cnn", abstract: "One timed training epoch of the seed's CNN (Adam, cross-entropy) on MNIST.")
        @OptionGroup var options: ConvolutionalBenchmark
        mutating func run() throws {
            try options.run(workload: "cnn", defaultBatchSize: 100) { ModelZoo.cnn() }
        }
    }
}

/// Training FLOPs per sample, 2 per multiply-add: forward, weight gradient and input gradient of
/// every convolution and dense layer, less the input gradient of the first one (the input needs
/// none). Pooling, activations, biases, the loss and the optimizer are not counted.
func trainingFlopsPerImage(_ model: Sequential) -> Int {
    var products: [Int] = []
    for layer in model.layers {
        if let conv = layer as? Conv2D, let geometry = conv.geometry {
            products.append(geometry.outputHeight * geometry.outputWidth * geometry.patchSize * conv.filters)
        } else if let dense = layer as? Dense, let kernel = dense.kernel {
            products.append(kernel.value.count)
        }
    }
    return 3 * 2 * products.reduce(0, +) - 2 * (products.first ?? 0)
}

/// The peak resident memory of this process so far, in bytes (0 where unknown).
func peakResidentBytes() -> Int {
    #if canImport(Glibc)
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return usage.ru_maxrss * 1024
    #else
    return 0
    #endif
}
