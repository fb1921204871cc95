import Foundation

/// Downloads a model repository from the Hugging Face Hub into the standard cache (`HubCache`),
/// so that Python's `huggingface_hub` and `ModelLocator` both find it.
///
/// Mirrors `huggingface_hub.snapshot_download` + `hf_hub_download` (v2.4, `file_download.py`):
/// list files with `GET {endpoint}/api/models/{repo}/revision/{revision}`, pin the commit from its `sha`,
/// `HEAD {endpoint}/{repo}/resolve/{commit}/{path}` for each selected file (ETag, size, redirect target),
/// then `GET` the blob into `blobs/<etag>.incomplete` with HTTP Range resume, verify size and (for LFS
/// files, whose ETag is a sha256) the sha256, rename to `blobs/<etag>`, symlink it from
/// `snapshots/<commit>/<path>` and write `refs/<revision>`. Blobs already present are not fetched again.
public struct HubDownloader: Sendable {
    /// The Hub, e.g. `https://huggingface.co` (no trailing slash needed).
    public var endpoint: URL
    /// Sent as `Authorization: Bearer <token>`, only to `endpoint`'s scheme, host and port.
    public var token: String?
    /// Where snapshots and blobs go.
    public var cache: HubCache
    /// Tries per file; after a dropped connection the next try resumes where the last stopped.
    public var maxAttempts: Int = 5
    /// Seconds without data before a request fails.
    public var idleTimeout: TimeInterval = 30

    /// The default file set for a CLIP model: the root-level standard files (no `pytorch_model.bin`,
    /// TensorFlow/Flax/msgpack weights or `onnx/`; add `HubFilePattern("onnx/*")` for those).
    public static let standardFilePatterns: [HubFilePattern] =
        ModelLocator.standardFiles.filter { !$0.contains("/") }.map(HubFilePattern.init)

    /// A downloader for `endpoint` with `token`, writing into `cache`.
    public init(endpoint: URL, token: String? = nil, cache: HubCache) {
        self.endpoint = endpoint
        self.token = token
        self.cache = cache
    }

    /// A downloader configured as `huggingface_hub` would be by `environment`: `HF_ENDPOINT` (default
    /// `https://huggingface.co`), token from `HF_TOKEN`, else the file `HF_TOKEN_PATH` or `$HF_HOME/token`
    /// (default `~/.cache/huggingface/token`), cache from `HubCache(environment:)`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let endpointText = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        let trimmed = endpointText.hasSuffix("/") ? String(endpointText.dropLast()) : endpointText
        let endpoint = URL(string: trimmed) ?? URL(string: "https://huggingface.co")!
        self.init(endpoint: endpoint, token: Self.token(environment: environment), cache: HubCache(environment: environment))
    }

    /// `HF_TOKEN`, else the contents of the token file `huggingface_hub login` writes.
    static func token(environment: [String: String]) -> String? {
        if let token = environment["HF_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return token
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let hfHome =
            environment["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache") + "/huggingface"
        let path = environment["HF_TOKEN_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? hfHome + "/token"
        let token = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return token?.isEmpty == false ? token : nil
    }

    /// Downloads the files of `repo` at `revision` that match any of `patterns`.
    ///
    /// - Parameters:
    ///   - revision: a branch, tag or full commit hash.
    ///   - patterns: `fnmatch` globs over repo paths (see `HubFilePattern`).
    ///   - progress: called serially from a background queue; keep it cheap.
    /// - Returns: the snapshot, whose `folder` is a model folder.
    /// - Throws: `HubError.accessDenied` (401/403), `.remoteNotFound` (404), `.network`, `.httpStatus`,
    ///   `.invalidResponse`, `.sizeMismatch`, `.checksumMismatch`, `.fileSystem`.
    public func download(
        _ repo: HubRepoID, revision: String = "main", patterns: [HubFilePattern] = standardFilePatterns,
        progress: (@Sendable (HubDownloadProgress) -> Void)? = nil
    ) async throws -> HubSnapshot {
        let listing = try await listFiles(repo, revision: revision)
        let selected = listing.files.filter { path in patterns.contains { $0.matches(path) } }
        var remote: [HubRemoteFile] = []
        for path in selected {
            remote.append(try await metadata(repo, commit: listing.commit, path: path))
        }
        let sizes = remote.map(\.size)
        let overallTotal: Int64? = sizes.contains(nil) ? nil : sizes.reduce(0) { $0 + ($1 ?? 0) }
        let fileCount = remote.count
        var done: Int64 = 0
        var files: [HubSnapshot.File] = []
        for (index, file) in remote.enumerated() {
            let blob = cache.blobFile(repo, etag: file.etag)
            let doneBefore = done
            let report = { @Sendable (phase: HubDownloadProgress.Phase, bytes: Int64) in
                progress?(
                    HubDownloadProgress(
                        file: file.path, phase: phase, fileIndex: index, fileCount: fileCount, fileBytes: bytes,
                        fileTotal: file.size, overallBytes: doneBefore + bytes, overallTotal: overallTotal))
            }
            let outcome: HubSnapshot.File
            if let cachedSize = Self.regularFileSize(blob), file.size == nil || file.size == cachedSize {
                report(.cached, cachedSize)
                outcome = HubSnapshot.File(path: file.path, etag: file.etag, size: cachedSize, downloaded: false, resumedBytes: 0)
            } else {
                let result = try await fetchBlob(file, into: blob) { report(.downloading, $0) }
                outcome = HubSnapshot.File(path: file.path, etag: file.etag, size: result.size, downloaded: true, resumedBytes: result.resumedBytes)
            }
            try cache.linkSnapshotFile(repo, commit: listing.commit, path: file.path, etag: file.etag)
            report(.finished, outcome.size)
            done += outcome.size
            files.append(outcome)
        }
        let folder = cache.snapshotFolder(repo, commit: listing.commit)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HubError.fileSystem(path: folder.path, detail: error.localizedDescription)
        }
        if revision != listing.commit {
            try cache.writeRef(repo, revision: revision, commit: listing.commit)
        }
        let rootStandard = ModelLocator.standardFiles.filter { !$0.contains("/") }
        return HubSnapshot(
            repo: repo, revision: revision, commit: listing.commit, folder: folder,
            files: files, missingStandardFiles: rootStandard.filter { !listing.files.contains($0) })
    }

    /// Size of the regular file (after symlinks) at `url`, nil if there is none.
    package static func regularFileSize(_ url: URL) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }
}
