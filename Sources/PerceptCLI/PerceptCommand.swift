import ArgumentParser

/// The `percept` command-line tool.
@main
struct PerceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "percept",
        abstract: "Train, evaluate and compare classifiers on real data.",
        subcommands: [DemoCommand.self, TrainCommand.self, DatasetsCommand.self, BenchCommand.self])
}
