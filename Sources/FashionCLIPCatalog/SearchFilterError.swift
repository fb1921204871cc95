import EmbeddingCatalog

/// Why a search refuses a filter that parses but can only mislead: a key no product has matches
/// nothing, and an ordering against a text compares texts (`price<abc`). The server and
/// `fashionclip search` both check their filters with it, so they refuse the same ones.
public enum SearchFilterError: Error, Equatable, CustomStringConvertible {
    /// `key` is not a metadata key of any stored product, nor `id`; `known` are the keys there are.
    case unknownKey(filter: String, key: String, known: [String])
    /// `<`, `<=`, `>` or `>=` with a `value` that is not a finite number.
    case notANumber(filter: String, op: String, value: String)

    public var description: String {
        switch self {
        case let .unknownKey(filter, key, known):
            return "filter '\(filter)': no product has the key '\(key)'; the keys are \(known.joined(separator: ", "))"
        case let .notANumber(filter, op, value):
            return "filter '\(filter)': \(op) compares numbers, and '\(value)' is not a number; use = or != to compare texts"
        }
    }

    /// The metadata keys of a snapshot's products (for a caller without them at hand).
    public static func keys(of snapshot: CatalogSnapshot) -> Set<String> {
        var keys = Set<String>()
        for metadata in snapshot.metadata { keys.formUnion(metadata.keys) }
        return keys
    }

    /// Checks each filter's key against `metadataKeys` (the store's; `id` is always known) and that
    /// an ordering compares with a number.
    /// - Throws: `SearchFilterError` for the first filter at fault.
    public static func check(_ filters: [MetadataFilter], metadataKeys: some Collection<String>) throws(SearchFilterError) {
        let keys = Set(metadataKeys)
        for filter in filters {
            guard filter.key == "id" || keys.contains(filter.key) else {
                throw .unknownKey(filter: filter.description, key: filter.key, known: (keys.sorted() + ["id"]))
            }
            switch filter.op {
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                guard let number = Double(filter.value), number.isFinite else {
                    throw .notANumber(filter: filter.description, op: filter.op.rawValue, value: filter.value)
                }
            case .equal, .notEqual:
                break
            }
        }
    }
}
