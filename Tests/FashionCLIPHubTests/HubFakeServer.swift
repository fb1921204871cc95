import FashionCLIPHub
import Foundation

/// A fake Hugging Face Hub on `LocalHTTPServer` serving one model repo the way huggingface.co does:
/// the model-info API, `resolve` with `X-Repo-Commit`/`ETag`, LFS files redirected (302) to a "CDN"
/// path with `X-Linked-Etag` (sha256) and `X-Linked-Size`, Range requests answered with 206.
final class HubFakeServer: @unchecked Sendable {
    struct Options: Sendable {
        /// Require `Authorization: Bearer <token>` on the API and resolve routes.
        var token: String?
        /// Redirect LFS files to `http://localhost:<port>/cdn/…` (another host) instead of `/cdn/…`.
        var crossHostCDN = true
        /// The first CDN GET of each LFS file sends only this many body bytes, then drops.
        var dropFirstTransferAfter: Int?
        /// The first CDN GET of each LFS file sends only this many body bytes, then stalls (a transfer
        /// in progress, for a client to be killed in).
        var stallFirstTransferAfter: Int?
        /// The CDN answers Range requests with 200 and the whole file.
        var ignoreRange = false
        /// The CDN serves LFS files with one byte changed (same size).
        var corruptLFS = false
        /// The CDN answers every request with this status (e.g. 403 for an expired signed URL).
        var cdnStatus: Int?
        /// A former repo name whose resolve URLs redirect (307, relative) to the current name.
        var formerName: String?
    }

    static let repo = "fashion-org/tiny-clip"
    static let commit = "0123456789abcdef0123456789abcdef01234567"
    static let lfsFiles: Set<String> = ["model.safetensors", "pytorch_model.bin", "onnx/model.onnx", "flax_model.msgpack"]

    /// Repo content; `tokenizer.json` is left out on purpose.
    static let files: [String: Data] = {
        var files: [String: Data] = [:]
        for name in [
            "config.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json",
            "preprocessor_config.json", "README.md"
        ] {
            files[name] = Data("{\"name\": \"\(name)\"}\n".utf8)
        }
        files["model.safetensors"] = pseudoRandomBytes(count: 300_000, seed: 1)
        files["pytorch_model.bin"] = pseudoRandomBytes(count: 5_000, seed: 2)
        files["flax_model.msgpack"] = pseudoRandomBytes(count: 5_000, seed: 3)
        files["onnx/model.onnx"] = pseudoRandomBytes(count: 70_000, seed: 4)
        return files
    }()

    private static let digests: [String: String] = files.mapValues { HubSHA256.hexDigest(of: $0) }

    static func sha256(_ path: String) -> String { digests[path]! }

    /// The non-LFS ETag (the Hub sends the git blob hash; any 40 hex digits do here).
    static func gitETag(_ path: String) -> String { String(sha256(path).prefix(40)) }

    let options: Options
    private(set) var server: LocalHTTPServer!
    private let lock = NSLock()
    private var transfers: [String: Int] = [:]

    var endpoint: URL { server.baseURL }
    var requests: [LocalHTTPServer.Request] { server.requests }

    init(_ options: Options = Options()) throws {
        self.options = options
        server = try LocalHTTPServer { [unowned self] request in self.respond(request) }
    }

    deinit { server.stop() }

    private func respond(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let path = String(request.path.split(separator: "?", maxSplits: 1).first ?? "").removingPercentEncoding ?? ""
        if path.hasPrefix("/cdn/") { return cdn(String(path.dropFirst(5)), request) }
        if let former = options.formerName, path.hasPrefix("/\(former)/resolve/") {
            return .init(status: 307, headers: [("Location", "/\(Self.repo)" + path.dropFirst(former.count + 1))])
        }
        if let token = options.token, request.headers["authorization"] != "Bearer \(token)" {
            return .init(status: 401, headers: [("X-Error-Message", "Invalid username or password.")])
        }
        let apiPrefix = "/api/models/\(Self.repo)/revision/"
        if path.hasPrefix(apiPrefix) {
            guard Self.knows(revision: String(path.dropFirst(apiPrefix.count))) else { return Self.notFound("RevisionNotFound") }
            let siblings = Self.files.keys.sorted().map { ["rfilename": $0] }
            let json = try! JSONSerialization.data(withJSONObject: ["id": Self.repo, "sha": Self.commit, "siblings": siblings])
            return .init(status: 200, headers: [("Content-Type", "application/json")], body: json)
        }
        let resolvePrefix = "/\(Self.repo)/resolve/"
        guard path.hasPrefix(resolvePrefix) else { return Self.notFound("RepoNotFound") }
        let rest = path.dropFirst(resolvePrefix.count)
        guard let slash = rest.firstIndex(of: "/"), Self.knows(revision: String(rest[..<slash])) else {
            return Self.notFound("RevisionNotFound")
        }
        let file = String(rest[rest.index(after: slash)...])
        guard let body = Self.files[file] else { return Self.notFound("EntryNotFound") }
        if Self.lfsFiles.contains(file) {
            let sha = Self.sha256(file)
            let location = options.crossHostCDN ? "http://localhost:\(server.port)/cdn/\(sha)" : "/cdn/\(sha)"
            return .init(
                status: 302,
                headers: [
                    ("Location", location), ("X-Repo-Commit", Self.commit), ("ETag", "\"\(Self.gitETag(file))\""),
                    ("X-Linked-Etag", "\"\(sha)\""), ("X-Linked-Size", "\(body.count)")
                ])
        }
        return .init(status: 200, headers: [("X-Repo-Commit", Self.commit), ("ETag", "W/\"\(Self.gitETag(file))\"")], body: body)
    }

    private func cdn(_ sha: String, _ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        guard let file = Self.lfsFiles.first(where: { Self.sha256($0) == sha }), var body = Self.files[file] else {
            return .init(status: 404)
        }
        if let status = options.cdnStatus { return .init(status: status) }
        if options.corruptLFS { body[body.startIndex + 10] ^= 0xff }
        lock.lock()
        let transfer = transfers[sha, default: 0]
        if request.method == "GET" { transfers[sha] = transfer + 1 }
        lock.unlock()
        var response = LocalHTTPServer.Response(status: 200, headers: [("ETag", "\"cdn-\(sha.prefix(8))\"")], body: body)
        if !options.ignoreRange, let range = request.headers["range"], range.hasPrefix("bytes="), range.hasSuffix("-"),
            let start = Int(range.dropFirst(6).dropLast())
        {
            guard start < body.count else { return .init(status: 416) }
            response = .init(status: 206, headers: [("Content-Range", "bytes \(start)-\(body.count - 1)/\(body.count)")], body: body.suffix(from: start))
        }
        if request.method == "GET", transfer == 0, let drop = options.dropFirstTransferAfter {
            response.dropAfter = drop
        }
        if request.method == "GET", transfer == 0, let stall = options.stallFirstTransferAfter {
            response.stallAfter = stall
        }
        return response
    }

    private static func knows(revision: String) -> Bool {
        revision == "main" || revision == commit
    }

    private static func notFound(_ code: String) -> LocalHTTPServer.Response {
        .init(status: 404, headers: [("X-Error-Code", code), ("X-Error-Message", "\(code) (fake hub)")])
    }

    /// Deterministic bytes (xorshift64).
    static func pseudoRandomBytes(count: Int, seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[i] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct HubTemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hub-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}
