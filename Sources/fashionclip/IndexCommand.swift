import ArgumentParser
import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation

/// `fashionclip index`: build or update a catalog store.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update a catalog store: image vectors, text vectors and metadata.",
        discussion: """
            The catalog is a folder of images (id = relative path) or a CSV / JSONL file with columns id, image \
            (path relative to the file) and optional text; every other column is metadata. Indexing is \
            incremental (unchanged rows are not re-embedded), each batch is committed atomically (an \
            interrupted run resumes where it stopped), and a bad image is reported without stopping the run.

            On a postgresql:// store any number of index runs (on one machine or many, with the same catalog) \
            share the work: each claims batches of rows under a lease, so every row is embedded once; a run that \
            is killed loses only its claimed batch, which the others take over when the lease runs out. Each run's \
            summary counts its own work ("by other workers": rows that others indexed meanwhile).
            """
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, help: ArgumentHelp("A folder of images, or a .csv / .jsonl catalog file.", valueName: "path"))
    var catalog: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a SQLite file, created if absent, or a postgresql://user[:password]@host[:port]/database URL (password also from PGPASSWORD).",
            valueName: "file-or-url"))
    var store: String

    @Option(
        name: .customLong("store-password-file"),
        help: ArgumentHelp("For a postgresql:// store without a password: a file whose first line is it.", valueName: "path"))
    var storePasswordFile: String?

    @Flag(name: .long, help: "Remove stored rows whose id is no longer in the catalog.")
    var prune = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "For a postgresql:// store, where several index runs share the work: seconds a claimed batch stays this run's "
                + "if the run stops renewing it (killed); another run then takes it over.", valueName: "seconds"))
    var lease: Double = 60

    @Flag(name: .long, help: "Print the summary as JSON on stdout.")
    var json = false

    func validate() throws {
        guard lease.isFinite, lease >= 1, lease <= 86400 else {
            throw ValidationError("--lease \(lease): expected 1 to 86400 seconds")
        }
    }

    func run() async throws {
        let catalogData: Catalog
        do {
            catalogData = try Catalog.load(URL(fileURLWithPath: catalog))
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        let embedder = ModelCatalogEmbedder(model: try modelArguments.open())
        let summary: IndexSummary
        let drawing = Terminal.stderrIsTerminal
        // The store as messages name it (a PostgreSQL URL without its password).
        var shown = store
        do {
            let vectorStore = try StoreLocation(parsing: store, passwordFile: storePasswordFile).open(identity: embedder.storeIdentity)
            var indexer = try CatalogIndexer(store: vectorStore, embedder: embedder, batchSize: modelArguments.batchSize)
            indexer.lease = lease
            let path = vectorStore.location
            shown = path
            summary = try await indexer.run(
                catalogData, prune: prune,
                progress: { progress in
                    if drawing { FileHandle.standardError.write(Data(("\r\u{1B}[K" + progress.formatted()).utf8)) }
                },
                waitingForWriter: {
                    Terminal.printError("index: another index run is writing \(path); waiting for it to finish")
                })
            if drawing { FileHandle.standardError.write(Data("\n".utf8)) }
        } catch {
            if drawing { FileHandle.standardError.write(Data("\n".utf8)) }
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        for failure in summary.failures { Terminal.printError("failed: \(failure)") }
        if json {
            Terminal.printData(
                try JSONEncoder().encode(IndexSummaryDocument(summary, store: shown)))
        } else {
            print(summary)
        }
        let stored = summary.unchanged + summary.added + summary.reembedded + summary.metadataOnly
        if stored == 0 && !summary.failures.isEmpty { throw ExitCode.failure }
    }
}

/// `index --json`'s document.
struct IndexSummaryDocument: Encodable {
    let store: String
    let catalogRows, unchanged, added, reembedded, metadataOnly, byOtherWorkers, pruned, embeddedImages, embeddedTexts: Int
    let seconds: Double
    let failures: [[String: String]]

    init(_ s: IndexSummary, store: String) {
        self.store = store
        catalogRows = s.catalogRows
        unchanged = s.unchanged
        added = s.added
        reembedded = s.reembedded
        metadataOnly = s.metadataOnly
        byOtherWorkers = s.byOtherWorkers
        pruned = s.pruned
        embeddedImages = s.embeddedImages
        embeddedTexts = s.embeddedTexts
        seconds = s.elapsed
        failures = s.failures.map { ["id": $0.id, "reason": $0.reason] }
    }
}
