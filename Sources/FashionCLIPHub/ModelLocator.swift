import Foundation

/// Where a model folder came from.
public enum ModelSource: Equatable, Sendable {
    /// An existing directory given by path.
    case directory
    /// A snapshot of the Hugging Face cache.
    case hubCache(repo: HubRepoID, revision: String, commit: String)
}

/// A model folder resolved from a `--model` argument.
public struct ModelLocation: Equatable, Sendable {
    /// The folder holding `config.json`, weights and tokenizer files (maybe a snapshot of symlinks).
    public let folder: URL
    public let source: ModelSource
}

/// Resolves a `--model` argument to a model folder: an existing directory, or a Hugging Face id
/// `ORG/NAME[@REVISION]` already in the local cache (see `HubCache`). Never touches the network and
/// does not validate the files' contents (see `files(in:)` for which standard files exist).
public struct ModelLocator: Sendable {
    /// The Hugging Face cache searched for repo ids.
    public let cache: HubCache

    /// A locator over `cache` (default: the cache `huggingface_hub` would use in this environment).
    public init(cache: HubCache = HubCache()) {
        self.cache = cache
    }

    /// Resolves `argument`.
    ///
    /// Order: an existing directory wins; an existing file throws `notADirectory`; an argument that looks
    /// like a path (`/`, `./`, `../`, `~`) throws `directoryNotFound`; anything else is parsed as
    /// `ORG/NAME[@REVISION]` (revision default `main`, or a full commit hash) and looked up in the cache.
    /// - Throws: `HubError.unknownModel`, `.revisionNotFound`, `.notADirectory`, `.directoryNotFound`,
    ///   `.invalidRepoID`.
    public func locate(_ argument: String) throws -> ModelLocation {
        let path = expandTilde(argument)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw HubError.notADirectory(path: path) }
            return ModelLocation(folder: URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL, source: .directory)
        }
        let looksLikePath = ["/", "./", "../", "~"].contains { argument.hasPrefix($0) } || argument == "." || argument == ".."
        if looksLikePath { throw HubError.directoryNotFound(path: path) }
        let (repo, revision) = try HubRepoID.parse(reference: argument)
        return try locate(repo, revision: revision ?? "main", argument: argument)
    }

    /// Resolves `repo` at `revision` (a ref such as `main`, `v1.0`, `refs/pr/1`, or a full commit hash).
    /// - Throws: `HubError.unknownModel` or `.revisionNotFound`.
    public func locate(_ repo: HubRepoID, revision: String = "main") throws -> ModelLocation {
        try locate(repo, revision: revision, argument: revision == "main" ? repo.description : "\(repo)@\(revision)")
    }

    private func locate(_ repo: HubRepoID, revision: String, argument: String) throws -> ModelLocation {
        let repoFolder = cache.repoFolder(repo)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repoFolder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HubError.unknownModel(argument: argument, repo: repo.description, searched: repoFolder.path)
        }
        let commit: String
        if let stored = cache.commit(for: repo, revision: revision) {
            commit = stored
        } else if HubRepoID.isCommitHash(revision) {
            commit = revision
        } else {
            throw HubError.revisionNotFound(
                repo: repo.description, revision: revision, cacheFolder: repoFolder.path,
                available: cache.availableRevisions(of: repo))
        }
        let snapshot = cache.snapshotFolder(repo, commit: commit)
        guard FileManager.default.fileExists(atPath: snapshot.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HubError.revisionNotFound(
                repo: repo.description, revision: revision == commit ? revision : "\(revision) (commit \(commit))",
                cacheFolder: repoFolder.path, available: cache.availableRevisions(of: repo))
        }
        return ModelLocation(folder: snapshot, source: .hubCache(repo: repo, revision: revision, commit: commit))
    }

    private func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
