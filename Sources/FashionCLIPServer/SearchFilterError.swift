import EmbeddingCatalog

/// Why the server refuses a search filter that parses but can only mislead: a key no product has
/// matches nothing, and an ordering against a text compares texts (`price<abc`).
enum SearchFilterError: Error, Equatable, CustomStringConvertible {
    /// `key` is not a metadata key of any stored product, nor `id`; `known` are the keys there are.
    case unknownKey(filter: String, key: String, known: [String])
    /// `<`, `<=`, `>` or `>=` with a `value` that is not a finite number.
    case notANumber(filter: String, op: String, value: String)

    var description: String {
        switch self {
        case let .unknownKey(filter, key, known):
            return "filter '\(filter)': no product has the key '\(key)'; the keys are \(known.joined(separator: ", "))"
        case let .notANumber(filter, op, value):
            return "filter '\(filter)': \(op) compares numbers, and '\(value)' is not a number; use = or != to compare texts"
        }
    }

    /// Checks each filter's key against `metadataKeys` (the store's; `id` is always known) and that
    /// an ordering compares with a number.
    /// - Throws: `SearchFilterError` for the first filter at fault.
    static func check(_ filters: [MetadataFilter], metadataKeys: some Collection<String>) throws(SearchFilterError) {
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
