import ArgumentParser
import EmbeddingCatalog
import FashionCLIPCatalog
import Foundation

/// `fashionclip store`: work on catalog stores themselves.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work on catalog stores: copy one into another (SQLite ↔ PostgreSQL), index a PostgreSQL one.",
        subcommands: [StoreCopyCommand.self, StoreHNSWCommand.self]
    )
}

/// `fashionclip store copy --from A --to B`.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a store into a new or empty one, of either kind, without re-embedding.",
        discussion: """
            Ids, texts, metadata, image and text vectors (bit for bit) and the rows' fingerprints are copied, \
            so `index` with the same catalog finds the copy up to date. Start with a SQLite file and move to \
            a shared postgresql:// store (or back). Both stores are locked for writing during the copy; a \
            destination that already holds rows is refused.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The store to read: a SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The store to write (created if absent): a SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
    var to: String

    @Option(
        name: .customLong("from-password-file"),
        help: ArgumentHelp("For a postgresql:// --from without a password: a file whose first line is it.", valueName: "path"))
    var fromPasswordFile: String?

    @Option(
        name: .customLong("to-password-file"),
        help: ArgumentHelp("For a postgresql:// --to without a password: a file whose first line is it.", valueName: "path"))
    var toPasswordFile: String?

    @Flag(name: .long, help: "Print the summary as JSON on stdout.")
    var json = false

    func run() async throws {
        do {
            let source = try StoreLocation(parsing: from, passwordFile: fromPasswordFile)
            let destination = try StoreLocation(parsing: to, passwordFile: toPasswordFile)
            guard source != destination else {
                throw ValidationError("--from and --to name the same store (\(source))")
            }
            let start = Date()
            let reader = try source.open(identity: nil)
            let writer = try destination.open(identity: reader.identity)
            let copied = try StoreCopier(from: reader, to: writer).copy()
            let seconds = Date().timeIntervalSince(start)
            if json {
                let document: [String: String] = [
                    "from": reader.location, "to": writer.location, "rows": String(copied), "model": reader.identity.model,
                    "dimension": String(reader.identity.dimension), "seconds": String(format: "%.2f", seconds)
                ]
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                Terminal.printData(try encoder.encode(document))
            } else {
                print("copied \(copied) rows from \(reader.location) to \(writer.location) in \(String(format: "%.1f", seconds)) s")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}
