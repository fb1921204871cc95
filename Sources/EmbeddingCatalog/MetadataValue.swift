import Foundation

/// One metadata value of a catalog row: CSV cells are strings, JSONL keeps JSON's scalar types.
///
/// Catalog metadata is flat: a JSONL line whose values are arrays or objects is rejected.
public enum MetadataValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The value as text: numbers without a trailing `.0` when integral, booleans as `true`/`false`.
    public var description: String {
        switch self {
        case let .string(s): return s
        case let .bool(b): return b ? "true" : "false"
        case let .number(d):
            if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        }
    }

    /// The value as a number when it is one or is a string that parses as one (`"99.5"`).
    public var numericValue: Double? {
        switch self {
        case let .number(d): return d
        case let .string(s): return Double(s.trimmingCharacters(in: .whitespaces))
        case .bool: return nil
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(s): try container.encode(s)
        case let .number(d): try container.encode(d)
        case let .bool(b): try container.encode(b)
        }
    }
}

/// A row's metadata: column name → value. Keys are unique; order is not significant.
public typealias Metadata = [String: MetadataValue]
