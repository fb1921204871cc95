import EmbeddingCatalog
import Foundation
import PostgresCatalog

/// Where a catalog store lives, as `--store` or `ServerResources(store:)` names it, and the one place
/// that picks the `VectorStore` implementation for it: commands and the server open stores only here.
///
/// A path (or `file:` URL) names an embedded SQLite file; a `postgresql://` URL names the shared store
/// in PostgreSQL. Another backend adds a case and a line in `open(identity:)`; indexing, search,
/// evaluation and the server are unchanged.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite store file (`SQLiteVectorStore`).
    case sqlite(URL)
    /// A store in PostgreSQL with pgvector (`PostgresVectorStore`).
    case postgres(PostgresLocation)

    /// Parses a `--store` argument: a URL with a scheme (`file:///…`), or else a file path.
    /// - Throws: `StoreLocationError.unsupportedScheme` for a URL of a kind this build cannot open.
    /// - Parameter passwordFile: for a PostgreSQL URL without a password, a file whose first line is it.
    public init(parsing argument: String, passwordFile: String? = nil) throws(StoreLocationError) {
        if PostgresLocation.isPostgresURL(argument) {
            do { self = .postgres(try PostgresLocation(parsing: argument, passwordFile: passwordFile)) } catch {
                throw .invalidURL(location: PostgresLocation.redacted(argument), reason: "\(error)")
            }
        } else if let scheme = Self.scheme(of: argument) {
            guard let url = URL(string: argument) else { throw .unsupportedScheme(scheme: scheme, location: argument) }
            try self.init(url: url)
        } else {
            self = .sqlite(URL(fileURLWithPath: (argument as NSString).expandingTildeInPath))
        }
    }

    /// A location given as a URL: a file URL names a SQLite store.
    /// - Throws: `StoreLocationError.unsupportedScheme` for any other scheme.
    public init(url: URL) throws(StoreLocationError) {
        if PostgresLocation.isPostgresURL(url.absoluteString) {
            try self.init(parsing: url.absoluteString)
            return
        }
        guard url.isFileURL else {
            throw .unsupportedScheme(scheme: url.scheme ?? "", location: url.absoluteString)
        }
        self = .sqlite(url)
    }

    /// The location as a URL (`ServerResources(store:)` takes one); a PostgreSQL URL keeps its
    /// password, so it is for opening the store, never for messages (`description` is).
    public var url: URL {
        switch self {
        case .sqlite(let url): return url
        case .postgres(let address): return address.connectionURL
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let url): return url.path
        case .postgres(let address): return address.description
        }
    }

    /// Opens the store, creating it for `identity` when it does not exist yet.
    /// - Parameter identity: the model in use; `nil` opens an existing store with whatever it holds.
    /// - Throws: the store's errors (`CatalogError.modelMismatch`, `.storage`).
    public func open(identity: StoreIdentity?) throws -> any VectorStore {
        switch self {
        case .sqlite(let url): return try SQLiteVectorStore(url: url, identity: identity)
        case .postgres(let address): return try PostgresVectorStore(address: address, identity: identity)
        }
    }

    /// `postgres` of `postgres://host/db`; nil for a path (`/a/b`, `a:b` without `//` is a file name).
    private static func scheme(of argument: String) -> String? {
        guard let range = argument.range(of: "://") else { return nil }
        let scheme = argument[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        else { return nil }
        return scheme.lowercased()
    }
}

/// A store location this build cannot open.
public enum StoreLocationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case unsupportedScheme(scheme: String, location: String)
    case invalidURL(location: String, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedScheme(scheme, location):
            return "store \(location): '\(scheme)' stores are not supported; give a SQLite store file path (or a file:// URL) "
                + "or a postgresql:// URL"
        case let .invalidURL(_, reason):
            return reason
        }
    }

    public var errorDescription: String? { description }
}
