import ArgumentParser
import Foundation
import Percept

/// Where the recurrent commands find their data, and how text is encoded.
struct SequenceDataOptions: ParsableArguments {
    @Option(help: "The dataset: imdb (movie reviews, binary sentiment), mnist or mnist-subset (images read as 28 rows of 28 pixels).")
    var dataset: String = "imdb"

    @Option(help: ArgumentHelp(
        "For imdb: a folder holding aclImdb/ or aclImdb_v1.tar.gz (or aclImdb_train_test.tar.gz), or the archive itself. For mnist: the four IDX files.",
        valueName: "dir"))
    var dataDir: String?

    @Option(help: "imdb: word indices kept, the 3 reserved ones (padding, start, unknown) included.")
    var vocabSize: Int = 10_000

    @Option(help: "imdb: every review is padded or cut to this many words.")
    var maxLength: Int = 300

    @Option(help: "imdb: where short reviews are padded: pre or post.")
    var padding: String = "pre"

    @Option(help: "imdb: where long reviews are cut: pre (keep the end) or post (keep the start).")
    var truncating: String = "pre"

    @Option(help: "Train on the first N training samples only (default: all); for quick runs.")
    var trainLimit: Int?

    func validate() throws {
        guard ["imdb", "mnist", "mnist-subset"].contains(dataset) else {
            throw ValidationError("unknown dataset '\(dataset)' for a recurrent model; available: imdb, mnist, mnist-subset")
        }
        guard vocabSize > 3 else { throw ValidationError("--vocab-size must be more than 3, got \(vocabSize)") }
        guard maxLength >= 1 else { throw ValidationError("--max-length must be at least 1, got \(maxLength)") }
        if let trainLimit, trainLimit < 2 { throw ValidationError("--train-limit must be at least 2, got \(trainLimit)") }
        for (flag, value) in [("--padding", padding), ("--truncating", truncating)] where SequenceEnd(rawValue: value) == nil {
            throw ValidationError("\(flag) must be pre or post, got '\(value)'")
        }
    }

    var directory: URL? {
        (dataDir ?? ProcessInfo.processInfo.environment["PERCEPT_DATA_DIR"]).map { URL(fileURLWithPath: $0) }
    }

    func load() throws -> (train: LabeledDataset, test: LabeledDataset, vocabulary: Vocabulary?) {
        var (train, test, vocabulary) = try loadAll()
        if let trainLimit, trainLimit < train.count { train = train.subset(0..<trainLimit) }
        return (train, test, vocabulary)
    }

    private func loadAll() throws -> (train: LabeledDataset, test: LabeledDataset, vocabulary: Vocabulary?) {
        switch dataset {
        case "imdb":
            guard let directory else {
                throw ValidationError("imdb needs --data-dir: a folder holding aclImdb/ or aclImdb_v1.tar.gz "
                    + "(download \(IMDB.canonicalURL.absoluteString))")
            }
            let data = try IMDB.load(from: directory, vocabularySize: vocabSize, maxLength: maxLength,
                                     padding: SequenceEnd(rawValue: padding)!, truncating: SequenceEnd(rawValue: truncating)!)
            return (data.train, data.test, data.vocabulary)
        case "mnist-subset":
            return (try MNIST.loadEmbedded(split: .train), try MNIST.loadEmbedded(split: .test), nil)
        default:
            let folder = directory ?? DatasetDownloader.defaultDirectory(for: .mnist)
            return (try MNIST.load(from: folder, split: .train), try MNIST.load(from: folder, split: .test), nil)
        }
    }
}

/// The recurrent model's own options.
struct RecurrentModelOptions: ParsableArguments {
    @Option(help: "imdb: the length of the word vectors.")
    var embeddingSize: Int = 128

    @Option(help: "The state size of each recurrent layer (per direction).")
    var units: Int = 64

    @Option(help: "Dropout rate on the inputs of each recurrent layer.")
    var dropout: Float = 0

    @Option(help: "Truncated back-propagation through time: gradients flow back at most this many steps.")
    var truncation: Int?

    func validate() throws {
        guard embeddingSize >= 1 else { throw ValidationError("--embedding-size must be at least 1, got \(embeddingSize)") }
        guard units >= 1 else { throw ValidationError("--units must be at least 1, got \(units)") }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        if let truncation, truncation < 1 { throw ValidationError("--truncation must be at least 1, got \(truncation)") }
    }
}

