/// A parsed JSON value. Objects keep their members in file order (duplicate keys: the last one wins
/// in `subscript`, as in Python's `json`).
enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case null

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Integer value; also accepts a double with no fractional part (`49406.0`).
    var integer: Int? {
        switch self {
        case .integer(let n): return n
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var members: [(key: String, value: JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// "an object", "an array", … for error messages.
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .integer, .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// A short rendering for error messages: strings quoted, other values by kind.
    var brief: String {
        switch self {
        case .string(let s): return TokenizerFiles.quoted(s)
        case .integer(let n): return "the number \(n)"
        case .bool(let b): return "\(b)"
        default: return kind
        }
    }
}
