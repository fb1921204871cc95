import CLIPNetwork

/// The weights of one or two ONNX exports of CLIP under Hugging Face checkpoint keys: what
/// `CLIPDualEncoder(configuration:weights:towers:)` loads, strictly, like `model.safetensors`.
///
/// Built by `CLIPGraphMapper` from the combined `model.onnx`, or from `text_model.onnx` and/or
/// `vision_model.onnx`. Values are converted on request: fp16 weights widen exactly; int8 weights
/// (`quantize_dynamic`) are dequantized to fp32 at load and GEMM inputs are quantized dynamically
/// as onnxruntime does, so the int8 export gives onnxruntime's int8 results on the fp32 kernels
/// (TensorKernels has no int8 GEMM yet: same speed as fp32, not faster).
public struct ONNXCLIPWeights: CLIPTensorSource, Sendable {
    struct Entry: Sendable {
        let expression: ONNXWeightExpression
        let model: ONNXModel
    }
    private let entries: [String: Entry]
    /// The MLP activation each graph computes, by tower (`text_model` → `quick_gelu`).
    public let activations: [String: String]
    /// False for split exports, which do not carry `logit_scale`.
    public let requiresLogitScale: Bool
    /// True for dynamic-int8 exports (`DynamicQuantizeLinear` in the graph): GEMM inputs are then
    /// quantized as onnxruntime does (see `CLIPNetwork`'s `DynamicQuantization`).
    public let quantizesLinearInputs: Bool

    /// Maps the initializers of `models` (one combined export, or the text and vision halves).
    /// - Throws: `ONNXError` naming the node, operator and opset of anything unrecognised.
    public init(models: [ONNXModel]) throws {
        var entries: [String: Entry] = [:]
        var activations: [String: String] = [:]
        for model in models {
            var mapper = CLIPGraphMapper(model: model)
            try mapper.run()
            for (key, mapped) in mapper.weights {
                if let existing = entries[key] {
                    throw ONNXError.duplicateWeight(path: model.url.path, key: key, first: existing.model.url.lastPathComponent,
                                                    second: model.url.lastPathComponent)
                }
                entries[key] = Entry(expression: mapped.expression, model: model)
            }
            activations.merge(mapper.activations) { first, _ in first }
        }
        self.entries = entries
        self.activations = activations
        // Combined exports end in logits and must yield logit_scale; split exports cannot.
        requiresLogitScale = models.contains { $0.graph.outputs.contains { $0.name.hasPrefix("logits_per_") } }
        quantizesLinearInputs = models.contains { $0.graph.nodes.contains { $0.opType == "DynamicQuantizeLinear" } }
    }

    public var tensorKeys: [String] { Array(entries.keys) }

    public func shape(of key: String) -> [Int]? { entries[key]?.expression.shape }

    public func floats(_ key: String) throws -> [Float] {
        guard let entry = entries[key] else {
            throw CLIPNetworkError.missingTensor(key: key, expectedShape: [])
        }
        return try entry.expression.evaluate(in: entry.model)
    }
}
