import ArgumentParser
import Foundation
import Percept

/// `percept demo`: the quick start, on the MNIST subset embedded in the package.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small network on the embedded MNIST subset (no download) and plot its training curves.")

    @Option(help: ArgumentHelp("Folder for history.csv and training-curves.svg.", valueName: "dir"))
    var output: String = "percept-demo"

    @Option(help: "Passes over the 9,000 training images (1,000 more are held out for validation).")
    var epochs: Int = 20

    @Option(help: "Seed for initialisation, shuffling and dropout.")
    var seed: UInt64 = 0

    mutating func run() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        let train = try MNIST.loadEmbedded(split: .train)
        let test = try MNIST.loadEmbedded(split: .test)
        print("MNIST subset embedded in Percept: \(train.count) training and \(test.count) test images of 28×28 pixels.\n")
        let network = Sequential {
            Flatten()
            Dense(256, activation: .relu)
            Dropout(0.2)
            Dense(10)
        }
        var options = try NetworkTrainingOptions.parse([])
        options.epochs = epochs
        options.seed = seed
        options.output = output
        try runTraining(
            network, modelName: "mlp-784-256-10", loss: .crossEntropy, train: train, test: test,
            datasetName: "mnist-subset", options: options)
    }
}
