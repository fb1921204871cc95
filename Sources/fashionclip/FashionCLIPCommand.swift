import ArgumentParser
import FashionCLIP
import Foundation

@main
struct FashionCLIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fashionclip",
        abstract: "FashionCLIP in native Swift: embed, classify and search fashion products.",
        discussion: """
            Exit status: 0 when the command did its work; 1 on an error (each failure is named on stderr); \
            64 for arguments that cannot be used.
            """,
        version: FashionCLIPVersion.current,
        subcommands: [
            InfoCommand.self, DownloadCommand.self, TokenizeCommand.self, PreprocessCommand.self, EmbedCommand.self, ClassifyCommand.self,
            SimilarityCommand.self, IndexCommand.self, SearchCommand.self, EvaluateCommand.self, ServeCommand.self,
            StoreCommand.self
        ]
    )

    /// AsyncParsableCommand's `main`, with stdout checked at exit: output that could not be written
    /// (`> /dev/full`, a closed pipe) is an error with status 1, not a silent success.
    static func main() async {
        Terminal.checkStdoutAtExit()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var command = command
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            // Found by run() (an empty --texts-file, a folder without images): the subcommand's own usage,
            // as validate() would have shown it, not the root's.
            failUsage(error, of: type(of: command))
        } catch {
            exit(withError: error)
        }
    }

    /// "Error: …", the usage of `subcommand` and where its help is, on stderr; exit status 64 (EX_USAGE).
    private static func failUsage(_ error: ValidationError, of subcommand: any ParsableCommand.Type) -> Never {
        let name = subcommand.configuration.commandName ?? "\(subcommand)"
        let usage = usageString(for: subcommand)
        Terminal.printError("Error: \(error.message)\nUsage: \(usage)\n  See 'fashionclip \(name) --help' for more information.")
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}
