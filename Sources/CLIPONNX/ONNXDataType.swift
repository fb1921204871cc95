/// `TensorProto.DataType` values this reader understands.
public enum ONNXDataType: Int, Sendable {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9
    case float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16

    /// Bytes per element in `raw_data` (nil for `string`).
    var byteSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .float, .int32, .uint32: return 4
        case .int64, .double, .uint64: return 8
        case .string: return nil
        }
    }

    /// Whether the values convert to `Float`.
    var isFloatingPoint: Bool { self == .float || self == .float16 || self == .bfloat16 || self == .double }

    /// The name `onnx.TensorProto` gives it (`FLOAT16`).
    public var name: String {
        switch self {
        case .float: return "FLOAT"
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .string: return "STRING"
        case .bool: return "BOOL"
        case .float16: return "FLOAT16"
        case .double: return "DOUBLE"
        case .uint32: return "UINT32"
        case .uint64: return "UINT64"
        case .bfloat16: return "BFLOAT16"
        }
    }
}
