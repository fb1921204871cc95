extension SQLiteVectorStore {
    /// `PRAGMA integrity_check`: "ok" for a sound file.
    package func integrityCheck() throws -> String {
        try withDatabase { database in
            let check = try database.prepare("PRAGMA integrity_check")
            var lines: [String] = []
            while try check.step() { lines.append(check.string(0) ?? "") }
            return lines.joined(separator: "\n")
        }
    }

    /// Number of rows and of distinct ids (equal unless the schema is broken).
    package func rowAndDistinctIDCounts() throws -> (rows: Int, distinct: Int) {
        try withDatabase { database in
            let select = try database.prepare("SELECT COUNT(*), COUNT(DISTINCT id) FROM items")
            try select.step()
            return (Int(select.int64(0)), Int(select.int64(1)))
        }
    }
}

extension SQLiteVectorStore {
    /// Runs `sql` on the store's connection: tests damage a store the way a crash, another tool or
    /// an attacker could.
    package func executeForTesting(_ sql: String) throws {
        try withDatabase { try $0.execute(sql) }
    }
}
