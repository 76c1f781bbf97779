import ArgumentParser
import Foundation
import Percept

/// `percept train MODEL …`: one subcommand per model of the zoo, each with its own options.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset and report its test accuracy.",
        discussion: "Example: percept train mlp --dataset mnist --data-dir ~/mnist --loss squared-error --epochs 20",
        subcommands: [
            TrainMLPCommand.self, TrainLeNet5Command.self, TrainSeedCNNCommand.self, TrainCIFARCNNCommand.self,
            TrainCIFARVGGCommand.self, TrainFaceCNNCommand.self, TrainLSTMCommand.self, TrainGRUCommand.self, TrainSimpleRNNCommand.self,
            TrainBidirectionalLSTMCommand.self, TrainStackedLSTMCommand.self, TrainDetectorCommand.self,
        ] + classicalTrainCommands)

    /// The names of the trainable models, as typed after `percept train`.
    static var modelNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName }
    }
}

/// `percept train mlp`: the multilayer perceptron on MNIST.
struct TrainMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "A multilayer perceptron: Flatten → Dense(relu) … → Dense(10), trained with either error function.")

    @OptionGroup var data: DataOptions

    @Option(help: "The error function: cross-entropy or squared-error.")
    var loss: String = "cross-entropy"

    @Option(help: "Hidden layer widths, comma-separated.")
    var hidden: String = "256,256"

    @Option(help: "Dropout rate after each hidden layer.")
    var dropout: Float = 0

    @OptionGroup var training: NetworkTrainingOptions

    mutating func run() throws {
        guard let lossFunction = Loss(rawValue: loss), lossFunction != .binaryCrossEntropy else {
            throw ValidationError("unknown loss '\(loss)'; available: cross-entropy, squared-error")
        }
        let widths = try parseWidths(hidden)
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        try training.validate()
        let (train, test, datasetName) = try data.load()
        let network = ModelZoo.mlp(hidden: widths, classes: train.classCount, loss: lossFunction, dropout: dropout)
        let inputs = train.features.shape.dropFirst().reduce(1, *)
        try runTraining(
            network, modelName: "mlp-" + ([inputs] + widths + [train.classCount]).map(String.init).joined(separator: "-"),
            loss: lossFunction, train: train, test: test, datasetName: datasetName, options: training)
    }

    private func parseWidths(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden takes positive widths separated by commas, e.g. 256,256; got '\(text)'")
        }
        return parts.map { $0! }
    }
}

/// The defaults of the training options whose best value depends on the model family; `--help`
/// shows the family's own.
protocol TrainingDefaults {
    /// The number of epochs on `dataset`.
    static func epochs(dataset: String) -> Int
    /// How `--help` states the default number of epochs.
    static var epochsDescription: String { get }
    /// The fraction held out for validation.
    static var validationSplit: Double { get }
    /// The global gradient norm clipped to, if any.
    static var clipNorm: Float? { get }
}

/// The multilayer perceptron's and the convolutional networks' defaults.
enum NetworkTrainingDefaults: TrainingDefaults {
    static func epochs(dataset: String) -> Int { 20 }
    static let epochsDescription = "20"
    static let validationSplit = 0.1
    static let clipNorm: Float? = nil
}

/// The recurrent networks' defaults: fewer epochs on the reviews, which overfit quickly, and
/// clipping against exploding gradients through time.
enum RecurrentTrainingDefaults: TrainingDefaults {
    static func epochs(dataset: String) -> Int { dataset == "imdb" ? 4 : 10 }
    static let epochsDescription = "4 on imdb, 10 on mnist"
    static let validationSplit = 0.04
    static let clipNorm: Float? = 5
}

/// The training options of the multilayer perceptron and the convolutional networks.
typealias NetworkTrainingOptions = TrainingOptions<NetworkTrainingDefaults>
/// The training options of the recurrent networks.
typealias RecurrentTrainingOptions = TrainingOptions<RecurrentTrainingDefaults>

