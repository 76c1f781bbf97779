import ArgumentParser
import Foundation
import Percept

/// Where a command finds its data: `--data-dir`, else `$PERCEPT_DATA_DIR`, else the download cache.
struct DataOptions: ParsableArguments {
    @Option(help: "The dataset: mnist (full, from --data-dir or the download cache), mnist-subset (embedded, 10,000 / 2,000 images) or cifar10 (binary batches, from --data-dir or the download cache: percept datasets download cifar10).")
    var dataset: String = "mnist"

    @Option(help: ArgumentHelp("A folder holding the dataset's files (for mnist, the four standard IDX files, .gz or raw).",
                               valueName: "dir"))
    var dataDir: String?

    /// The training and test splits of the chosen dataset.
    func load() throws -> (train: LabeledDataset, test: LabeledDataset, name: String) {
        switch dataset {
        case "mnist":
            let directory = dataDir.map { URL(fileURLWithPath: $0) } ?? DatasetDownloader.defaultDirectory(for: .mnist)
            return (try MNIST.load(from: directory, split: .train), try MNIST.load(from: directory, split: .test), "mnist")
        case "mnist-subset":
            return (try MNIST.loadEmbedded(split: .train), try MNIST.loadEmbedded(split: .test), "mnist-subset")
        case "cifar10":
            let directory = dataDir.map { URL(fileURLWithPath: $0) } ?? DatasetDownloader.defaultDirectory(for: .cifar10)
            return (try CIFAR10.load(from: directory, split: .train), try CIFAR10.load(from: directory, split: .test), "cifar10")
        default:
            throw ValidationError("unknown dataset '\(dataset)'; available: mnist, mnist-subset, cifar10")
        }
    }
}
