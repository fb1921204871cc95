/// One `ValueInfoProto` of the graph's inputs or outputs: a name, an element type and a shape.
///
/// Mirrors `onnx.proto` `ValueInfoProto` (1 `name`, 2 `type`) → `TypeProto.tensor_type` (1) →
/// `elem_type` (1), `shape` (2) → `dim` (1) → `dim_value` (1) | `dim_param` (2).
public struct ONNXValueInfo: Sendable {
    /// One dimension: a fixed size or a symbolic name (`batch_size`).
    public enum Dimension: Sendable, Equatable {
        case fixed(Int)
        case symbolic(String)
    }

    public let name: String
    /// `elem_type`, nil when the type is not a tensor or is unknown to this reader.
    public let elementType: ONNXDataType?
    /// The dimensions, nil when the shape is not given.
    public let shape: [Dimension]?

    init(reader source: ProtobufReader) throws {
        var r = source
        var name = ""
        var elementType: ONNXDataType?
        var shape: [Dimension]?
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: name = try r.string()
            case 2:
                var type = r.reader(for: try r.lengthDelimited(), message: "TypeProto")
                while let (f, w) = try type.nextField() {
                    guard f == 1 else {
                        try type.skip(w)
                        continue
                    }
                    var tensor = type.reader(for: try type.lengthDelimited(), message: "TypeProto.Tensor")
                    while let (tf, tw) = try tensor.nextField() {
                        switch tf {
                        case 1: elementType = ONNXDataType(rawValue: Int(truncatingIfNeeded: try tensor.int64()))
                        case 2:
                            var dims: [Dimension] = []
                            var shapeReader = tensor.reader(for: try tensor.lengthDelimited(), message: "TensorShapeProto")
                            while let (sf, sw) = try shapeReader.nextField() {
                                guard sf == 1 else {
                                    try shapeReader.skip(sw)
                                    continue
                                }
                                var dim = shapeReader.reader(for: try shapeReader.lengthDelimited(), message: "Dimension")
                                var value: Dimension = .symbolic("?")
                                while let (df, dw) = try dim.nextField() {
                                    switch df {
                                    case 1: value = .fixed(Int(truncatingIfNeeded: try dim.int64()))
                                    case 2: value = .symbolic(try dim.string())
                                    default: try dim.skip(dw)
                                    }
                                }
                                dims.append(value)
                            }
                            shape = dims
                        default: try tensor.skip(tw)
                        }
                    }
                }
            default: try r.skip(wire)
            }
        }
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }
}
