import Foundation

/// A condition on one metadata field, as written on the command line: `brand=Armani`, `price<100`.
///
/// Operators: `=` (also `==`), `!=`, `<`, `<=`, `>`, `>=`. When both the row's value and the filter's
/// value parse as numbers the comparison is numeric (`"99.5" < 100`); otherwise it compares the texts
/// exactly (case-sensitive; `<`/`>` in Unicode code-point order). A row without the key never matches,
/// not even `!=` (as SQL's NULL). The key `id` filters the item id. Whitespace around key and value is
/// trimmed and one pair of surrounding quotes is removed from the value. A value cannot be empty: an
/// empty text is written `KEY=""` (or `!=`), and the order operators need a value.
public struct MetadataFilter: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    public var key: String
    public var op: Operator
    public var value: String

    public init(key: String, op: Operator, value: String) {
        self.key = key
        self.op = op
        self.value = value
    }

    /// Parses `KEY OP VALUE`.
    /// - Throws: `CatalogError.invalidFilter` naming the expression.
    public init(parsing expression: String) throws {
        let chars = Array(expression)
        guard let at = chars.firstIndex(where: { "=!<>".contains($0) }) else {
            throw CatalogError.invalidFilter(expression: expression, reason: "no operator")
        }
        let next = at + 1 < chars.count ? chars[at + 1] : nil
        var length = 1
        let op: Operator
        switch (chars[at], next) {
        case ("!", "="):
            op = .notEqual
            length = 2
        case ("<", "="):
            op = .lessOrEqual
            length = 2
        case (">", "="):
            op = .greaterOrEqual
            length = 2
        case ("=", "="):
            op = .equal
            length = 2
        case ("=", _): op = .equal
        case ("<", _): op = .less
        case (">", _): op = .greater
        default: throw CatalogError.invalidFilter(expression: expression, reason: "'!' must be followed by '='")
        }
        let key = String(chars[..<at]).trimmingCharacters(in: .whitespaces)
        var value = String(chars[(at + length)...]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw CatalogError.invalidFilter(expression: expression, reason: "empty key") }
        // `price<` or `brand=` is a filter cut short (it matched nothing or everything in silence);
        // an empty value is written quoted: `brand=""`.
        guard !value.isEmpty else {
            throw CatalogError.invalidFilter(expression: expression, reason: "empty value (write \(key)\(op.rawValue)\"\" to mean an empty text)")
        }
        if value.count >= 2, let first = value.first, first == value.last, first == "'" || first == "\"" {
            value = String(value.dropFirst().dropLast())
            guard !value.isEmpty || op == .equal || op == .notEqual else {
                throw CatalogError.invalidFilter(expression: expression, reason: "empty value for \(op.rawValue): an order needs a value to compare with")
            }
        }
        if value.contains(where: { "=<>".contains($0) }) && !value.isEmpty && op != .equal && op != .notEqual {
            throw CatalogError.invalidFilter(expression: expression, reason: "more than one operator")
        }
        self.init(key: key, op: op, value: value)
    }

    public var description: String { "\(key)\(op.rawValue)\(value)" }

    /// Whether a row with this id and metadata passes.
    public func matches(id: String, metadata: Metadata) -> Bool {
        let field: MetadataValue
        if key == "id" { field = .string(id) } else if let v = metadata[key] { field = v } else { return false }
        if let lhs = field.numericValue, let rhs = Double(value) {
            return compare(lhs, rhs)
        }
        return compare(field.description, value)
    }

    private func compare<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch op {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .less: return lhs < rhs
        case .lessOrEqual: return lhs <= rhs
        case .greater: return lhs > rhs
        case .greaterOrEqual: return lhs >= rhs
        }
    }
}
