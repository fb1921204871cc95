import ArgumentParser
import Foundation

@main
struct FashionCLIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fashionclip",
        abstract: "FashionCLIP in native Swift: embed, classify and search fashion products.",
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
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
