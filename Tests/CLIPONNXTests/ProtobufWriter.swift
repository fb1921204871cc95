import Foundation

/// Writes protobuf wire data, to build small ONNX files for the error tests.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ field: Int, _ value: Int) {
        varint(UInt64(field << 3))
        varint(UInt64(bitPattern: Int64(value)))
    }

    mutating func bytes(_ field: Int, _ payload: [UInt8]) {
        varint(UInt64(field << 3 | 2))
        varint(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(_ field: Int, _ text: String) { bytes(field, Array(text.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    /// A `TensorProto` with `raw_data`.
    static func tensor(name: String, dims: [Int], dataType: Int, raw: [UInt8]) -> [UInt8] {
        var w = ProtobufWriter()
        for d in dims { w.int(1, d) }
        w.int(2, dataType)
        w.string(8, name)
        w.bytes(9, raw)
        return w.bytes
    }

    /// A `NodeProto`.
    static func node(_ op: String, name: String, inputs: [String], outputs: [String], domain: String = "") -> [UInt8] {
        var w = ProtobufWriter()
        for i in inputs { w.string(1, i) }
        for o in outputs { w.string(2, o) }
        w.string(3, name)
        w.string(4, op)
        if !domain.isEmpty { w.string(7, domain) }
        return w.bytes
    }

    /// A `ValueInfoProto` of a tensor input.
    static func input(_ name: String, elementType: Int) -> [UInt8] {
        var w = ProtobufWriter()
        w.string(1, name)
        w.message(2) { type in type.message(1) { tensor in tensor.int(1, elementType) } }
        return w.bytes
    }

    /// A `ModelProto` with one graph.
    static func model(opset: Int = 18, nodes: [[UInt8]], initializers: [[UInt8]] = [], inputs: [[UInt8]] = []) -> Data {
        var w = ProtobufWriter()
        w.int(1, 8)
        w.string(2, "tests")
        w.message(7) { graph in
            for n in nodes { graph.bytes(1, n) }
            graph.string(2, "g")
            for t in initializers { graph.bytes(5, t) }
            for i in inputs { graph.bytes(11, i) }
        }
        w.message(8) { set in
            set.string(1, "")
            set.int(2, opset)
        }
        return Data(w.bytes)
    }
}

/// Little-endian bytes of floats.
func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}
