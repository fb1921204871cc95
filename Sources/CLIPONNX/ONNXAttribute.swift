/// One `AttributeProto` (fields 1 `name`, 2 `f`, 3 `i`, 4 `s` (as UTF-8), 5 `t`, 7 `floats`, 8 `ints`); graphs
/// and other kinds are skipped.
public struct ONNXAttribute: Sendable {
    public let name: String
    public let float: Float?
    public let int: Int64?
    public let string: String?
    public let tensor: ONNXTensor?
    public let floats: [Float]?
    public let ints: [Int64]?

    init(reader source: ProtobufReader) throws {
        var r = source
        var name = ""
        var float: Float?, int: Int64?, tensor: ONNXTensor?, string: String?
        var floats: [Float] = [], ints: [Int64] = []
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: name = try r.string()
            case 2: float = Float(bitPattern: try r.fixed32())
            case 3: int = try r.int64()
            case 4: string = try r.string()
            case 5: tensor = try ONNXTensor(reader: r.reader(for: try r.lengthDelimited(), message: "TensorProto"))
            case 7: try r.appendFloats(wire, to: &floats)
            case 8: try r.appendInt64s(wire, to: &ints)
            default: try r.skip(wire)
            }
        }
        self.name = name
        self.float = float
        self.int = int
        self.string = string
        self.tensor = tensor
        self.floats = floats.isEmpty ? nil : floats
        self.ints = ints.isEmpty ? nil : ints
    }
}