/// Options shared by every command that trains, with the defaults of its model family.
struct TrainingOptions<Defaults: TrainingDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp("Passes over the training data. (default: \(Defaults.epochsDescription))"))
    var epochs: Int?

    @Option(help: "Samples per gradient step.")
    var batchSize: Int = 128

    @Option(help: "Seed for initialisation, shuffling and dropout; the same seed gives the same history.")
    var seed: UInt64 = 0

    @Option(help: "The optimizer: adam, sgd, nesterov (SGD with Nesterov momentum 0.9) or rmsprop.")
    var optimizer: String = "adam"

    @Option(help: "The learning rate.")
    var learningRate: Float = 0.001

    @Option(help: "Learning-rate schedule: cosine (decays to 1% of the rate by the last epoch) or constant.")
    var schedule: String = "cosine"

    @Option(help: "Fraction of the training set held out for validation curves.")
    var validationSplit: Double = Defaults.validationSplit

    @Option(help: ArgumentHelp("Clip gradients to this global L2 norm.\(Defaults.clipNorm.map { " (default: \($0))" } ?? "")"))
    var clipNorm: Float?

    @Option(help: "Threads the work is split between (default: all cores; OpenBLAS itself runs on one).")
    var threads: Int?

    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Write history.csv and training-curves.svg to this folder.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("Save the trained model to this file (safetensors with the architecture).", valueName: "file"))
    var save: String?

    @Option(help: ArgumentHelp("Write a checkpoint to this folder after every epoch.", valueName: "dir"))
    var checkpointDir: String?

    @Option(help: ArgumentHelp("Continue the run checkpointed in this folder (same command otherwise).", valueName: "dir"))
    var resume: String?

    @Flag(help: "Print only the final result.")
    var quiet = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let clipNorm, !(clipNorm > 0 && clipNorm.isFinite) {
            throw ValidationError("--clip-norm must be positive, got \(clipNorm)")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate must be positive, got \(learningRate)")
        }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw ValidationError("--validation-split must be in [0, 1), got \(validationSplit)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard ["cosine", "constant"].contains(schedule) else {
            throw ValidationError("unknown schedule '\(schedule)'; available: cosine, constant")
        }
        guard ["adam", "sgd", "nesterov", "rmsprop"].contains(optimizer) else {
            throw ValidationError("unknown optimizer '\(optimizer)'; available: adam, sgd, nesterov, rmsprop")
        }
    }

    /// The number of epochs: `--epochs`, else the family's default for `dataset`.
    func epochCount(dataset: String) -> Int { epochs ?? Defaults.epochs(dataset: dataset) }

    func makeOptimizer() -> any Optimizer {
        let clipNorm = self.clipNorm ?? Defaults.clipNorm
        switch optimizer {
        case "sgd": return SGD(learningRate: learningRate, clipGlobalNorm: clipNorm)
        case "nesterov": return SGD(learningRate: learningRate, momentum: 0.9, nesterov: true, clipGlobalNorm: clipNorm)
        case "rmsprop": return RMSprop(learningRate: learningRate, clipGlobalNorm: clipNorm)
        default: return Adam(learningRate: learningRate, clipGlobalNorm: clipNorm)
        }
    }
}

/// Trains `network` (or, with `--resume`, the checkpointed one), evaluates it on the test split,
/// prints the result and writes the report and output files (each written atomically, after
/// training succeeded). Returns the trained network.
@discardableResult
func runTraining<Defaults>(
    _ network: Sequential, modelName: String, loss: Loss, train: LabeledDataset, test: LabeledDataset,
    datasetName: String, options: TrainingOptions<Defaults>
) throws -> Sequential {
    if let threads = options.threads { BLAS.setThreadCount(threads) }
    var network = network
    var progress: TrainingProgress?
    if let resume = options.resume {
        (network, progress) = try Checkpoint.read(from: URL(fileURLWithPath: resume, isDirectory: true))
        if !options.quiet { print("resuming after epoch \(progress!.completedEpochs) from \(resume)") }
    } else {
        try network.build(inputShape: Array(train.features.shape.dropFirst()), seed: options.seed)
    }
    let optimizer = options.makeOptimizer()
    network.compile(optimizer: optimizer, loss: loss)
    if !options.quiet { print(network.summary()) }
    let schedule: LearningRateSchedule = options.schedule == "cosine" ? .cosine(minimumFraction: 0.01) : .constant
    var callbacks = [schedule.callback(for: optimizer)]
    var checkpoints: CheckpointWriter?
    if let directory = options.checkpointDir ?? options.resume {
        checkpoints = CheckpointWriter(model: network, directory: URL(fileURLWithPath: directory, isDirectory: true))
        callbacks.append(checkpoints!.callback)
    }
    let history = try network.fit(
        train.features, train.labels, epochs: options.epochCount(dataset: datasetName), batchSize: options.batchSize,
        validationSplit: options.validationSplit, seed: options.seed, callbacks: callbacks,
        verbose: options.quiet ? .silent : .automatic, resumingFrom: progress)
    if let error = checkpoints?.error { throw error }
    let evaluation = try network.evaluate(test.features, test.labels)
    let trainSeconds = history.trainingSeconds
    let samples = history.epochs.reduce(0.0) { $0 + $1.samplesPerSecond * $1.seconds }
    print("\(modelName) on \(datasetName), \(loss.rawValue): test accuracy \(fixed4(evaluation.accuracy)) "
        + "(\(test.count) samples), test loss \(fixed4(evaluation.loss)), \(history.epochs.count) epochs in "
        + String(format: "%.1f", trainSeconds) + " s")

    if let output = options.output {
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        try writeTrainingOutputs(history: history, title: "\(modelName) on \(datasetName)", to: directory)
        if !options.quiet { print("wrote \(directory.path)/history.csv and training-curves.svg") }
    }
    if let path = options.save {
        try ModelFile.save(network, to: URL(fileURLWithPath: path))
        if !options.quiet { print("wrote \(path)") }
    }
    if let reportPath = options.report {
        let report = TrainingReport(
            model: modelName, dataset: datasetName, loss: loss.rawValue, epochs: history.epochs.count,
            batchSize: options.batchSize, seed: options.seed, optimizer: options.optimizer,
            learningRate: Double(options.learningRate), schedule: options.schedule, parameters: network.parameterCount,
            trainSamples: train.count, testSamples: test.count, testAccuracy: evaluation.accuracy,
            testLoss: evaluation.loss, trainSeconds: trainSeconds,
            trainSamplesPerSecond: samples / max(trainSeconds, 1e-9), history: history.epochs,
            blasThreads: BLAS.threadCount, perceptVersion: perceptVersion)
        try AtomicFileWriter.write(try report.json(), to: URL(fileURLWithPath: reportPath))
        if !options.quiet { print("wrote \(reportPath)") }
    }
    return network
}

func fixed4(_ value: Double) -> String { String(format: "%.4f", value) }
