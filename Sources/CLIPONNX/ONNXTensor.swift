import Foundation

/// One `TensorProto` of an ONNX file: an initializer, or the value of a `Constant` node.
///
/// Mirrors `onnx.proto` (onnx 1.23) fields 1 `dims`, 2 `data_type`, 4 `float_data`, 5 `int32_data`,
/// 7 `int64_data`, 8 `name`, 9 `raw_data`, 10 `double_data`, 13 `external_data`, 14 `data_location`.
/// The values stay where they are (a byte range of the mapped file, or an external file) until
/// `ONNXModel.floats(of:)` or `integers(of:)` converts them.
public struct ONNXTensor: Sendable {
    /// Where the values live.
    enum Storage: Sendable {
        /// `raw_data`: a byte range of the model file.
        case raw(Range<Int>)
        /// The typed fields (`float_data`, `int32_data` (also FLOAT16/BFLOAT16/INT8/UINT8 bit
        /// patterns), `int64_data`, `double_data`).
        case floats([Float]), int32s([Int64]), int64s([Int64]), doubles([Double])
        /// `data_location: EXTERNAL`: `length` bytes at `offset` of `location` (relative to the model).
        case external(location: String, offset: Int, length: Int?)
        /// No values at all (allowed only for empty tensors).
        case none
    }

    /// `name` (empty for `Constant` node values).
    public let name: String
    /// `dims`: the shape (`[]` for a scalar).
    public let shape: [Int]
    /// `data_type` (`ONNXDataType` raw values: 1 FLOAT, 10 FLOAT16, 3 INT8…).
    public let dataType: ONNXDataType
    let storage: Storage

    /// Product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Parses one `TensorProto` message.
    init(reader source: ProtobufReader) throws {
        var r = source
        var name = ""
        var dims: [Int64] = []
        var dataType: Int64 = 0
        var raw: Range<Int>?
        var floats: [Float] = [], int32s: [Int64] = [], int64s: [Int64] = [], doubles: [Double] = []
        var external: [String: String] = [:]
        var location: Int64 = 0
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.appendInt64s(wire, to: &dims)
            case 2: dataType = try r.int64()
            case 3: throw r.fail("segmented tensors (field `segment`) are not supported")
            case 4: try r.appendFloats(wire, to: &floats)
            case 5: try r.appendInt64s(wire, to: &int32s)
            case 7: try r.appendInt64s(wire, to: &int64s)
            case 8: name = try r.string()
            case 9: raw = try r.lengthDelimited()
            case 10: try r.appendDoubles(wire, to: &doubles)
            case 13:
                var entry = r.reader(for: try r.lengthDelimited(), message: "StringStringEntryProto")
                var key = "", value = ""
                while let (f, w) = try entry.nextField() {
                    switch f {
                    case 1: key = try entry.string()
                    case 2: value = try entry.string()
                    default: try entry.skip(w)
                    }
                }
                external[key] = value
            case 14: location = try r.int64()
            default: try r.skip(wire)
            }
        }
        let label = name.isEmpty ? "(unnamed tensor)" : name
        guard let type = ONNXDataType(rawValue: Int(truncatingIfNeeded: dataType)) else {
            throw ONNXError.unsupportedDataType(path: r.path, tensor: label, dataType: Int(truncatingIfNeeded: dataType))
        }
        var elements: Int64 = 1
        for d in dims {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow, product < 1 << 40 else {
                throw ONNXError.invalidTensor(path: r.path, tensor: label, reason: "dimensions \(dims) are negative or hold more than 2⁴⁰ elements")
            }
            elements = product
        }
        self.name = name
        self.shape = dims.map { Int($0) }
        self.dataType = type
        if location == 1 {
            guard let file = external["location"], !file.isEmpty else {
                throw ONNXError.invalidTensor(path: r.path, tensor: label, reason: "external data without a `location`")
            }
            guard let offset = Int(external["offset"] ?? "0"), offset >= 0 else {
                throw ONNXError.invalidTensor(path: r.path, tensor: label, reason: "external data offset \(external["offset"] ?? "") is not a byte count")
            }
            let length = try external["length"].map { text -> Int in
                guard let n = Int(text), n >= 0 else {
                    throw ONNXError.invalidTensor(path: r.path, tensor: label, reason: "external data length \(text) is not a byte count")
                }
                return n
            }
            storage = .external(location: file, offset: offset, length: length)
        } else if let raw {
            storage = .raw(raw)
        } else if !floats.isEmpty {
            storage = .floats(floats)
        } else if !int32s.isEmpty {
            storage = .int32s(int32s)
        } else if !int64s.isEmpty {
            storage = .int64s(int64s)
        } else if !doubles.isEmpty {
            storage = .doubles(doubles)
        } else {
            storage = .none
        }
    }
}
