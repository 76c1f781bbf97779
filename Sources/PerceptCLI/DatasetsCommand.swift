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
            abstract: "Download a dataset from its canonical URL and verify every file's SHA-256.")

        @Argument(help: "The dataset: mnist.")
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
                print("  \(file.name): \(what), \(file.byteCount) bytes, SHA-256 verified")
            }
        }
    }
}
