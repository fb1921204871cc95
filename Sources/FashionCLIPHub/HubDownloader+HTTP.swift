import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the Hub says about one file (mirrors `HfFileMetadata` from `get_hf_file_metadata`).
package struct HubRemoteFile: Sendable {
    package let repo: HubRepoID
    package let commit: String
    package let path: String
    /// `X-Linked-Etag` or `ETag`, without quotes or `W/` (mirrors `_normalize_etag`).
    package let etag: String
    /// `X-Linked-Size`, else `Content-Length` of a non-redirect response.
    package let size: Int64?
    /// Where to GET the bytes: the CDN target of a cross-host redirect, else the resolve URL.
    package let downloadURL: URL

    /// LFS files have a sha256 ETag (mirrors `REGEX_SHA256`).
    package var isLFS: Bool {
        etag.utf8.count == 64 && etag.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// The repo listing pinned to one commit.
struct HubRepoListing: Sendable {
    let commit: String
    let files: [String]
}

private struct HubModelInfo: Decodable {
    struct Sibling: Decodable { let rfilename: String }
    let sha: String?
    let siblings: [Sibling]?
}

extension HubDownloader {
    /// `GET {endpoint}/api/models/{repo}/revision/{revision}` (mirrors `HfApi.model_info`).
    func listFiles(_ repo: HubRepoID, revision: String) async throws -> HubRepoListing {
        let url = endpointURL("api/models/\(repo)/revision/\(Self.escape(revision, keepSlashes: false))")
        let (response, body) = try await client.send(request(url, method: "GET"))
        try check(response, repo: repo, revision: revision, file: nil)
        guard let info = try? JSONDecoder().decode(HubModelInfo.self, from: body) else {
            throw HubError.invalidResponse(url: url.absoluteString, detail: "expected model info JSON with 'sha' and 'siblings'")
        }
        guard let sha = info.sha, !sha.isEmpty else {
            throw HubError.invalidResponse(url: url.absoluteString, detail: "model info has no commit 'sha'")
        }
        return HubRepoListing(commit: sha, files: (info.siblings ?? []).map(\.rfilename))
    }

    /// `HEAD {endpoint}/{repo}/resolve/{commit}/{path}`, following redirects that stay on the same
    /// origin and stopping at one that leaves it (mirrors `_httpx2_follow_hub_redirects_with_backoff`).
    package func metadata(_ repo: HubRepoID, commit: String, path: String) async throws -> HubRemoteFile {
        var url = resolveURL(repo, revision: commit, path: path)
        for _ in 0..<10 {
            var head = request(url, method: "HEAD")
            head.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            let (response, _) = try await client.send(head)
            try check(response, repo: repo, revision: commit, file: path)
            if let target = response.redirectTarget, Self.origin(target) == Self.origin(url) {
                url = target
                continue
            }
            let etagHeader = response.header("X-Linked-Etag") ?? response.header("ETag")
            guard let etag = etagHeader.map(Self.normalizeETag), !etag.isEmpty, !etag.contains("/") else {
                throw HubError.invalidResponse(
                    url: url.absoluteString, detail: "no usable ETag for \(path) (found \(etagHeader ?? "none")); cannot name the blob")
            }
            let sizeText = response.header("X-Linked-Size") ?? (response.redirectTarget == nil ? response.header("Content-Length") : nil)
            return HubRemoteFile(
                repo: repo, commit: commit, path: path, etag: etag, size: sizeText.flatMap { Int64($0) }, downloadURL: response.redirectTarget ?? url)
        }
        throw HubError.invalidResponse(url: url.absoluteString, detail: "more than 10 redirects")
    }

    var client: HubHTTPClient {
        HubHTTPClient(idleTimeout: idleTimeout)
    }

    /// A request carrying the token only when `url` is on the endpoint's origin.
    func request(_ url: URL, method: String) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = idleTimeout  // FoundationNetworking restarts this timer on every chunk
        request.setValue("fashionclip-swift", forHTTPHeaderField: "User-Agent")
        if let token, Self.origin(url) == Self.origin(endpoint) {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    /// Throws the typed error for a non-success status (mirrors `hf_raise_for_status`, which reads
    /// `X-Error-Code`: `RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`).
    func check(_ response: HubHTTPResponse, repo: HubRepoID, revision: String, file: String?) throws {
        guard !(200..<400).contains(response.status) else { return }
        let code = response.header("X-Error-Code")
        let message = response.header("X-Error-Message")
        let url = response.url.absoluteString
        switch (response.status, code) {
        case (401, _), (403, _):
            throw HubError.accessDenied(repo: repo.description, url: url, status: response.status, tokenSent: token != nil, serverMessage: message)
        case (404, "RevisionNotFound"):
            throw HubError.remoteNotFound(.revision(revision), repo: repo.description, url: url)
        case (404, "EntryNotFound"):
            throw HubError.remoteNotFound(.file(file ?? "?"), repo: repo.description, url: url)
        case (404, "RepoNotFound"):
            throw HubError.remoteNotFound(.repository, repo: repo.description, url: url)
        case (404, _):
            throw HubError.remoteNotFound(file.map { .file($0) } ?? .repository, repo: repo.description, url: url)
        default:
            throw HubError.httpStatus(url: url, status: response.status, serverMessage: message)
        }
    }

    /// `{endpoint}/{repo}/resolve/{revision}/{path}` (mirrors `hf_hub_url`: revision fully escaped,
    /// path escaped except `/`).
    package func resolveURL(_ repo: HubRepoID, revision: String, path: String) -> URL {
        endpointURL("\(repo)/resolve/\(Self.escape(revision, keepSlashes: false))/\(Self.escape(path, keepSlashes: true))")
    }

    private func endpointURL(_ suffix: String) -> URL {
        let base = endpoint.absoluteString.hasSuffix("/") ? String(endpoint.absoluteString.dropLast()) : endpoint.absoluteString
        return URL(string: base + "/" + suffix)!
    }

    static func escape(_ text: String, keepSlashes: Bool) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if keepSlashes { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `W/"abc"` and `"abc"` → `abc`.
    package static func normalizeETag(_ header: String) -> String {
        var text = Substring(header)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// `scheme://host:port`, the unit the token may travel within.
    package static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }
}
