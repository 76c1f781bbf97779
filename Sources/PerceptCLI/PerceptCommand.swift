import ArgumentParser
import Foundation

/// The `percept` command-line tool.
@main
struct PerceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "percept",
        abstract: "Train, evaluate and compare classifiers on real data.",
        version: perceptVersion,
        subcommands: [
            DemoCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, CompareCommand.self,
            DatasetsCommand.self, BenchCommand.self, ScenesCommand.self, DetectCommand.self,
        ])

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `percept train NAME` with an unknown NAME gets the list of models, not a generic parse error.
        if arguments.count >= 2, arguments[0] == "train", !arguments[1].hasPrefix("-"), arguments[1] != "help",
           !TrainCommand.modelNames.contains(arguments[1]) {
            let message = "Error: unknown model '\(arguments[1])'; available: "
                + TrainCommand.modelNames.joined(separator: ", ")
                + "\nUsage: percept train <model> [<options>]\n  See 'percept train --help' for more information.\n"
            FileHandle.standardError.write(Data(message.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(arguments)
    }
}
