import CLIPNetwork
import TensorKernels

/// The weights of one or two ONNX exports of CLIP under Hugging Face checkpoint keys: what
/// `CLIPDualEncoder(configuration:weights:towers:)` loads, strictly, like `model.safetensors`.
///
/// Built by `CLIPGraphMapper` from the combined `model.onnx`, or from `text_model.onnx` and/or
/// `vision_model.onnx`. Values are converted on request: fp16 weights widen exactly. Linear
/// weights are handed over as stored (`storedLinearWeight`): `MatMul` weights `[in, out]` pack
/// without a transpose, and the int8 weights of dynamic-int8 exports (`quantize_dynamic`) go to
/// the int8 kernels as they are, their input quantized per tensor as onnxruntime does, so the
/// export gives onnxruntime's int8 integers (`CLIPLinear` in CLIPNetwork).
public struct ONNXCLIPWeights: CLIPTensorSource, MappedTensorSource, Sendable {
    struct Entry: Sendable {
        let expression: ONNXWeightExpression
        let model: ONNXModel
        /// Consumed by `MatMulInteger` / `ConvInteger` behind a `DynamicQuantizeLinear`.
        let quantizesInput: Bool
    }
    private let entries: [String: Entry]
    /// The MLP activation each graph computes, by tower (`text_model` → `quick_gelu`).
    public let activations: [String: String]
    /// False for split exports, which do not carry `logit_scale`.
    public let requiresLogitScale: Bool
    /// True for dynamic-int8 exports (`DynamicQuantizeLinear` in the graph).
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
                    throw ONNXError.duplicateWeight(
                        path: model.url.path, key: key, first: existing.model.url.lastPathComponent,
                        second: model.url.lastPathComponent)
                }
                entries[key] = Entry(expression: mapped.expression, model: model, quantizesInput: mapped.quantizesInput)
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

    /// The data type `key` is stored in (`FLOAT16` behind a `Cast`, `INT8` for quantized weights).
    func storageType(of key: String) -> ONNXDataType? {
        func type(_ e: ONNXWeightExpression) -> ONNXDataType {
            switch e {
            case .tensor(let t), .dequantized(let t, _, _, _): return t.dataType
            case .transposed(let inner), .reshaped(let inner, _), .logarithm(let inner): return type(inner)
            }
        }
        return entries[key].map { type($0.expression) }
    }

    public func shape(of key: String) -> [Int]? { entries[key]?.expression.shape }

    /// `MatMul` weights `[in, out]` as fp32; `MatMulInteger` (`[in, out]`) and `ConvInteger`
    /// (`[out, c, kh, kw]`) weights as int8 with their zero point subtracted and per-tensor or
    /// per-output-channel scales. Int8 values that leave −128…127 once centred, or scales along
    /// another axis, come dequantized (fp32) instead, still marked `quantizesInput`: those layers
    /// run on the fp32 kernels with the input quantization simulated.
    public func storedLinearWeight(_ key: String) throws -> StoredLinearWeight? {
        guard key.hasSuffix(".weight"), let entry = entries[key] else { return nil }
        let model = entry.model
        switch entry.expression {
        case .transposed(.tensor(let t)) where t.shape.count == 2 && t.dataType.isFloatingPoint:
            return StoredLinearWeight(values: .float32(try model.floats(of: t)), layout: .inOut, quantizesInput: false)
        case .transposed(let inner) where inner.shape.count == 2:
            guard case let .dequantized(q, scale, zero, axis) = inner else { return nil }
            return try int8(q, scale: scale, zeroPoint: zero, axis: axis, outputAxis: 1, layout: .inOut, inner, entry)
        case let .dequantized(q, scale, zero, axis) where q.shape.count >= 2:
            return try int8(q, scale: scale, zeroPoint: zero, axis: axis, outputAxis: 0, layout: .outIn, entry.expression, entry)
        default:
            return nil
        }
    }

    private func int8(
        _ q: ONNXTensor, scale: ONNXTensor, zeroPoint: ONNXTensor?, axis: Int, outputAxis: Int,
        layout: LinearWeights.Layout, _ stored: ONNXWeightExpression, _ entry: Entry
    ) throws -> StoredLinearWeight {
        let model = entry.model
        let scales = try model.floats(of: scale)
        let zeros = try zeroPoint.map { try model.integers(of: $0) } ?? [0]
        let channels = q.shape[outputAxis]
        let perChannelOK =
            (scales.count == 1 && zeros.count == 1)
            || (axis == outputAxis && [1, channels].contains(scales.count)
                && [1, channels].contains(zeros.count))
        if perChannelOK, let values = try model.centredInt8(q, zeroPoints: zeros, axis: outputAxis) {
            return StoredLinearWeight(values: .int8(values, scales: scales), layout: layout, quantizesInput: entry.quantizesInput)
        }
        return StoredLinearWeight(values: .float32(try stored.evaluate(in: model)), layout: layout, quantizesInput: entry.quantizesInput)
    }

    /// `key` in its file's mapping when it is a stored floating-point initializer as it stands
    /// (the token embedding a `Gather` reads), nil otherwise.
    package func mappedTensor(_ key: String) throws -> MappedTensor? {
        guard let entry = entries[key], case .tensor(let t) = entry.expression else { return nil }
        return try entry.model.mappedTensor(of: t)
    }

    public func floats(_ key: String) throws -> [Float] {
        guard let entry = entries[key] else {
            throw CLIPNetworkError.missingTensor(key: key, expectedShape: [])
        }
        return try entry.expression.evaluate(in: entry.model)
    }
}
