import EmbeddingCatalog
import Foundation

/// Where a PostgreSQL store lives, as `--store` names it:
/// `postgresql://user[:password]@host[:port]/database[?sslmode=disable|prefer|require&table=NAME]`
/// (also `postgres://`). The password may instead come from a password file or `PGPASSWORD`; it never
/// appears in `description`, which messages and logs use.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or nothing; the server's certificate is checked against the system's roots.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// The prefix of the store's tables (`NAME_info`, `NAME_items`): several stores can share a database.
    public var table: String

    /// Parses a store URL.
    /// - Parameters:
    ///   - environment: `PGPASSWORD` supplies a password the URL leaves out.
    ///   - passwordFile: a file whose first line is the password (`--store-password-file`), used when
    ///     the URL has none; it comes before `PGPASSWORD`.
    /// - Throws: `CatalogError.storage` naming the URL (without its password) and what is wrong.
    public init(
        parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment, passwordFile: String? = nil
    ) throws {
        let shown = Self.redacted(text)
        func fail(_ message: String) -> CatalogError {
            .storage(path: shown, operation: "read the store URL", message: message)
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgresql" || scheme == "postgres"
        else {
            throw fail("expected postgresql://user[:password]@host[:port]/database")
        }
        guard let host = components.host, !host.isEmpty else { throw fail("no host") }
        guard let user = components.user, !user.isEmpty else { throw fail("no user name (postgresql://USER@host/database)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw fail("no database name (postgresql://user@host/DATABASE)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw fail("port \(port) is not in 1 ... 65535") }
        var sslMode = SSLMode.prefer
        var table = "fashionclip"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw fail("sslmode '\(item.value ?? "")': expected disable, prefer or require")
                }
                sslMode = mode
            case "table":
                guard let name = item.value, Self.isTableName(name) else {
                    throw fail("table '\(item.value ?? "")': expected 1 to 40 lower-case letters, digits or _, not starting with a digit")
                }
                table = name
            default:
                throw fail("unknown parameter '\(item.name)' (sslmode and table are understood)")
            }
        }
        self.host = host
        self.port = port
        self.username = user
        var filePassword: String?
        if let passwordFile, components.password == nil {
            guard let contents = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw fail("cannot read the password file \(passwordFile)")
            }
            let line = contents.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw fail("the password file \(passwordFile) has an empty first line") }
            filePassword = line
        }
        self.password = components.password ?? filePassword ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        self.database = database
        self.sslMode = sslMode
        self.table = table
    }

    /// Whether `argument` is a PostgreSQL URL (and not a file path).
    public static func isPostgresURL(_ argument: String) -> Bool {
        let lower = argument.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// The URL without its password: what every message and log line shows.
    public var description: String {
        let query = (sslMode == .prefer ? [] : ["sslmode=\(sslMode.rawValue)"]) + (table == "fashionclip" ? [] : ["table=\(table)"])
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(username)@\(hostPart):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// The URL with the password, to hand the location on (never to show: use `description`).
    public var connectionURL: URL {
        var components = URLComponents()
        components.scheme = "postgresql"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        var query: [URLQueryItem] = []
        if sslMode != .prefer { query.append(URLQueryItem(name: "sslmode", value: sslMode.rawValue)) }
        if table != "fashionclip" { query.append(URLQueryItem(name: "table", value: table)) }
        components.queryItems = query.isEmpty ? nil : query
        return components.url!
    }

    /// `text` with any password between `user:` and `@` replaced by `***`, for messages about a URL
    /// that did not parse.
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    static func isTableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 40, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
