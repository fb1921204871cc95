import ArgumentParser

@main
struct FashionCLIPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fashionclip",
        abstract: "FashionCLIP in native Swift: embed, classify and search fashion products.",
        subcommands: [PreprocessCommand.self]
    )
}
