import ArgumentParser
import CLIPImageProcessing
import FashionCLIPCatalog
import FashionCLIPServer
import Foundation

/// `fashionclip serve`: the HTTP API and the web page over a model and (optionally) a catalog store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and the search page over a model and a catalog store.",
        discussion: """
            Open http://HOST:PORT/ for the search page. The JSON API: GET /api/info, POST /api/embed, \
            POST /api/embed/image, POST /api/classify, POST /api/classify/image, GET|POST /api/search, \
            POST /api/search/image, GET /api/product?id=ID, GET /api/product/image?id=ID, GET /health \
            (README: "HTTP server"). Without --store it embeds and classifies only; --catalog (the file \
            or folder the store was indexed from) lets the page show product images. Rows indexed into the \
            store while it runs (SQLite or PostgreSQL, by any process) are searchable after the next look \
            (--reload-interval). Stops on Ctrl-C / SIGTERM.
            """
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, help: ArgumentHelp("The store written by `index`: a SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
    var store: String?

    @Option(
        name: .customLong("store-password-file"),
        help: ArgumentHelp("For a postgresql:// store without a password: a file whose first line is it.", valueName: "path"))
    var storePasswordFile: String?

    @Option(name: .long, help: ArgumentHelp("The catalog the store was built from (for product images).", valueName: "path"))
    var catalog: String?

    @Option(
        name: .customLong("image-root"),
        help: ArgumentHelp(
            "Serve product images from this folder (default: the catalog's folder); images the catalog names outside it are refused.",
            valueName: "path"))
    var imageRoot: String?

    @Option(name: .long, help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Flag(name: .long, help: "Also keep int8 copies of the vectors, for compressed searches.")
    var compressed = false

    @Flag(name: .long, help: "Rank the loaded rows exactly even where a PostgreSQL store has an HNSW index (`store hnsw`).")
    var exact = false

    @Option(name: .customLong("max-upload-mb"), help: "Largest request body, in MiB.")
    var maxUploadMB = 16

    @Option(name: .customLong("max-connections"), help: "Most connections open at once; more wait until one closes.")
    var maxConnections = 512

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may wait without a complete request head before it is closed.")
    var idleTimeout = 30

    @Option(name: .customLong("request-read-timeout"), help: "Seconds within which a request's body must arrive once its head has.")
    var requestReadTimeout = 60

    @Option(name: .customLong("model-jobs"), help: "Model calls (embeddings, classifications, text searches) run at once.")
    var modelJobs = 2

    @Option(
        name: .customLong("queued-jobs"),
        help: "Model calls that may wait for a free place; past them a request is refused with 503 and Retry-After.")
    var queuedJobs = 64

    @Option(
        name: .customLong("api-key-file"),
        help: ArgumentHelp(
            "Require this file's first line as the API key (Authorization: Bearer KEY or X-API-Key: KEY) on /api/. Also: the FASHIONCLIP_API_KEY environment variable.",
            valueName: "path"))
    var apiKeyFile: String?

    @Option(
        name: .customLong("cors-origin"),
        help: ArgumentHelp(
            "Let pages from this origin call the API from a browser, e.g. https://shop.example, or * for any (repeatable).",
            valueName: "origin"))
    var corsOrigins: [String] = []

    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "On a loopback address, also accept requests whose Host is this name (repeatable); others get 421 (DNS-rebinding defence).",
            valueName: "name"))
    var allowedHosts: [String] = []

    @Option(
        name: .customLong("max-image-megapixels"),
        help: ArgumentHelp(
            "Largest uploaded image, in millions of pixels: larger ones are refused (422) before their pixels are allocated.",
            valueName: "n"))
    var maxImageMegapixels = 40

    @Option(
        name: .customLong("reload-interval"),
        help: ArgumentHelp(
            "Seconds between looks at the store for rows indexed, changed or pruned since it was read (then it is read again); 0: never.",
            valueName: "seconds"))
    var reloadInterval: Double = 2

    func validate() throws {
        guard reloadInterval.isFinite, reloadInterval == 0 || (0.1...86400).contains(reloadInterval) else {
            throw ValidationError("--reload-interval must be 0 or 0.1 ... 86400 seconds, found \(reloadInterval)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0 ... 65535, found \(port)") }
        guard maxUploadMB >= 1 else { throw ValidationError("--max-upload-mb must be at least 1, found \(maxUploadMB)") }
        guard (1...1000).contains(maxImageMegapixels) else {
            throw ValidationError("--max-image-megapixels must be in 1 ... 1000, found \(maxImageMegapixels)")
        }
        if catalog != nil && store == nil { throw ValidationError("--catalog needs --store") }
        if imageRoot != nil && catalog == nil { throw ValidationError("--image-root needs --catalog") }
    }

    func run() async throws {
        // The server's own settings first: a bad key file or origin fails before the model loads.
        let configuration: ServerConfiguration
        do {
            configuration = ServerConfiguration(
                host: host, port: port, maxRequestBytes: maxUploadMB << 20,
                concurrentJobs: modelJobs, queuedJobs: queuedJobs,
                apiKey: try apiKey(), corsOrigins: corsOrigins, allowedHosts: allowedHosts,
                maxConnections: maxConnections, idleTimeoutSeconds: idleTimeout,
                requestReadTimeoutSeconds: requestReadTimeout)
            try configuration.validate()
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        // An upload of a few KiB can declare a gigapixel image: bound what one decode may allocate
        // (3 bytes a pixel, a pass ahead of the network).
        let model = try modelArguments.open(imageDecoding: ImageDecodingOptions(maximumPixelCount: maxImageMegapixels * 1_000_000))
        do {
            let resources = try ServerResources(
                model: model, store: try store.map { try StoreLocation(parsing: $0, passwordFile: storePasswordFile).url },
                catalog: catalog.map { URL(fileURLWithPath: $0) },
                compressed: compressed, imageRoot: imageRoot.map { URL(fileURLWithPath: $0) }, exactSearch: exact)
            let products =
                (resources.searcher.map { "\($0.snapshot.count) products" } ?? "no store")
                + (resources.approximateIndex == nil ? "" : ", searched through the HNSW index")
                + (configuration.apiKey == nil ? "" : ", API key required")
            let host = self.host
            let app = try buildApplication(resources: resources, configuration: configuration) { port in
                // On stdout, unbuffered: a script that started the server with --port 0 reads the port here.
                FileHandle.standardOutput.write(Data("fashionclip serve: \(products); listening on http://\(host):\(port)/\n".utf8))
            }
            let interval = reloadInterval
            try await withThrowingTaskGroup(of: Void.self) { group in
                if interval > 0 {
                    group.addTask {
                        await resources.watchStore(every: .milliseconds(Int64(interval * 1000))) { outcome in
                            switch outcome {
                            case .success(let count): Terminal.printError("fashionclip serve: store changed; now \(count) products")
                            case .failure(let error): Terminal.printError("fashionclip serve: cannot reload the store (serving the last version): \(error)")
                            }
                        }
                    }
                }
                try await app.runService()
                group.cancelAll()
            }
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The key from --api-key-file (its first line) or FASHIONCLIP_API_KEY; nil for an open API (the
    /// variable unset). An empty key from either is an error.
    private func apiKey() throws -> String? {
        if let apiKeyFile {
            guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                throw ValidationError("--api-key-file \(apiKeyFile): cannot read the file")
            }
            let key = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !key.isEmpty else { throw ValidationError("--api-key-file \(apiKeyFile): the first line is empty") }
            return key
        }
        guard let key = ProcessInfo.processInfo.environment["FASHIONCLIP_API_KEY"] else { return nil }
        // Set but empty is a mistake (an unset variable in a script), not a wish for an open API.
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ValidationError("FASHIONCLIP_API_KEY is set but empty: set it to the key, or unset it for an open API")
        }
        return trimmed
    }
}
