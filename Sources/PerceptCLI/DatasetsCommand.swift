import ArgumentParser
import Foundation
import Percept

/// `percept datasets …`: fetch and inspect datasets.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "Download datasets into the local cache.",
        subcommands: [Download.self])

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset from its canonical URL and verify every file's digest.",
            discussion: """
                mnist: the four IDX files (SHA-256 verified). cifar10: cifar-10-binary.tar.gz (170 MB, MD5 verified, \
                as its authors publish no other digest), then its six batch files extracted next to it.
                """)

        @Argument(help: "The dataset: mnist or cifar10.")
        var name: String

        @Option(help: ArgumentHelp("Destination folder (default: $PERCEPT_DATA_DIR or ~/.cache/percept/NAME).",
                                   valueName: "dir"))
        var dataDir: String?

        mutating func run() throws {
            guard let catalog = DatasetCatalog.named(name) else {
                throw ValidationError("unknown dataset '\(name)'; available: "
                    + DatasetCatalog.all.map(\.name).joined(separator: ", "))
            }
            let downloader = DatasetDownloader(
                catalog: catalog, directory: dataDir.map { URL(fileURLWithPath: $0, isDirectory: true) })
            print("\(catalog.name) → \(downloader.directory.path)")
            for (file, outcome) in zip(catalog.files, try downloader.downloadAll()) {
                let what = outcome == .alreadyPresent ? "already present" : "downloaded"
                print("  \(file.name): \(what), \(file.byteCount) bytes, \(file.algorithm.rawValue) verified")
            }
            if catalog == .cifar10 {
                let folder = try CIFAR10.download(into: downloader.directory, catalog: catalog)
                print("  \(CIFAR10.batchFileNames.joined(separator: ", ")) ready in \(folder.path)")
            }
        }
    }
}
