import Foundation

/// A Hugging Face model repository id, `ORG/NAME`, as written on the Hub.
///
/// Validation mirrors `huggingface_hub.utils._validators.validate_repo_id`: at most one `/`, characters
/// `[A-Za-z0-9_.-]`, no `--` or `..`, no leading or trailing `-`/`.`, at most 96 characters.
public struct HubRepoID: Hashable, Sendable, CustomStringConvertible {
    /// The namespace (user or organisation), nil for legacy root-level ids such as `gpt2`.
    public let namespace: String?
    /// The repository name.
    public let name: String

    /// Parses `ORG/NAME` (or a legacy `NAME`).
    /// - Throws: `HubError.invalidRepoID` naming the rule that was broken.
    public init(_ text: String) throws {
        guard !text.isEmpty, text.count <= 96 else {
            throw HubError.invalidRepoID(text, reason: "expected 1 to 96 characters, found \(text.count)")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            throw HubError.invalidRepoID(text, reason: "expected ORG/NAME with a single '/'")
        }
        for part in parts {
            let allowed = part.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_.-".unicodeScalars.contains(scalar))
            }
            guard !part.isEmpty, allowed else {
                throw HubError.invalidRepoID(text, reason: "each part must be non-empty and use only letters, digits, '_', '.', '-'")
            }
            guard !part.contains("--"), !part.contains("..") else {
                throw HubError.invalidRepoID(text, reason: "'--' and '..' are not allowed")
            }
            guard let first = part.first, let last = part.last, !"-.".contains(first), !"-.".contains(last) else {
                throw HubError.invalidRepoID(text, reason: "a part may not start or end with '-' or '.'")
            }
        }
        namespace = parts.count == 2 ? parts[0] : nil
        name = parts[parts.count - 1]
    }

    /// `ORG/NAME`.
    public var description: String {
        namespace.map { "\($0)/\(name)" } ?? name
    }

    /// The cache folder name, `models--ORG--NAME` (mirrors `file_download.repo_folder_name`).
    public var cacheFolderName: String {
        (["models"] + (namespace.map { [$0] } ?? []) + [name]).joined(separator: "--")
    }

    /// Splits `ORG/NAME@REVISION` into the id and the optional revision (which may itself hold `/`,
    /// as in `refs/pr/1`).
    /// - Throws: `HubError.invalidRepoID` for a bad id or an empty revision.
    public static func parse(reference text: String) throws -> (repo: HubRepoID, revision: String?) {
        guard let at = text.firstIndex(of: "@") else { return (try HubRepoID(text), nil) }
        let revision = String(text[text.index(after: at)...])
        guard !revision.isEmpty else {
            throw HubError.invalidRepoID(text, reason: "expected a revision after '@'")
        }
        return (try HubRepoID(String(text[..<at])), revision)
    }

    /// Whether `revision` is a full 40-character lower-case commit hash (mirrors `REGEX_COMMIT_HASH`).
    public static func isCommitHash(_ revision: String) -> Bool {
        revision.utf8.count == 40 && revision.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
