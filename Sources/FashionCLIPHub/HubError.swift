import Foundation

/// Recoverable failures of model lookup (`ModelLocator`) and Hub downloads (`HubDownloader`).
///
/// Each message names the object, what was expected, what was found and a next step.
public enum HubError: LocalizedError, Equatable, Sendable, CustomStringConvertible {
    /// What a 404 from the Hub was about.
    public enum RemoteObject: Equatable, Sendable {
        case repository
        case revision(String)
        case file(String)
    }

    /// A `--model` or repo argument that is not `ORG/NAME[@REVISION]`.
    case invalidRepoID(String, reason: String)
    /// Neither a directory nor a model in the local Hugging Face cache.
    case unknownModel(argument: String, repo: String, searched: String)
    /// The repo is cached but not at this revision; `available` lists cached refs and snapshots.
    case revisionNotFound(repo: String, revision: String, cacheFolder: String, available: [String])
    /// The path exists but is a file.
    case notADirectory(path: String)
    /// A path-looking argument (`/`, `./`, `~`) that does not exist.
    case directoryNotFound(path: String)
    /// 401/403 from the Hub: private or gated repo, or a token without access.
    case accessDenied(repo: String, url: String, status: Int, tokenSent: Bool, serverMessage: String?)
    /// 404 from the Hub.
    case remoteNotFound(RemoteObject, repo: String, url: String)
    /// Any other unexpected HTTP status.
    case httpStatus(url: String, status: Int, serverMessage: String?)
    /// The request did not complete (DNS, refused connection, dropped connection, timeout).
    case network(url: String, detail: String)
    /// The Hub answered but without what the protocol promises (commit, ETag, JSON...).
    case invalidResponse(url: String, detail: String)
    /// A downloaded file had the wrong number of bytes; the partial file was deleted.
    case sizeMismatch(file: String, expected: Int64, found: Int64)
    /// A downloaded LFS file's sha256 differs from its ETag; the partial file was deleted.
    case checksumMismatch(file: String, expected: String, found: String)
    /// Creating, writing or linking a cache file failed.
    case fileSystem(path: String, detail: String)

    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .invalidRepoID(let text, let reason):
            return "'\(text)' is not a Hugging Face model id: \(reason). Expected ORG/NAME or ORG/NAME@REVISION, or an existing directory."
        case .unknownModel(let argument, let repo, let searched):
            return "'\(argument)' is neither a directory nor a model in the Hugging Face cache (looked for \(searched)). "
                + "Download it with `fashionclip download \(repo)`, or pass a model folder."
        case .revisionNotFound(let repo, let revision, let cacheFolder, let available):
            let found = available.isEmpty ? "no refs or snapshots" : "only " + available.joined(separator: ", ")
            return "model \(repo) is cached in \(cacheFolder) but not at revision '\(revision)' (found \(found)). "
                + "Run `fashionclip download \(repo) --revision \(revision)`."
        case .notADirectory(let path):
            return "model path \(path) is a file; expected a folder holding config.json, model.safetensors and the tokenizer files."
        case .directoryNotFound(let path):
            return "model folder \(path) does not exist; pass an existing folder or a Hugging Face id ORG/NAME."
        case .accessDenied(let repo, let url, let status, let tokenSent, let serverMessage):
            let hint =
                tokenSent
                ? "the token in HF_TOKEN was sent but has no access: accept the model's terms on its Hub page or use another token"
                : "the repo may be private or gated (or may not exist): set HF_TOKEN to an access token"
            return "Hub refused access to \(repo) (HTTP \(status) for \(url))\(serverMessage.map { ": \($0)" } ?? ""); \(hint)."
        case .remoteNotFound(let object, let repo, let url):
            switch object {
            case .repository:
                return "Hub has no model repository \(repo) (HTTP 404 for \(url)); check the id, or set HF_TOKEN if it is private."
            case .revision(let revision):
                return "Hub repository \(repo) has no revision '\(revision)' (HTTP 404 for \(url)); use a branch, tag or full commit hash."
            case .file(let path):
                return "Hub repository \(repo) has no file \(path) at this revision (HTTP 404 for \(url))."
            }
        case .httpStatus(let url, let status, let serverMessage):
            return "Hub answered HTTP \(status) for \(url)\(serverMessage.map { ": \($0)" } ?? ""); expected 200. Try again later."
        case .network(let url, let detail):
            return "could not reach \(url): \(detail). Check the network or HF_ENDPOINT; partial downloads resume on the next run."
        case .invalidResponse(let url, let detail):
            return "unexpected Hub response from \(url): \(detail)."
        case .sizeMismatch(let file, let expected, let found):
            return "downloaded \(file) has \(found) bytes, expected \(expected); the partial file was deleted, run the download again."
        case .checksumMismatch(let file, let expected, let found):
            return "downloaded \(file) has sha256 \(found), expected \(expected); the partial file was deleted, run the download again."
        case .fileSystem(let path, let detail):
            return "cannot write \(path): \(detail)."
        }
    }
}
