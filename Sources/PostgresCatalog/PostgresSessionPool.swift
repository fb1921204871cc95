import Foundation
import Synchronization

/// Connections for searches through the HNSW index, so concurrent requests of a server run side by
/// side instead of queueing on the store's one connection (which its writes and change-token polls
/// use). A search takes an idle connection, or opens one when none is idle, and gives it back after;
/// at most `idleLimit` idle connections are kept, the rest closed. A connection that failed is
/// dropped, not given back: the next search opens a fresh one.
final class PostgresSessionPool: Sendable {
    let address: PostgresLocation
    let idleLimit: Int
    private let idle = Mutex<[PostgresSession]>([])

    init(_ address: PostgresLocation, idleLimit: Int = 8) {
        self.address = address
        self.idleLimit = idleLimit
    }

    /// Runs `body` on a connection of the pool.
    func with<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try idle.withLock { $0.popLast() } ?? PostgresSession(address)
        let result = try body(session)
        idle.withLock { sessions in
            if sessions.count < idleLimit { sessions.append(session) }
        }
        return result
    }

    /// Idle connections now (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}
