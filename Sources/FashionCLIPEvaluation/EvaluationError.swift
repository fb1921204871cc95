import Foundation

/// The recoverable failures of evaluation itself: inputs that cannot be evaluated, a labelled set that
/// is not there, an output that cannot be written.
///
/// Failures of what evaluation builds on keep their own types: `CatalogError` for CSV syntax, catalog
/// files and an embedder that breaks the `CatalogEmbedder` contract; `ImageProcessingError` from the
/// PNG encoder. Messages name the object, what was expected and what was found.
public enum EvaluationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An input that cannot be evaluated (no samples, mismatched lengths, duplicate labels, no image
    /// that could be embedded …).
    case invalidInput(String)
    /// A labelled-set path that is neither a folder nor a file.
    case missingSet(path: String)
    /// A CSV labelled set whose header lacks `image` or `label`.
    case missingColumn(file: String, column: String, found: [String])
    /// A CSV labelled-set row with an empty `image` or `label`.
    case malformedSet(file: String, line: Int, reason: String)
    /// Writing an output file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidInput(reason):
            return "evaluation: \(reason)"
        case let .missingSet(path):
            return "labelled set \(path): no such file or folder; expected a folder with one sub-folder per class, "
                + "or a CSV with columns image,label"
        case let .missingColumn(file, column, found):
            return "labelled set \(file): header has no '\(column)' column; found columns \(found); expected image,label"
        case let .malformedSet(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
