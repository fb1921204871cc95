import Foundation

extension SQLiteVectorStore {
    /// Reads every row ordered by id into one snapshot, checking each vector's length.
    public func loadSnapshot() throws -> CatalogSnapshot {
        try withDatabase { database in
            let d = identity.dimension
            let countStatement = try database.prepare("SELECT COUNT(*) FROM items")
            try countStatement.step()
            let n = Int(countStatement.int64(0))
            try checkFits(rows: n, dimension: d)
            var ids: [String] = []
            var hasText: [Bool] = []
            var texts: [String?] = []
            var metadata: [Metadata] = []
            ids.reserveCapacity(n)
            hasText.reserveCapacity(n)
            texts.reserveCapacity(n)
            metadata.reserveCapacity(n)
            var imageVectors = [Float](repeating: 0, count: n * d)
            let textCount = try database.prepare("SELECT COUNT(*) FROM items WHERE text_vector IS NOT NULL")
            try textCount.step()
            let anyText = textCount.int64(0) > 0
            var textVectors = [Float](repeating: 0, count: anyText ? n * d : 0)
            let decoder = JSONDecoder()
            let select = try database.prepare(
                "SELECT id, text, metadata, image_vector, text_vector FROM items ORDER BY id")
            var r = 0
            while try select.step() {
                guard r < n else { break }  // rows added by another writer since the count
                let id = select.string(0) ?? ""
                // Rows come ordered by id, so a repeated id (a store whose primary key was lost) is adjacent.
                if let previous = ids.last, previous == id {
                    throw CatalogError.storage(
                        path: location, operation: "read",
                        message: "store is damaged: id '\(id)' is stored twice")
                }
                let found = select.copyVector(3, into: &imageVectors, at: r * d, count: d)
                guard found == d else {
                    throw CatalogError.dimensionMismatch(
                        what: "stored image vector of '\(id)' in \(location)",
                        expected: d, found: found)
                }
                let text = anyText && !select.isNull(4)
                if text {
                    let foundText = select.copyVector(4, into: &textVectors, at: r * d, count: d)
                    guard foundText == d else {
                        throw CatalogError.dimensionMismatch(
                            what: "stored text vector of '\(id)' in \(location)",
                            expected: d, found: foundText)
                    }
                }
                let json = select.string(2) ?? "{}"
                do {
                    metadata.append(try FlatJSONObject.parse(json) ?? decoder.decode(Metadata.self, from: Data(json.utf8)))
                } catch {
                    throw CatalogError.storage(
                        path: location, operation: "read metadata of '\(id)'",
                        message: "not a JSON object: \(json)")
                }
                ids.append(id)
                hasText.append(text)
                texts.append(select.string(1))
                r += 1
            }
            if r < n {
                imageVectors.removeLast((n - r) * d)
                if anyText { textVectors.removeLast((n - r) * d) }
            }
            if !hasText.contains(true) { textVectors = [] }
            return CatalogSnapshot(
                identity: identity, ids: ids, imageVectors: imageVectors, textVectors: textVectors,
                hasText: hasText, texts: texts, metadata: metadata)
        }
    }

    /// Refuses a row count and dimension whose vectors could not be in the files (the store and its
    /// write-ahead log): a damaged count or dimension must not size an allocation.
    private func checkFits(rows n: Int, dimension d: Int) throws {
        let files = [location, location + "-wal"]
        let bytes = files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
        let (values, overflow) = n.multipliedReportingOverflow(by: d)
        guard n >= 0, !overflow, values <= bytes / MemoryLayout<Float>.size else {
            throw CatalogError.storage(
                path: location, operation: "read",
                message: "store is damaged: \(n) rows of \(d) values cannot fit in its \(bytes) bytes")
        }
    }

    /// Every stored row as the indexer wrote it (for tests and exports), ordered by id.
    public func allUpdates() throws -> [ItemUpdate] {
        let snapshot = try loadSnapshot()
        let prints = try fingerprints()
        return snapshot.ids.enumerated().map { r, id in
            ItemUpdate(
                id: id, fingerprint: prints[id]!, text: snapshot.texts[r], metadata: snapshot.metadata[r],
                imageVector: snapshot.imageVector(row: r),
                textVector: snapshot.textVector(row: r).map { .set($0) } ?? .remove)
        }
    }
}
