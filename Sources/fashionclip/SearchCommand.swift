import ArgumentParser
import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import PostgresCatalog

/// `fashionclip search`: exact (or compressed) top-k over a catalog store.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a catalog store by text, image or product id, with metadata filters.",
        discussion: """
            A text query ranks products by their image vectors (text → image retrieval); --product-text-weight \
            blends in the products' own text vectors. Query parts combine as normalise(Σ w · normalise(v)); \
            a negative weight steers away. Filters (key=value, key!=value, key<n, key<=n, key>n, key>=n; \
            the orderings compare numbers, and the key must be one the stored products have) are applied \
            before ranking. On a PostgreSQL store with an HNSW index (`fashionclip store hnsw`) the index \
            ranks (approximate, --ef-search sets its recall) unless --exact; a filter too selective for it, \
            or --product-text-weight, ranks exactly.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The store written by `index`: a SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
    var store: String

    @Option(
        name: .customLong("store-password-file"),
        help: ArgumentHelp("For a postgresql:// store without a password: a file whose first line is it.", valueName: "path"))
    var storePasswordFile: String?

    @Option(name: .long, help: ArgumentHelp("The model that built the store (needed for --text and --image).", valueName: "dir-or-id"))
    var model: String?

    @Option(name: .customLong("text"), help: "A text query (repeatable).")
    var texts: [String] = []

    @Option(name: .customLong("image"), help: ArgumentHelp("An image query (repeatable).", valueName: "path"))
    var images: [String] = []

    @Option(name: .customLong("like"), help: ArgumentHelp("Products like this stored id (repeatable).", valueName: "id"))
    var likes: [String] = []

    @Option(name: .customLong("text-weight"), help: "Weight of each --text term.")
    var textWeight: Float = 1

    @Option(name: .customLong("image-weight"), help: "Weight of each --image term.")
    var imageWeight: Float = 1

    @Option(name: .customLong("like-weight"), help: "Weight of each --like term.")
    var likeWeight: Float = 1

    @Option(name: .customLong("filter"), help: ArgumentHelp("A metadata filter, e.g. 'brand=Armani' or 'price<100' (repeatable).", valueName: "expr"))
    var filters: [String] = []

    @Option(name: .customLong("top-k"), help: "Number of results.")
    var topK = 10

    @Option(name: .customLong("product-text-weight"), help: "Blend weight (0…1) of the products' text vectors.")
    var productTextWeight: Float = 0

    @Flag(name: .long, help: "Scan int8-compressed vectors, then re-rank the candidates exactly.")
    var compressed = false

    @Flag(name: .long, help: "Rank every row exactly, even where a PostgreSQL store has an HNSW index (`store hnsw`).")
    var exact = false

    @Option(
        name: .customLong("ef-search"),
        help: ArgumentHelp("Candidates the HNSW index keeps per query (1…1000): more gives better recall, slower queries.", valueName: "n"))
    var efSearch = HNSWParameters.defaultEfSearch

    @Flag(name: .long, help: "Print {\"results\": [...]} JSON on stdout.")
    var json = false

    func validate() throws {
        guard !(texts.isEmpty && images.isEmpty && likes.isEmpty) else { throw ValidationError("give --text, --image or --like") }
        if model == nil && !(texts.isEmpty && images.isEmpty) { throw ValidationError("--text and --image need --model") }
        guard HNSWParameters.efSearchRange.contains(efSearch) else { throw ValidationError("--ef-search must be 1 … 1000, got \(efSearch)") }
    }

    func run() async throws {
        do {
            let opened = try StoreLocation(parsing: store, passwordFile: storePasswordFile).open(identity: nil)
            let snapshot = try opened.loadSnapshot()
            // A PostgreSQL store with an HNSW index ranks through it unless --exact (or --compressed).
            let approximate = exact || compressed ? nil : try (opened as? PostgresVectorStore)?.approximateSearcher(efSearch: efSearch)
            let embedder = try model.map { ModelCatalogEmbedder(model: try FashionCLIPModel($0)) }
            let searcher = CatalogSearcher(snapshot: snapshot, compressed: compressed)
            let query = CatalogQuery(
                texts: texts, images: images.map { .file(URL(fileURLWithPath: $0)) }, likes: likes,
                textWeight: textWeight, imageWeight: imageWeight, likeWeight: likeWeight, filters: filters, topK: topK,
                productTextWeight: productTextWeight, compressed: compressed)
            // The server's checks: a filter on a key no product has, or ordering by a text, is refused.
            let parsed = try filters.map { try MetadataFilter(parsing: $0) }
            try SearchFilterError.check(parsed, metadataKeys: SearchFilterError.keys(of: snapshot))
            let runner = CatalogQueryRunner(searcher: searcher, embedder: embedder, limits: .commandLine, approximate: approximate)
            let results = try await runner.answer(query).results
            let response = SearchResponse(results: results)
            if json {
                Terminal.printData(try response.jsonData())
            } else if results.isEmpty {
                print("no results (\(snapshot.ids.count) products; filters: \(filters.isEmpty ? "none" : filters.joined(separator: ", ")))")
            } else {
                print(response.table())
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}
