/// An element type of the safetensors format.
///
/// All dtypes the format defines are recognised so that headers validate completely (an `I64`
/// `position_ids` buffer is legal and simply ignored); only `F32`, `F16` and `BF16` convert to `Float`.
public enum SafeTensorDType: String, Sendable, CaseIterable, Comparable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E4M3 = "F8_E4M3"
    case float8E5M2 = "F8_E5M2"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E4M3, .float8E5M2: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Whether `SafeTensorsFile.floats(_:)` converts this dtype.
    public var convertsToFloat: Bool { self == .float32 || self == .float16 || self == .bfloat16 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
