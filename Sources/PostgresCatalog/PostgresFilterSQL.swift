import EmbeddingCatalog
import Foundation
import PostgresNIO

/// The SQL side of a filtered search through the HNSW index: a condition that every row
/// `MetadataFilter.matches` accepts also meets, so pgvector's iterative scan keeps walking the index
/// until it has enough rows that may match (the rows it returns are checked again by `matches`, so
/// the condition only has to be a superset). The statement holds our fixed SQL and `$n` placeholders;
/// every key and value is a bound parameter.
///
/// - Every filter on a metadata key: the key is present (`metadata ? $k`).
/// - `key=value` with a value that is not a number: the stored text or boolean equals it up to
///   canonical equivalence (`normalize(…, NFC)`, as Swift's `==` compares; UTF-8 databases only).
/// - `key=number`: a stored number or text that is a short plain decimal (at most 15 digits each side
///   of the point and a two-digit exponent, which PostgreSQL's float8 reads as Swift's `Double` does,
///   without overflow) equals it as a float8; any other stored text passes on to `matches` (Swift
///   reads `0x1p3` or `inf` as numbers too).
/// - The orderings and `!=` keep the presence test alone.
struct PostgresFilterSQL {
    private(set) var conditions: [String] = []
    private(set) var binds = PostgresBindings()
    private var next: Int

    static let plainDecimal = "^[+-]?[0-9]{1,15}([.][0-9]{0,15})?([eE][+-]?[0-9]{1,2})?$"

    /// `$1` is `vector` (the query, pgvector's text form); the filters' parameters follow.
    init(vector: String, filters: [MetadataFilter], unicodeNormalization: Bool) throws {
        next = 1
        _ = try bind(vector)
        for filter in filters where filter.key != "id" {
            let key = try bind(filter.key)
            conditions.append("metadata ? \(key)")
            guard filter.op == .equal, !filter.value.contains("\u{0}") else { continue }
            if let number = Double(filter.value), number.isFinite {
                let text = "btrim(metadata->>\(key), ' ')"
                let pattern = try bind(Self.plainDecimal)
                conditions.append("(CASE WHEN \(text) ~ \(pattern) THEN \(text)::float8 = \(try bind(number)) ELSE true END)")
            } else if Double(filter.value) == nil, unicodeNormalization {
                let value = try bind(filter.value)
                conditions.append(
                    "(jsonb_typeof(metadata->\(key)) IN ('string', 'boolean') AND normalize(metadata->>\(key), NFC) = normalize(\(value)::text, NFC))")
            }
        }
    }

    /// A placeholder bound to `limit`.
    mutating func bindLimit(_ limit: Int) throws -> String {
        try binds.append(limit)
        defer { next += 1 }
        return "$\(next)"
    }

    /// The WHERE clause ("" without conditions).
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    private mutating func bind(_ value: String) throws -> String {
        try binds.append(value)
        defer { next += 1 }
        return "$\(next)"
    }

    private mutating func bind(_ value: Double) throws -> String {
        try binds.append(value)
        defer { next += 1 }
        return "$\(next)::float8"
    }
}
