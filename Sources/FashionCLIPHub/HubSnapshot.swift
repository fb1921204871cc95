import Foundation

/// The result of `HubDownloader.download`: a snapshot folder in the Hugging Face cache.
public struct HubSnapshot: Sendable, Equatable {
    /// One file of the snapshot.
    public struct File: Sendable, Equatable {
        /// Repo-relative path.
        public let path: String
        /// The blob name: the sha256 for LFS files, the git blob hash otherwise.
        public let etag: String
        public let size: Int64
        /// False when the blob was already in the cache.
        public let downloaded: Bool
        /// Bytes taken over from an earlier partial download (0 if none).
        public let resumedBytes: Int64
    }

    public let repo: HubRepoID
    /// The revision asked for (`main`, a tag, or a commit).
    public let revision: String
    /// The commit the revision resolved to.
    public let commit: String
    /// `<cache>/models--ORG--NAME/snapshots/<commit>`, usable as a model folder.
    public let folder: URL
    /// Files downloaded or found in the cache, in repo listing order.
    public let files: [File]
    /// Root-level standard model files (`ModelLocator.standardFiles`) the repo does not have at all,
    /// e.g. `model.safetensors` in a repo that only publishes `pytorch_model.bin`.
    public let missingStandardFiles: [String]
}
