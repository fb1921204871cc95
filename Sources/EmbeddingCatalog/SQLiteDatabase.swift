import CSQLite
import Foundation

/// A thin owner of one SQLite connection: open, execute, prepared statements, errors as `CatalogError`.
final class SQLiteDatabase {
    let path: String
    private(set) var handle: OpaquePointer?

    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String, create: Bool) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close(db)
            throw CatalogError.storage(path: path, operation: "open", message: message)
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { sqlite3_close(handle) }

    func error(_ operation: String) -> CatalogError {
        .storage(path: path, operation: operation, message: explained(String(cString: sqlite3_errmsg(handle))))
    }

    /// SQLite's message, with what to do when the disk is full: each committed batch is kept, so
    /// running again once there is space goes on from there.
    private func explained(_ message: String) -> String {
        guard sqlite3_errcode(handle) & 0xff == SQLITE_FULL else { return message }
        return message + " (no space left on the store's disk: free some and run again; committed batches are kept)"
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw CatalogError.storage(path: path, operation: sql, message: explained(text))
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare '\(sql)'")
        }
        return SQLiteStatement(database: self, statement: statement, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement; bind with 1-based indices, `step()` until it returns false.
final class SQLiteStatement {
    let database: SQLiteDatabase
    let statement: OpaquePointer
    let sql: String

    init(database: SQLiteDatabase, statement: OpaquePointer, sql: String) {
        self.database = database
        self.statement = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value {
            sqlite3_bind_text(statement, index, value, -1, SQLiteDatabase.transient)
        } else {
            sqlite3_bind_null(statement, index)
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Binds `vector` as a blob of little-endian fp32.
    func bind(_ index: Int32, vector: [Float]?) {
        guard let vector else {
            sqlite3_bind_null(statement, index)
            return
        }
        let le = vector.map { $0.bitPattern.littleEndian }
        le.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), SQLiteDatabase.transient)
        }
    }

    /// Advances; true while a row is available.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error("run '\(sql)'")
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: text)
    }

    /// Copies a blob column of little-endian fp32 into `destination[offset ..< offset + count]`;
    /// returns the number of floats found (nothing is copied unless it is `count`; -1: not fp32).
    func copyVector(_ column: Int32, into destination: inout [Float], at offset: Int, count: Int) -> Int {
        let bytes = Int(sqlite3_column_bytes(statement, column))
        guard let blob = sqlite3_column_blob(statement, column), bytes % 4 == 0 else { return -1 }
        let found = bytes / 4
        guard found == count, offset >= 0, offset + count <= destination.count else { return found }
        let source = UnsafeRawBufferPointer(start: blob, count: bytes)
        destination.withUnsafeMutableBufferPointer { all in
            let target = UnsafeMutableBufferPointer(rebasing: all[offset..<offset + count])
            #if _endian(little)
            UnsafeMutableRawBufferPointer(target).copyMemory(from: source)
            #else
            for i in 0..<count {
                target[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
            #endif
        }
        return found
    }
}
