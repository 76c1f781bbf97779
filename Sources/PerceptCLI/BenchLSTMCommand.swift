import ArgumentParser
import Foundation
import Percept

/// `percept bench lstm`: the Percept side of the `lstm` workload of `bench/run`.
struct BenchLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm",
        abstract: "Timed training steps of Embedding → LSTM → Dense(1) on random word sequences (sequences/s).",
        discussion: """
            The same workload as bench/peers/torch_lstm.py: random indices in 1..<vocab (no padding), \
            binary cross-entropy on one logit, Adam, batch 128. Warm-up steps are not timed.
            """)

    @Option(help: "Word indices.") var vocabSize: Int = 10_000
    @Option(help: "Word vector length.") var embeddingSize: Int = 128
    @Option(help: "LSTM state size.") var units: Int = 64
    @Option(help: "Sequence length.") var maxLength: Int = 200
    @Option(help: "Sequences per step.") var batchSize: Int = 128
    @Option(help: "Timed training steps.") var steps: Int = 20
    @Option(help: "Untimed warm-up steps.") var warmUp: Int = 3
    @Option(help: "The recurrent cell: lstm or gru.") var cell: String = "lstm"
    @Option(help: "Threads the work is split between (OpenBLAS itself runs on one).") var threads: Int = 2
    @Flag(help: "Print one JSON line instead of text.") var json = false

    func validate() throws {
        guard ["lstm", "gru"].contains(cell) else { throw ValidationError("--cell must be lstm or gru, got '\(cell)'") }
        for (flag, value) in [("--vocab-size", vocabSize), ("--embedding-size", embeddingSize), ("--units", units),
                              ("--max-length", maxLength), ("--batch-size", batchSize), ("--steps", steps)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
    }

    mutating func run() throws {
        BLAS.setThreadCount(threads)
        AllocatorTuning.keepFreedMemoryForReuse()
        let kind: ModelZoo.RecurrentKind = cell == "gru" ? .gru : .lstm
        let network = ModelZoo.textClassifier(kind, vocabularySize: vocabSize, embeddingSize: embeddingSize, units: units)
        try network.build(inputShape: [maxLength], seed: 1)
        network.compile(optimizer: Adam(), loss: .binaryCrossEntropy)
        var generator = RandomGenerator(seed: 5)
        let samples = batchSize * (steps + warmUp)
        let x = Tensor(shape: [samples, maxLength]) { out in
            for i in 0..<out.count { out[i] = Float(1 + Int(generator.next() % UInt64(vocabSize - 1))) }
        }
        let y = (0..<samples).map { _ in Int(generator.next() % 2) }
        let warmUpCount = batchSize * warmUp
        if warmUp > 0 {
            try network.fit(x.rows(0..<warmUpCount), Array(y[..<warmUpCount]), epochs: 1, batchSize: batchSize,
                            shuffle: false, verbose: .silent)
        }
        let history = try network.fit(x.rows(warmUpCount..<samples), Array(y[warmUpCount...]), epochs: 1,
                                      batchSize: batchSize, shuffle: false, verbose: .silent)
        let seconds = history.trainingSeconds
        let sequencesPerSecond = Double(batchSize * steps) / seconds
        try printResult(
            ["workload": "\(cell)-\(units)", "framework": "percept", "batch_size": batchSize, "threads": threads,
             "max_length": maxLength, "embedding_size": embeddingSize, "units": units, "vocab_size": vocabSize,
             "steps": steps, "seconds": seconds, "sequences_per_second": sequencesPerSecond], json: json)
    }
}
