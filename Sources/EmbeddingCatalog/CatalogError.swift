import Foundation

/// Every recoverable failure of the catalog module: reading catalogs, the store and search.
///
/// Messages name the object, what was expected, what was found, and a next step where there is one.
public enum CatalogError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A catalog path that is neither a folder, a `.csv` nor a `.jsonl` file, or that does not exist.
    case unsupportedCatalog(path: String, reason: String)
    /// A syntax or content error at `file:line` of a CSV or JSONL catalog.
    case malformedCatalog(file: String, line: Int, reason: String)
    /// The catalog header lacks a required column.
    case missingColumn(file: String, column: String, found: [String])
    /// Two rows share an id.
    case duplicateID(file: String, id: String, firstLine: Int, secondLine: Int)
    /// An SQLite call failed.
    case storage(path: String, operation: String, message: String)
    /// The store was built by another model (or with another dimension) than the one in use.
    case modelMismatch(path: String, expected: StoreIdentity, found: StoreIdentity)
    /// A vector has the wrong number of components.
    case dimensionMismatch(what: String, expected: Int, found: Int)
    /// A vector holds NaN or infinity.
    case nonFiniteVector(what: String)
    /// An id that the store does not hold.
    case unknownID(String)
    /// A `--filter` expression that does not parse.
    case invalidFilter(expression: String, reason: String)
    /// A query that cannot be run (no terms, bad weights, needs an embedder ...).
    case invalidQuery(String)
    /// The embedder returned a different number of results than inputs.
    case embedderContract(expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .unsupportedCatalog(path, reason):
            return "catalog \(path): \(reason); expected a folder of images, a .csv or a .jsonl file"
        case let .malformedCatalog(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .missingColumn(file, column, found):
            return "\(file): header has no '\(column)' column; found columns \(found)"
        case let .duplicateID(file, id, first, second):
            return "\(file):\(second): id '\(id)' already used on line \(first); ids must be unique"
        case let .storage(path, operation, message):
            return "store \(path): \(operation) failed: \(message)"
        case let .modelMismatch(path, expected, found):
            return "store \(path) was built with model '\(found.model)' (dimension \(found.dimension)), "
                + "not '\(expected.model)' (dimension \(expected.dimension)); use that model or a new store"
        case let .dimensionMismatch(what, expected, found):
            return "\(what): expected \(expected) components, found \(found)"
        case let .nonFiniteVector(what):
            return "\(what): vector holds NaN or infinity"
        case let .unknownID(id):
            return "no item with id '\(id)' in the store"
        case let .invalidFilter(expression, reason):
            return "filter '\(expression)': \(reason); expected KEY OP VALUE with OP one of = != < <= > >="
        case let .invalidQuery(reason):
            return "query: \(reason)"
        case let .embedderContract(expected, found):
            return "embedder returned \(found) results for \(expected) inputs"
        }
    }

    public var errorDescription: String? { description }
}
