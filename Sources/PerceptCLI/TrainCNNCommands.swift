import ArgumentParser
import Foundation
import Percept

/// Options of every convolutional network's `percept train` subcommand.
struct ConvolutionalOptions: ParsableArguments {
    @Flag(help: "Standardise each colour channel with the training set's mean and deviation (for cifar10).")
    var standardize = false

    @Option(help: ArgumentHelp("After training, write the test set's confusion matrix to this SVG file.", valueName: "file.svg"))
    var confusion: String?

    @Option(help: ArgumentHelp("After training, write the misclassified test images (at most 100) to this PNG file, "
                               + "true class in green, predicted in red.", valueName: "file.png"))
    var misclassified: String?

    /// The data, standardised per channel when asked.
    func prepare(_ train: LabeledDataset, _ test: LabeledDataset) -> (LabeledDataset, LabeledDataset) {
        guard standardize else { return (train, test) }
        let (mean, deviation) = train.channelStatistics()
        return (train.standardizingChannels(mean: mean, deviation: deviation),
                test.standardizingChannels(mean: mean, deviation: deviation))
    }
}

/// Loads the data, builds the zoo network for its sample shape and trains it.
private func trainConvolutional(
    name: String, data: DataOptions, convolution: ConvolutionalOptions, training: NetworkTrainingOptions,
    make: ([Int], Int) -> Sequential
) throws {
    try training.validate()
    AllocatorTuning.keepFreedMemoryForReuse()
    let (rawTrain, rawTest, datasetName) = try data.load()
    let (train, test) = convolution.prepare(rawTrain, rawTest)
    let network = make(Array(train.features.shape.dropFirst()), train.classCount)
    let trained = try runTraining(
        network, modelName: name, loss: .crossEntropy, train: train, test: test, datasetName: datasetName,
        options: training)
    if convolution.confusion != nil || convolution.misclassified != nil {
        try writeEvaluationFigures(
            predictions: try trained.predictClasses(test.features), test: test, rawTest: rawTest, datasetName: datasetName,
            title: "\(name) on \(datasetName)", options: convolution, quiet: training.quiet)
    }
}

/// Writes the confusion matrix and the grid of misclassified images of the test set, given the
/// predicted class of each test sample.
func writeEvaluationFigures(
    predictions: [Int], test: LabeledDataset, rawTest: LabeledDataset, datasetName: String, title: String,
    options: ConvolutionalOptions, quiet: Bool
) throws {
    let names = datasetName == "cifar10" ? CIFAR10.classNames : (0..<test.classCount).map(String.init)
    if let path = options.confusion {
        let matrix = try ConfusionMatrix(labels: test.labels, predictions: predictions, classNames: names)
        try AtomicFileWriter.write(matrix.svg(title: "Confusion matrix: \(title)"), to: URL(fileURLWithPath: path))
        if !quiet { print("wrote \(path)") }
    }
    if let path = options.misclassified {
        let wrong = zip(test.labels, predictions).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(100)
        let shape = Array(rawTest.features.shape.dropFirst())
        let perImage = shape.reduce(1, *)
        let samples = wrong.map { index, pair in
            MisclassifiedGrid.Sample(
                pixels: Array(rawTest.features.scalars[(index * perImage)..<((index + 1) * perImage)]),
                height: shape[0], width: shape.count > 1 ? shape[1] : 1, channels: shape.count > 2 ? shape[2] : 1,
                label: pair.0, prediction: pair.1)
        }
        try AtomicFileWriter.write(MisclassifiedGrid.image(of: samples).pngData(), to: URL(fileURLWithPath: path))
        if !quiet {
            print("wrote \(path): \(samples.count) of \(zip(test.labels, predictions).filter { $0 != $1 }.count) misclassified test images"
                + (datasetName == "cifar10" ? " (classes: " + names.enumerated().map { "\($0) \($1)" }.joined(separator: ", ") + ")" : ""))
        }
    }
}

/// `percept train lenet5`.
struct TrainLeNet5Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lenet5",
        abstract: "LeNet-5 (LeCun 1998 shape, ReLU and max pooling): conv 6@5×5 → pool → conv 16@5×5 → pool → 120 → 84 → 10.")

    @OptionGroup var data: DataOptions
    @OptionGroup var convolution: ConvolutionalOptions
    @OptionGroup var training: NetworkTrainingOptions

    mutating func run() throws {
        try trainConvolutional(name: "lenet5", data: data, convolution: convolution, training: training) {
            ModelZoo.lenet5(inputShape: $0, classes: $1)
        }
    }
}

/// `percept train cnn`.
struct TrainSeedCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "The seed's CNN: conv 32@5×5 same → pool → conv 64@5×5 same → pool → dense 1024 → dropout → 10.")

    @OptionGroup var data: DataOptions
    @OptionGroup var convolution: ConvolutionalOptions

    @Option(help: "Dropout rate before the output layer.")
    var dropout: Float = 0.4

    @OptionGroup var training: NetworkTrainingOptions

    mutating func run() throws {
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        let rate = dropout
        try trainConvolutional(name: "cnn", data: data, convolution: convolution, training: training) {
            ModelZoo.cnn(inputShape: $0, classes: $1, dropout: rate)
        }
    }
}

/// `percept train cifar-cnn`.
struct TrainCIFARCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cifar-cnn",
        abstract: "Seed 002's CIFAR-10 network: conv 32@3×3 → pool → conv 64@3×3 → pool → conv 64@3×3 → dense 64 → 10.")

    @OptionGroup var data: DataOptions
    @OptionGroup var convolution: ConvolutionalOptions
    @OptionGroup var training: NetworkTrainingOptions

    mutating func run() throws {
        try trainConvolutional(name: "cifar-cnn", data: data, convolution: convolution, training: training) {
            ModelZoo.cifarCNN(inputShape: $0, classes: $1)
        }
    }
}

/// `percept train cifar-vgg`.
struct TrainCIFARVGGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cifar-vgg",
        abstract: "A VGG-style CIFAR-10 network: 3 blocks of 2 conv 3×3 + batch norm (32, 64, 128), pooling, dropout, global average pooling.")

    @OptionGroup var data: DataOptions
    @OptionGroup var convolution: ConvolutionalOptions

    @Flag(inversion: .prefixedNo, help: "Random flips and shifts of the training images.")
    var augment = true

    @OptionGroup var training: NetworkTrainingOptions

    mutating func run() throws {
        let augment = self.augment
        try trainConvolutional(name: "cifar-vgg", data: data, convolution: convolution, training: training) {
            ModelZoo.cifarVGG(inputShape: $0, classes: $1, augment: augment)
        }
    }
}
