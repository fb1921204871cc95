import Foundation

/// Recoverable failures of the tokenizer: unreadable or malformed files, and invalid input text.
///
/// Every message names the file (or input), what was expected and what was found.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required file is missing from a model folder.
    case missingFile(folder: String, expected: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// A file was read but its content is not what a CLIP tokenizer needs.
    case malformedFile(path: String, reason: String)
    /// The file describes something this tokenizer does not implement (e.g. a non-BPE model).
    case unsupported(path: String, reason: String)
    /// Input text is not valid UTF-8.
    case invalidUTF8(source: String, byteOffset: Int)

    public var description: String {
        switch self {
        case .missingFile(let folder, let expected):
            return "tokenizer folder \(folder): expected \(expected), found none. "
                + "Point --model at a CLIP model folder (Hugging Face layout)."
        case .unreadableFile(let path, let reason):
            return "\(path): cannot be read (\(reason))."
        case .malformedFile(let path, let reason):
            return "\(path): \(reason)."
        case .unsupported(let path, let reason):
            return "\(path): unsupported: \(reason)."
        case .invalidUTF8(let source, let offset):
            return "\(source): expected UTF-8 text, found an invalid byte sequence at byte \(offset)."
        }
    }
}

extension TokenizerError: LocalizedError {
    public var errorDescription: String? { description }
}
