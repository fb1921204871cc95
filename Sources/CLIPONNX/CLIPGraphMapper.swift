/// Recognises a CLIP export in an ONNX graph and maps its initializers back onto Hugging Face
/// checkpoint keys (`text_model.encoder.layers.0.self_attn.q_proj.weight`).
///
/// Exporters rename and fold weights (`onnx::MatMul_1234` holds `q_proj.weight` transposed), so the
/// key comes from the module scope in the consuming node's name
/// (`/text_model/encoder/layers.0/self_attn/q_proj/MatMul`) and the role of the input (`MatMul`
/// input 1 → `.weight` transposed, `Add` → `.bias`, `LayerNormalization` inputs 1/2 → `.weight` /
/// `.bias`, `Gather` input 0 → embedding `.weight`, `Conv` input 1 → `.weight`). Initializers that no
/// node role explains keep their own name when it is a checkpoint key (`class_embedding`,
/// `logit_scale`). Every operator must be one that CLIP exports contain, and every non-scalar float
/// constant must find a key: anything else is an `ONNXError` naming the node, its operator and opset.
struct CLIPGraphMapper {
    /// Operators of the default domain found in CLIP exports (TorchScript / optimum, any attention
    /// implementation, decomposed or fused layer norm, dynamic int8 and fp16 variants).
    static let supportedOperators: Set<String> = [
        "Add", "And", "ArgMax", "Cast", "CastLike", "Concat", "Constant", "ConstantOfShape", "Conv", "ConvInteger",
        "DequantizeLinear", "Div", "DynamicQuantizeLinear", "Equal", "Erf", "Exp", "Expand", "Flatten", "Gather",
        "GatherElements", "GatherND", "Gelu", "Gemm", "Greater", "GreaterOrEqual", "Identity", "IsInf", "IsNaN",
        "LayerNormalization", "Less", "LessOrEqual", "MatMul", "MatMulInteger", "Max", "Min", "Mul", "Neg", "Not",
        "Or", "Pow", "QuantizeLinear", "Range", "Reciprocal", "ReduceL2", "ReduceMax", "ReduceMean", "ReduceSum",
        "ReduceSumSquare", "Reshape", "Shape", "Sigmoid", "Size", "Slice", "Softmax", "Split", "Sqrt", "Squeeze",
        "Sub", "Tanh", "Tile", "Transpose", "Trilu", "Unsqueeze", "Where"
    ]
    /// Default-domain opset versions accepted.
    static let supportedOpsets = 9...23
    /// First components of module scopes (and checkpoint keys).
    static let roots: Set<String> = ["text_model", "vision_model", "text_projection", "visual_projection", "logit_scale"]

    /// A checkpoint tensor found in the graph.
    struct Mapped {
        let expression: ONNXWeightExpression
        /// The node that gave it its key (or the value name for name-based keys).
        let node: String
        /// The node is a `MatMulInteger` / `ConvInteger` whose input comes from `DynamicQuantizeLinear`.
        var quantizesInput = false
    }

    let model: ONNXModel
    private var path: String { model.url.path }
    private var opset: Int { model.defaultOpset }
    private var initializers: [String: ONNXTensor] = [:]
    private(set) var producers: [String: ONNXNode] = [:]
    /// Results: checkpoint key → tensor.
    var weights: [String: Mapped] = [:]
    /// MLP activation seen per tower scope (`text_model` → `quick_gelu`).
    var activations: [String: String] = [:]
    /// Initializers consumed as scales or zero points of dequantized weights.
    var quantizationParameters: Set<String> = []

    init(model: ONNXModel) {
        self.model = model
        for t in model.graph.initializers { initializers[t.name] = t }
        for node in model.graph.nodes {
            for output in node.outputs where !output.isEmpty { producers[output] = node }
        }
    }

    /// Walks the graph; fills `weights` and `activations`.
    mutating func run() throws {
        for (domain, version) in model.opsets where domain.isEmpty && !Self.supportedOpsets.contains(version) {
            throw ONNXError.unsupportedOpset(path: path, domain: domain, version: version, supported: Self.supportedOpsets)
        }
        for node in model.graph.nodes {
            guard node.domain.isEmpty || node.domain == "ai.onnx", Self.supportedOperators.contains(node.opType) else {
                throw ONNXError.unsupportedOperator(path: path, node: node.label, opType: node.opType, domain: node.domain, opset: opset)
            }
        }
        for node in model.graph.nodes { try map(node) }
    }

    /// The module path of a node from its scoped name: `/text_model/encoder/layers.0/mlp/fc1/MatMul`
    /// → `text_model.encoder.layers.0.mlp.fc1`; `""` for root-level or unscoped nodes.
    static func modulePath(of node: ONNXNode) -> String {
        let parts = node.name.split(separator: "/").map(String.init).dropLast()
        guard let start = parts.firstIndex(where: { roots.contains($0) }) else { return "" }
        return parts[start...].joined(separator: ".")
    }

    /// The checkpoint key a value's own name spells (`m.vision_model.embeddings.class_embedding` →
    /// `vision_model.embeddings.class_embedding`), if any.
    static func keyFromName(_ name: String) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        guard let start = parts.firstIndex(where: { roots.contains($0) }) else { return nil }
        return parts[start...].joined(separator: ".")
    }

    /// The constant behind value `name`: an initializer or `Constant` output, seen through `Cast`,
    /// `Identity` and `DequantizeLinear`, with `quantize_dynamic`'s `X_quantized` weights dequantized
    /// along `axis`. Nil for computed values.
    mutating func constant(_ name: String, axis: Int) -> ONNXWeightExpression? {
        if let tensor = initializers[name] {
            if name.hasSuffix("_quantized") {
                let base = String(name.dropLast("_quantized".count))
                if let scale = initializers[base + "_scale"] {
                    quantizationParameters.insert(base + "_scale")
                    quantizationParameters.insert(base + "_zero_point")
                    return .dequantized(tensor, scale: scale, zeroPoint: initializers[base + "_zero_point"], axis: axis)
                }
            }
            return .tensor(tensor)
        }
        guard let node = producers[name] else { return nil }
        switch node.opType {
        case "Constant":
            return node.attributes["value"]?.tensor.map { .tensor($0) }
        case "Cast", "Identity":
            return node.inputs.first.flatMap { constant($0, axis: axis) }
        case "DequantizeLinear":
            guard node.inputs.count >= 2, case .tensor(let q)? = constant(node.inputs[0], axis: axis),
                case .tensor(let scale)? = constant(node.inputs[1], axis: axis)
            else { return nil }
            var zero: ONNXTensor?
            if node.inputs.count > 2, !node.inputs[2].isEmpty, case .tensor(let z)? = constant(node.inputs[2], axis: axis) { zero = z }
            quantizationParameters.insert(node.inputs[1])
            if node.inputs.count > 2 { quantizationParameters.insert(node.inputs[2]) }
            return .dequantized(q, scale: scale, zeroPoint: zero, axis: node.int("axis", default: 1))
        default:
            return nil
        }
    }
}
