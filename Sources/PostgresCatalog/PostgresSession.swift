import EmbeddingCatalog
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// One PostgreSQL connection used synchronously: `VectorStore` is a synchronous protocol, so each
/// call waits for its answer. The waits are on PostgresNIO's futures, which complete on NIO's event
/// loop, so a caller blocked here never needs a thread of Swift's cooperative pool to be woken.
/// Thread-safe: one statement (or one transaction) at a time.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let connection: Mutex<PostgresConnection>
    private let logger: Logger

    /// Connects and logs in, giving up after `timeout` seconds.
    /// - Throws: `CatalogError.storage` naming the URL (never the password) and the reason.
    init(_ location: PostgresLocation, timeout: Int64 = 20) throws {
        self.location = location
        var logger = Logger(label: "fashionclip.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw CatalogError.storage(path: location.description, operation: "set up TLS", message: "\(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(timeout)
        let future = PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1, logger: logger)
        do {
            connection = Mutex(try future.wait())
        } catch {
            throw Self.failure(error, location: location, operation: "connect")
        }
    }

    deinit {
        let connection = self.connection.withLock { $0 }
        let closed: EventLoopFuture<Void> = connection.close()
        _ = try? Self.wait(closed, within: 5, closing: connection)
    }

    /// Runs one statement and returns all its rows.
    @discardableResult
    func query(_ query: PostgresQuery, _ operation: String) throws -> [PostgresRow] {
        try connection.withLock { connection in try Self.run(connection, query, operation, location, logger) }
    }

    /// Runs one statement, handing each row to `row` as it arrives (a whole store need not be held twice).
    func forEachRow(_ query: PostgresQuery, _ operation: String, _ row: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        try connection.withLock { connection in
            do {
                _ = try Self.wait(connection.query(query, logger: logger, row), within: Self.readDeadline, closing: connection)
            } catch {
                throw Self.failure(error, location: location, operation: operation)
            }
        }
    }

    /// Runs `body` between BEGIN and COMMIT on this connection, rolling back when it throws.
    func transaction<T>(_ operation: String, _ body: (Transaction) throws -> T) throws -> T {
        try connection.withLock { connection in
            let transaction = Transaction(connection: connection, location: location, logger: logger)
            try Self.run(connection, "BEGIN", operation, location, logger)
            do {
                let result = try body(transaction)
                try Self.run(connection, "COMMIT", operation, location, logger)
                return result
            } catch {
                _ = try? Self.wait(connection.query("ROLLBACK", logger: logger), within: Self.statementDeadline, closing: connection)
                throw error
            }
        }
    }

    /// Statements inside `transaction`.
    struct Transaction {
        let connection: PostgresConnection
        let location: PostgresLocation
        let logger: Logger

        /// `seconds`: how long the statement may take (an index build takes minutes, not the usual 30 s).
        @discardableResult
        func query(_ query: PostgresQuery, _ operation: String, within seconds: Int64 = statementDeadline) throws -> [PostgresRow] {
            try PostgresSession.run(connection, query, operation, location, logger, within: seconds)
        }
    }

    @discardableResult
    private static func run(
        _ connection: PostgresConnection, _ query: PostgresQuery, _ operation: String, _ location: PostgresLocation, _ logger: Logger,
        within seconds: Int64 = statementDeadline
    ) throws -> [PostgresRow] {
        do {
            return try wait(connection.query(query, logger: logger), within: seconds, closing: connection).rows
        } catch {
            throw failure(error, location: location, operation: operation)
        }
    }

    /// Seconds a statement may go unanswered, and a whole store's read.
    static let statementDeadline: Int64 = 30
    static let readDeadline: Int64 = 600

    /// A statement that got no answer in time.
    struct NoAnswer: Error, CustomStringConvertible {
        let seconds: Int64
        var description: String { "no answer from the server in \(seconds) s: it is down or unreachable" }
    }

    /// `future.wait()` with a deadline. PostgresNIO left a query unanswered for good when its server
    /// went away while the connection was idle (`pg_ctl stop -m immediate`, or a backend killed by a
    /// signal), so an index run hung; past `seconds` the statement fails and the connection is closed.
    static func wait<T: Sendable>(_ future: EventLoopFuture<T>, within seconds: Int64, closing connection: PostgresConnection) throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        let deadline = future.eventLoop.scheduleTask(in: .seconds(seconds)) {
            promise.fail(NoAnswer(seconds: seconds))
            let _: EventLoopFuture<Void> = connection.close()
        }
        defer { deadline.cancel() }
        return try promise.futureResult.wait()
    }

    /// The server's own message when it sent one (PSQLError's description hides it on purpose).
    static func failure(_ error: any Error, location: PostgresLocation, operation: String) -> CatalogError {
        if let error = error as? CatalogError { return error }  // ours, thrown while reading rows
        guard let psql = error as? PSQLError else {
            return .storage(path: location.description, operation: operation, message: "\(error)")
        }
        if let info = psql.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return .storage(path: location.description, operation: operation, message: message + state)
        }
        let cause = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
        return .storage(path: location.description, operation: operation, message: "\(psql.code): \(cause)")
    }
}
