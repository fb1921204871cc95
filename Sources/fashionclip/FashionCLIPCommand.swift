import ArgumentParser

@main
struct FashionCLIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fashionclip",
        abstract: "FashionCLIP in native Swift: embed, classify and search fashion products.",
        subcommands: [InfoCommand.self, DownloadCommand.self, TokenizeCommand.self, PreprocessCommand.self, EmbedCommand.self, ClassifyCommand.self, SimilarityCommand.self, IndexCommand.self, SearchCommand.self, EvaluateCommand.self, ServeCommand.self]
    )
}
