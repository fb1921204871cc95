import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import FashionCLIPServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The tiny fixture model, the demo catalog indexed with it into a temporary store (once per test
/// process), and live servers over them on 127.0.0.1 with a free port.
enum ServerFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalogFile = root.appendingPathComponent("Demo/catalog/catalog.csv")

    struct Loaded: Sendable {
        let model: FashionCLIPModel
        let store: URL
    }

    private static let loading = Task<Loaded, any Error> {
        let model = try FashionCLIPModel(folder: root.appendingPathComponent("Fixtures/models/fashionclip-f32"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fashionclip-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("catalog.sqlite")
        let embedder = ModelCatalogEmbedder(model: model)
        let vectors = try SQLiteVectorStore(url: store, identity: embedder.storeIdentity)
        let summary = try await CatalogIndexer(store: vectors, embedder: embedder).run(try Catalog.load(catalogFile))
        precondition(summary.failures.isEmpty, "the demo catalog indexes without failures")
        return Loaded(model: model, store: store)
    }

    static func loaded() async throws -> Loaded { try await loading.value }

    /// Resources over the model and the store, with the catalog's images.
    static func resources(store: Bool = true, compressed: Bool = false) async throws -> ServerResources {
        let loaded = try await loaded()
        return try ServerResources(
            model: loaded.model, store: store ? loaded.store : nil,
            catalog: store ? catalogFile : nil, compressed: compressed)
    }

    /// A searcher over the same store, for expected results.
    static func searcher() async throws -> CatalogSearcher {
        CatalogSearcher(snapshot: try SQLiteVectorStore(url: try await loaded().store, identity: nil).loadSnapshot())
    }
}

/// A live server for one test: `try await LiveServer.with(resources) { server in ... }`.
struct LiveServer: Sendable {
    let base: URL

    static func with<T: Sendable>(
        _ resources: ServerResources, configuration: ServerConfiguration = ServerConfiguration(port: 0),
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "fashionclip.server.tests")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var configuration = configuration
        configuration.host = "127.0.0.1"
        let app = try buildApplication(resources: resources, configuration: configuration, logger: logger) { port in
            continuation.yield(port)
        }
        // Stopped the way SIGTERM stops `fashionclip serve`: a graceful shutdown of its service group.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ServerTestError("the server did not start") }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(LiveServer(base: URL(string: "http://127.0.0.1:\(port)")!)))
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await running.value
        return try result.get()
    }

    /// Sends a request; returns the status, the headers (lower-cased names) and the body.
    func send(
        _ method: String, _ path: String, body: Data? = nil, contentType: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return (http.statusCode, headers, data)
    }

    /// `send`, then the body as a JSON object.
    func json(_ method: String, _ path: String, body: Data? = nil, contentType: String? = "application/json") async throws
        -> (status: Int, object: [String: Any])
    {
        let (status, _, data) = try await send(method, path, body: body, contentType: contentType)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (status, try #require(object, "not a JSON object: \(String(decoding: data, as: UTF8.self))"))
    }

    /// `json` with an Encodable-free body built from a dictionary.
    func json(_ method: String, _ path: String, object: [String: Any]) async throws -> (status: Int, object: [String: Any]) {
        try await json(method, path, body: try JSONSerialization.data(withJSONObject: object))
    }
}

struct ServerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `"error"."message"` of an error body.
func errorMessage(_ object: [String: Any]) -> String {
    ((object["error"] as? [String: Any])?["message"] as? String) ?? "(no error message in \(object))"
}

/// A JSON array of numbers as `[Float]`.
func floats(_ value: Any?) -> [Float] {
    (value as? [Any])?.compactMap { ($0 as? NSNumber)?.floatValue } ?? []
}

extension LiveServer {
    /// Sends `target` as the request line's target byte for byte (no client normalises it: `//api`,
    /// `/./api`, `%2F` reach the server as written) over a plain socket; returns the status code.
    func rawStatus(_ method: String, _ target: String, headers: [String: String] = [:]) throws -> Int {
        let port = base.port!
        #if os(Linux)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { throw ServerTestError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerTestError("connect: \(errno)") }
        var request = "\(method) \(target) HTTP/1.1\r\nConnection: close\r\n"
        if headers["Host"] == nil { request += "Host: 127.0.0.1\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw ServerTestError("write: \(errno)")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while response.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        let statusLine = String(decoding: response.prefix { $0 != 13 }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ServerTestError("no status line in \(statusLine)") }
        return status
    }
}
