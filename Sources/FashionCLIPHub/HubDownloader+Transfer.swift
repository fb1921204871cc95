import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Appends one transfer's body to `<etag>.incomplete`, hashing and counting as it goes.
/// Written from the HTTP delegate's serial queue while a request runs, then read by the caller; the
/// count and the hasher sit in a `Mutex`, so that hand-off is checked by the compiler.
private final class HubBlobWriter: Sendable {
    private struct Progress {
        var hasher: HubSHA256?
        var bytes: Int64
    }

    let handle: FileHandle
    let path: String
    private let progress: Mutex<Progress>
    let report: @Sendable (Int64) -> Void

    /// Bytes in the file so far.
    var bytes: Int64 { progress.withLock { $0.bytes } }
    /// The hash of every byte so far, when the file is hashed.
    var hasher: HubSHA256? { progress.withLock { $0.hasher } }

    init(path: String, hashing: Bool, report: @escaping @Sendable (Int64) -> Void) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw HubError.fileSystem(path: path, detail: "cannot create file")
            }
        }
        let existing: Int64
        do {
            handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            existing = Int64(try handle.seekToEnd())
        } catch {
            throw HubError.fileSystem(path: path, detail: error.localizedDescription)
        }
        self.path = path
        self.report = report
        var hasher = hashing ? HubSHA256() : nil
        if hashing, existing > 0 { try Self.hashPrefix(of: handle, bytes: existing, into: &hasher, path: path) }
        progress = Mutex(Progress(hasher: hasher, bytes: existing))
    }

    /// Feeds the partial file from an earlier attempt to the hasher.
    private static func hashPrefix(of handle: FileHandle, bytes: Int64, into hasher: inout HubSHA256?, path: String) throws {
        do {
            try handle.seek(toOffset: 0)
            var remaining = bytes
            while remaining > 0, let chunk = try handle.read(upToCount: Int(min(remaining, 1 << 20))), !chunk.isEmpty {
                hasher?.update(chunk)
                remaining -= Int64(chunk.count)
            }
            try handle.seekToEnd()
        } catch {
            throw HubError.fileSystem(path: path, detail: error.localizedDescription)
        }
    }

    /// Drops everything written so far (the server ignored our Range and sent the whole file).
    func restart() throws {
        try progress.withLock { progress in
            do {
                try handle.truncate(atOffset: 0)
            } catch {
                throw HubError.fileSystem(path: path, detail: error.localizedDescription)
            }
            progress.bytes = 0
            if progress.hasher != nil { progress.hasher = HubSHA256() }
        }
        report(0)
    }

    func append(_ data: Data) throws {
        let total = try progress.withLock { progress in
            do {
                try handle.write(contentsOf: data)
            } catch {
                throw HubError.fileSystem(path: path, detail: error.localizedDescription)
            }
            progress.hasher?.update(data)
            progress.bytes += Int64(data.count)
            return progress.bytes
        }
        report(total)
    }
}

extension HubDownloader {
    /// Fetches `file` into `blob` via `blob.incomplete`, resuming a partial file from an earlier run or
    /// attempt with `Range: bytes=N-` (a 200 answer restarts from zero, as `http_get` does), then checks
    /// size and LFS sha256 and renames it into place.
    /// - Returns: the final size and how many bytes were taken over from an earlier run.
    func fetchBlob(
        _ file: HubRemoteFile, into blob: URL, report: @escaping @Sendable (Int64) -> Void
    ) async throws -> (size: Int64, resumedBytes: Int64) {
        let partial = blob.path + ".incomplete"
        do {
            try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubError.fileSystem(path: blob.deletingLastPathComponent().path, detail: error.localizedDescription)
        }
        if let expected = file.size, (Self.regularFileSize(URL(fileURLWithPath: partial)) ?? 0) > expected {
            try? FileManager.default.removeItem(atPath: partial)
        }
        let writer = try HubBlobWriter(path: partial, hashing: file.isLFS, report: report)
        defer { try? writer.handle.close() }  // on early exits; closing twice is harmless
        let resumedBytes = writer.bytes
        var attempt = 1
        while file.size == nil || writer.bytes < file.size! {
            do {
                try await transfer(file, into: writer)
                break
            } catch HubError.network(let url, let detail) {
                guard attempt < maxAttempts else { throw HubError.network(url: url, detail: detail) }
                attempt += 1
            }
        }
        try writer.handle.synchronize()
        let found = writer.bytes
        if let expected = file.size, found != expected {
            try? FileManager.default.removeItem(atPath: partial)
            throw HubError.sizeMismatch(file: file.path, expected: expected, found: found)
        }
        if var hasher = writer.hasher {
            let digest = HubSHA256.hex(hasher.finalize())
            guard digest == file.etag else {
                try? FileManager.default.removeItem(atPath: partial)
                throw HubError.checksumMismatch(file: file.path, expected: file.etag, found: digest)
            }
        }
        try? writer.handle.close()
        do {
            if FileManager.default.fileExists(atPath: blob.path) { try FileManager.default.removeItem(at: blob) }
            try FileManager.default.moveItem(atPath: partial, toPath: blob.path)
        } catch {
            throw HubError.fileSystem(path: blob.path, detail: error.localizedDescription)
        }
        return (found, resumedBytes)
    }

    /// One GET of the rest of `file` (following any redirects; the token never leaves the endpoint's
    /// origin), appended to `writer`.
    private func transfer(_ file: HubRemoteFile, into writer: HubBlobWriter) async throws {
        var url = file.downloadURL
        for _ in 0..<10 {
            let offset = writer.bytes
            var get = request(url, method: "GET")
            get.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            if offset > 0 { get.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
            let (response, _) = try await client.send(get) { head in
                guard (200..<300).contains(head.status) else { return nil }
                if head.status == 206 {
                    let range = head.header("Content-Range") ?? ""
                    guard range.hasPrefix("bytes \(offset)-") else {
                        throw HubError.invalidResponse(
                            url: head.url.absoluteString, detail: "asked for bytes \(offset)- of \(file.path), got Content-Range '\(range)'")
                    }
                } else if offset > 0 {
                    try writer.restart()  // mirrors http_get: the server ignored Range and sends everything
                }
                return { data in try writer.append(data) }
            }
            if let target = response.redirectTarget {
                url = target
                continue
            }
            if response.status == 416 {
                try writer.restart()  // our partial file is not a prefix the server knows: start over
                throw HubError.network(url: url.absoluteString, detail: "range \(offset)- not satisfiable; restarting")
            }
            if Self.origin(url) != Self.origin(endpoint), !(200..<300).contains(response.status) {
                // A signed CDN URL that expired or failed: the token is not the cause, a fresh HEAD is the cure.
                throw HubError.httpStatus(
                    url: url.absoluteString, status: response.status,
                    serverMessage: "download host refused \(file.path); run the download again to get a fresh link")
            }
            try check(response, repo: file.repo, revision: file.commit, file: file.path)
            return
        }
        throw HubError.invalidResponse(url: url.absoluteString, detail: "more than 10 redirects")
    }
}