/// Trains one of the recurrent models; shared by the `train lstm|gru|…` subcommands.
func trainRecurrent(
    _ kind: ModelZoo.RecurrentKind, data: SequenceDataOptions, model: RecurrentModelOptions, training: RecurrentTrainingOptions
) throws {
    try training.validate()
    var training = training
    if let threads = training.threads { BLAS.setThreadCount(threads) }
    AllocatorTuning.keepFreedMemoryForReuse()
    let stopwatch = Date()
    let (train, test, vocabulary) = try data.load()
    if !training.quiet {
        print("loaded \(data.dataset): \(train.count) training and \(test.count) test samples, shape "
            + "\(Array(train.features.shape.dropFirst()))\(vocabulary.map { ", vocabulary \($0.size)" } ?? "") in "
            + String(format: "%.1f", Date().timeIntervalSince(stopwatch)) + " s")
    }
    let network: Sequential
    let loss: Loss
    let name: String
    if data.dataset == "imdb" {
        network = ModelZoo.textClassifier(kind, vocabularySize: data.vocabSize, embeddingSize: model.embeddingSize,
                                          units: model.units, dropout: model.dropout, truncation: model.truncation)
        loss = .binaryCrossEntropy
        name = "\(kind.rawValue)-\(model.units)-emb\(model.embeddingSize)-len\(data.maxLength)"
    } else {
        network = ModelZoo.sequenceClassifier(kind, classes: train.classCount, units: model.units, dropout: model.dropout,
                                              truncation: model.truncation)
        loss = .crossEntropy
        name = "\(kind.rawValue)-\(model.units)-rows"
    }
    // A text model is saved with its vocabulary and padding, so that `percept predict` can read raw text.
    let textModelPath = vocabulary == nil ? nil : training.save
    if vocabulary != nil { training.save = nil }
    let trained = try runTraining(network, modelName: name, loss: loss, train: train, test: test,
                                  datasetName: data.dataset, options: training)
    if let path = textModelPath, let vocabulary {
        try TextClassifier(network: trained, vocabulary: vocabulary, maxLength: data.maxLength,
                           padding: SequenceEnd(rawValue: data.padding)!, truncating: SequenceEnd(rawValue: data.truncating)!)
            .save(to: URL(fileURLWithPath: path))
        if !training.quiet { print("wrote \(path)") }
    }
}

/// Whether the user typed `flag` (as `--flag value` or `--flag=value`).
func commandLineHas(_ flag: String) -> Bool {
    CommandLine.arguments.contains { $0 == flag || $0.hasPrefix(flag + "=") }
}

private let recurrentDiscussion = """
    Text: Embedding(vocab, embedding-size, mask_zero) → recurrent layer(s) → Dense(1), binary cross-entropy. \
    MNIST: each image is a sequence of 28 rows of 28 pixels → recurrent layer(s) → Dense(10).

    This family's defaults: --epochs 4 on imdb and 10 on mnist, --clip-norm 5, --validation-split 0.04.

    With --save FILE on imdb, the file holds the network with its vocabulary and padding: \
    percept predict --model FILE "some text" prints the positive probability, and \
    percept evaluate --model FILE --dataset imdb --data-dir DIR its test accuracy.

    Example: percept train lstm --dataset imdb --data-dir ~/imdb --max-length 300 --units 64 --save lstm.safetensors
    """

struct TrainLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm", abstract: "An LSTM layer over word vectors (imdb) or image rows (mnist).",
        discussion: recurrentDiscussion)
    @OptionGroup var data: SequenceDataOptions
    @OptionGroup var model: RecurrentModelOptions
    @OptionGroup var training: RecurrentTrainingOptions
    func run() throws { try trainRecurrent(.lstm, data: data, model: model, training: training) }
}

struct TrainGRUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gru", abstract: "A GRU layer over word vectors (imdb) or image rows (mnist).",
        discussion: recurrentDiscussion)
    @OptionGroup var data: SequenceDataOptions
    @OptionGroup var model: RecurrentModelOptions
    @OptionGroup var training: RecurrentTrainingOptions
    func run() throws { try trainRecurrent(.gru, data: data, model: model, training: training) }
}

struct TrainSimpleRNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple-rnn", abstract: "A SimpleRNN (tanh) layer over word vectors (imdb) or image rows (mnist).",
        discussion: recurrentDiscussion)
    @OptionGroup var data: SequenceDataOptions
    @OptionGroup var model: RecurrentModelOptions
    @OptionGroup var training: RecurrentTrainingOptions
    func run() throws { try trainRecurrent(.simpleRNN, data: data, model: model, training: training) }
}

struct TrainBidirectionalLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilstm", abstract: "A bidirectional LSTM (both directions' last states concatenated).",
        discussion: recurrentDiscussion)
    @OptionGroup var data: SequenceDataOptions
    @OptionGroup var model: RecurrentModelOptions
    @OptionGroup var training: RecurrentTrainingOptions
    func run() throws { try trainRecurrent(.bidirectionalLSTM, data: data, model: model, training: training) }
}

struct TrainStackedLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stacked-lstm", abstract: "Two stacked LSTM layers (the first returns its whole sequence).",
        discussion: recurrentDiscussion)
    @OptionGroup var data: SequenceDataOptions
    @OptionGroup var model: RecurrentModelOptions
    @OptionGroup var training: RecurrentTrainingOptions
    func run() throws { try trainRecurrent(.stackedLSTM, data: data, model: model, training: training) }
}
