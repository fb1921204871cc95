/// One `GraphProto`: nodes in topological order, initializers, inputs and outputs.
///
/// Mirrors `onnx.proto` fields 1 `node`, 2 `name`, 5 `initializer`, 11 `input`, 12 `output`;
/// `sparse_initializer` (15) is refused.
public struct ONNXGraph: Sendable {
    public let name: String
    public let nodes: [ONNXNode]
    public let initializers: [ONNXTensor]
    public let inputs: [ONNXValueInfo]
    public let outputs: [ONNXValueInfo]

    init(reader source: ProtobufReader) throws {
        var r = source
        var name = ""
        var nodes: [ONNXNode] = [], initializers: [ONNXTensor] = []
        var inputs: [ONNXValueInfo] = [], outputs: [ONNXValueInfo] = []
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: nodes.append(try ONNXNode(reader: r.reader(for: try r.lengthDelimited(), message: "NodeProto")))
            case 2: name = try r.string()
            case 5: initializers.append(try ONNXTensor(reader: r.reader(for: try r.lengthDelimited(), message: "TensorProto")))
            case 11: inputs.append(try ONNXValueInfo(reader: r.reader(for: try r.lengthDelimited(), message: "ValueInfoProto")))
            case 12: outputs.append(try ONNXValueInfo(reader: r.reader(for: try r.lengthDelimited(), message: "ValueInfoProto")))
            case 15: throw ONNXError.unsupportedFeature(path: r.path, feature: "sparse initializers (GraphProto.sparse_initializer)")
            default: try r.skip(wire)
            }
        }
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
    }
}
