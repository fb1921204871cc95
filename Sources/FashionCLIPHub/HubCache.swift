import Foundation

/// The standard Hugging Face hub cache on disk, shared with Python's `huggingface_hub`.
///
/// Layout (mirrors `huggingface_hub/file_download.py`, "cache-system" docs):
/// ```
/// <root>/models--ORG--NAME/refs/<revision>          text file holding the commit hash
/// <root>/models--ORG--NAME/snapshots/<commit>/<path> relative symlink to ../../blobs/<etag>
/// <root>/models--ORG--NAME/blobs/<etag>             file content; <etag>.incomplete while downloading
/// ```
public struct HubCache: Sendable {
    /// The cache root (the folder holding `models--*` folders).
    public let root: URL

    /// A cache at `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The cache `huggingface_hub` would use with `environment`: `HF_HUB_CACHE`, else the legacy
    /// `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
    /// `~/.cache/huggingface/hub` (mirrors `constants.py`; `~` is expanded).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func nonEmpty(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        let home = nonEmpty("HOME") ?? NSHomeDirectory()
        func expand(_ path: String) -> URL {
            if path == "~" { return URL(fileURLWithPath: home) }
            if path.hasPrefix("~/") { return URL(fileURLWithPath: home).appendingPathComponent(String(path.dropFirst(2))) }
            return URL(fileURLWithPath: path)
        }
        if let path = nonEmpty("HF_HUB_CACHE") ?? nonEmpty("HUGGINGFACE_HUB_CACHE") {
            self.init(root: expand(path))
        } else if let hfHome = nonEmpty("HF_HOME") {
            self.init(root: expand(hfHome).appendingPathComponent("hub"))
        } else {
            let cacheHome = nonEmpty("XDG_CACHE_HOME").map(expand) ?? URL(fileURLWithPath: home).appendingPathComponent(".cache")
            self.init(root: cacheHome.appendingPathComponent("huggingface/hub"))
        }
    }

    /// `<root>/models--ORG--NAME`.
    public func repoFolder(_ repo: HubRepoID) -> URL {
        root.appendingPathComponent(repo.cacheFolderName, isDirectory: true)
    }

    /// `<root>/models--ORG--NAME/snapshots/<commit>`.
    public func snapshotFolder(_ repo: HubRepoID, commit: String) -> URL {
        repoFolder(repo).appendingPathComponent("snapshots", isDirectory: true).appendingPathComponent(commit, isDirectory: true)
    }

    /// `<root>/models--ORG--NAME/blobs/<etag>`.
    package func blobFile(_ repo: HubRepoID, etag: String) -> URL {
        repoFolder(repo).appendingPathComponent("blobs", isDirectory: true).appendingPathComponent(etag)
    }

    /// `<root>/models--ORG--NAME/refs/<revision>` (a revision such as `refs/pr/1` nests folders).
    func refFile(_ repo: HubRepoID, revision: String) -> URL {
        repoFolder(repo).appendingPathComponent("refs", isDirectory: true).appendingPathComponent(revision)
    }

    /// The commit hash stored for `revision`, nil when there is no such ref.
    public func commit(for repo: HubRepoID, revision: String) -> String? {
        guard let text = try? String(contentsOf: refFile(repo, revision: revision), encoding: .utf8) else { return nil }
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return commit.isEmpty ? nil : commit
    }

    /// Cached refs (`main`, `v1.0`...) and snapshot commits of `repo`, for error messages.
    func availableRevisions(of repo: HubRepoID) -> [String] {
        let fileManager = FileManager.default
        let refsFolder = repoFolder(repo).appendingPathComponent("refs")
        var found: [String] = []
        if let walker = fileManager.enumerator(atPath: refsFolder.path) {
            while let path = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: refsFolder.appendingPathComponent(path).path, isDirectory: &isDirectory),
                    !isDirectory.boolValue
                {
                    found.append(path)
                }
            }
        }
        let snapshots = (try? fileManager.contentsOfDirectory(atPath: repoFolder(repo).appendingPathComponent("snapshots").path)) ?? []
        return found.sorted() + snapshots.sorted().map { "snapshot \($0)" }
    }

    /// Writes `refs/<revision>` = `commit` (no trailing newline, as `huggingface_hub` does).
    func writeRef(_ repo: HubRepoID, revision: String, commit: String) throws {
        let file = refFile(repo, revision: revision)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: file, options: .atomic)
        } catch {
            throw HubError.fileSystem(path: file.path, detail: error.localizedDescription)
        }
    }

    /// Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative symlink
    /// (`../../blobs/<etag>`, one more `../` per folder in `path`), replacing any existing entry.
    func linkSnapshotFile(_ repo: HubRepoID, commit: String, path: String, etag: String) throws {
        let pointer = snapshotFolder(repo, commit: commit).appendingPathComponent(path)
        let depth = path.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: pointer.deletingLastPathComponent(), withIntermediateDirectories: true)
            if (try? fileManager.destinationOfSymbolicLink(atPath: pointer.path)) == target { return }
            if (try? fileManager.attributesOfItem(atPath: pointer.path)) != nil {
                try fileManager.removeItem(at: pointer)
            }
            try fileManager.createSymbolicLink(atPath: pointer.path, withDestinationPath: target)
        } catch {
            throw HubError.fileSystem(path: pointer.path, detail: error.localizedDescription)
        }
    }
}
