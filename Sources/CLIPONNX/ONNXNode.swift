/// One `NodeProto`: an operator application in the graph.
///
/// Mirrors `onnx.proto` fields 1 `input`, 2 `output`, 3 `name`, 4 `op_type`, 5 `attribute`, 7 `domain`.
public struct ONNXNode: Sendable {
    /// `name`, such as `/text_model/encoder/layers.0/self_attn/q_proj/MatMul` (may be empty).
    public let name: String
    /// `op_type`, such as `MatMul`.
    public let opType: String
    /// `domain` (empty for the default `ai.onnx` domain; `com.microsoft` for contrib operators).
    public let domain: String
    /// Input value names (an empty string marks an omitted optional input).
    public let inputs: [String]
    /// Output value names.
    public let outputs: [String]
    /// Attributes by name.
    public let attributes: [String: ONNXAttribute]

    init(reader source: ProtobufReader) throws {
        var r = source
        var name = "", opType = "", domain = ""
        var inputs: [String] = [], outputs: [String] = []
        var attributes: [String: ONNXAttribute] = [:]
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: inputs.append(try r.string())
            case 2: outputs.append(try r.string())
            case 3: name = try r.string()
            case 4: opType = try r.string()
            case 5:
                let attribute = try ONNXAttribute(reader: r.reader(for: try r.lengthDelimited(), message: "AttributeProto"))
                attributes[attribute.name] = attribute
            case 7: domain = try r.string()
            default: try r.skip(wire)
            }
        }
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// The node's name, or its first output when it has none (for error messages).
    public var label: String { name.isEmpty ? (outputs.first.map { "(output \($0))" } ?? "(unnamed)") : name }

    /// Integer attribute `name`, or `default`.
    func int(_ name: String, default value: Int) -> Int { attributes[name]?.int.map { Int($0) } ?? value }

    /// Integer-list attribute `name`, or nil.
    func ints(_ name: String) -> [Int]? { attributes[name]?.ints.map { $0.map { Int($0) } } }
}
