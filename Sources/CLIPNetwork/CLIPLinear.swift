import TensorKernels

/// One linear layer of a tower (the patch embedding too, as a GEMM over flattened patches): its
/// packed weights, and whether its input first makes the quantize → dequantize round trip of a
/// dynamic-int8 ONNX export.
///
/// Dynamic-int8 exports run `DynamicQuantizeLinear(x)` (u8, one scale for the whole input) →
/// `MatMulInteger` / `ConvInteger` → `· x_scale · w_scale` → `+ bias`. Loaded with
/// `precision: .int8`, such a layer holds the file's int8 weights as they are and quantizes its input
/// per tensor inside the int8 kernel (`LinearWeights.ActivationQuantization.perTensor`): the same
/// integers as onnxruntime. On the fp32 kernels (`precision: .float32` asked for, or int8 values
/// the int8 panels cannot hold) the weights are dequantized and the input goes through
/// `DynamicQuantization.roundTrip` instead: the same products up to fp32 rounding, slower.
struct CLIPLinear: Sendable {
    let weights: LinearWeights
    /// The input is round-tripped through onnxruntime's dynamic quantization before an fp32 GEMM.
    let roundTripsInput: Bool

    /// Output features (`out`).
    var outFeatures: Int { weights.outFeatures }

    /// Whether the layer quantizes its input with one scale for the whole input (onnxruntime's
    /// dynamic int8, on the int8 kernels or round-tripped), so each row's result depends on the others.
    var quantizesAcrossRows: Bool { roundTripsInput || weights.activationQuantization == .perTensor }

    /// `x · Wᵀ + b`, then `activation`: `[m, in] → [m, out]`.
    func callAsFunction(_ x: Matrix, activation: Activation = .identity, context: KernelContext = .shared) -> Matrix {
        Kernels.linear(roundTripsInput ? DynamicQuantization.roundTrip(x) : x, weights, activation: activation, context: context)
    }

    /// `residual += x · Wᵀ + b`: `[m, in]`, residual `[m, out]`.
    func callAsFunction(_ x: Matrix, addingTo residual: inout Matrix, context: KernelContext = .shared) {
        Kernels.linear(roundTripsInput ? DynamicQuantization.roundTrip(x) : x, weights, addingTo: &residual, context: context)
    }

    /// Loads `parts` as one layer with their outputs concatenated (`q_proj | k_proj | v_proj` fused,
    /// or a single `nn.Linear`): part `i` holds `weight` `[outFeatures[i], inFeatures]` (or
    /// `weightShape`, e.g. the patch convolution's `[hidden, c, p, p]`) and, with `bias`, `bias`
    /// `[outFeatures[i]]`. Stored forms (`CLIPTensorSource.storedLinearWeight`) are packed as they
    /// are; `requantizes: false` keeps fp32 weights fp32 under `precision: .int8` (not under `.bfloat16`).
    init(
        parts: [WeightScope], outFeatures: [Int], inFeatures: Int, bias: Bool, weightShape: [Int]? = nil,
        requantizes: Bool = true
    ) throws {
        let weights = parts[0].weights
        let shapes = outFeatures.map { weightShape ?? [$0, inFeatures] }
        let stored = try zip(parts, shapes).map { part, shape in try weights.storedLinearWeight(part.key("weight"), shape: shape) }
        let biasValues: [Float]? =
            bias
            ? try zip(parts, outFeatures).flatMap { part, out in try part.tensor("bias", shape: [out]) } : nil
        let totalOut = outFeatures.reduce(0, +)
        let quantizes = stored.contains { $0?.quantizesInput == true }
        if weights.precision == .int8, let int8 = Self.int8Parts(stored) {
            // The file's integers on the int8 kernels, input quantized per tensor as onnxruntime does.
            let scales = zip(int8.scales, outFeatures).flatMap { s, out in s.count == 1 ? Array(repeating: s[0], count: out) : s }
            let values = Self.concatenateOutputs(int8.values, outFeatures: outFeatures, inFeatures: inFeatures, layout: int8.layout)
            self.weights = LinearWeights(
                quantized: values, scales: scales, bias: biasValues, outFeatures: totalOut,
                inFeatures: inFeatures, layout: int8.layout, activationQuantization: .perTensor)
            roundTripsInput = false
            return
        }
        // `requantizes: false` keeps the layer fp32 under int8 only: bf16 rounds its weights and input
        // (8 significant bits) without an int8 scale to fit, so it runs in bf16 too.
        let keepsFloat = quantizes || (!requantizes && weights.precision == .int8)
        let precision: LinearWeights.Precision = keepsFloat ? .float32 : weights.precision
        if stored.allSatisfy({ $0 == nil }),
            let packed = try Self.packMapped(
                parts, shapes: shapes, outFeatures: outFeatures, inFeatures: inFeatures, bias: biasValues, precision: precision)
        {
            self.weights = packed
            roundTripsInput = false
            return
        }
        let layouts = Set(stored.map { $0?.layout ?? .outIn })
        let layout: LinearWeights.Layout = layouts.count == 1 ? layouts.first! : .outIn
        var floatParts: [[Float]] = []
        for (index, part) in parts.enumerated() {
            guard let s = stored[index] else {
                floatParts.append(try part.tensor("weight", shape: shapes[index]))
                continue
            }
            let values = s.floats(outFeatures: outFeatures[index])
            floatParts.append(s.layout == layout ? values : Self.transposed(values, rows: inFeatures, columns: outFeatures[index]))
        }
        let values = Self.concatenateOutputs(floatParts, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout)
        self.weights = LinearWeights(
            weight: values, bias: biasValues, outFeatures: totalOut, inFeatures: inFeatures, layout: layout,
            precision: precision)
        roundTripsInput = quantizes
    }

    /// The layer packed straight from the file's mapping (an fp32 safetensors checkpoint), with no
    /// intermediate copy of its weights; nil when the source cannot lend them (F16/BF16, in-memory
    /// bytes) or the parts cannot be packed side by side (then the caller concatenates copies).
    private static func packMapped(
        _ parts: [WeightScope], shapes: [[Int]], outFeatures: [Int], inFeatures: Int,
        bias: [Float]?, precision: LinearWeights.Precision
    ) throws -> LinearWeights? {
        let fusable = outFeatures.dropLast().allSatisfy { $0 % LinearWeights.panelWidth == 0 }
        guard parts.count == 1 || fusable else { return nil }
        return try parts[0].weights.withMappedFloats(parts.map { $0.key("weight") }, shapes: shapes) { tensors in
            LinearWeights.packing(mapped: tensors, outFeatures: outFeatures, bias: bias, inFeatures: inFeatures, precision: precision)
        } ?? nil
    }

    /// The int8 values, scales and common layout when every part is stored int8 behind a dynamic
    /// input quantization; nil otherwise (the layer then runs on the fp32 kernels).
    private static func int8Parts(_ stored: [StoredLinearWeight?]) -> (values: [[Int8]], scales: [[Float]], layout: LinearWeights.Layout)? {
        var values: [[Int8]] = [], scales: [[Float]] = []
        var layouts = Set<LinearWeights.Layout>()
        for part in stored {
            guard let part, part.quantizesInput, case let .int8(q, s) = part.values else { return nil }
            values.append(q)
            scales.append(s)
            layouts.insert(part.layout)
        }
        guard layouts.count == 1 else { return nil }
        return (values, scales, layouts.first!)
    }

    /// Parts `[out_i, in]` (or `[in, out_i]`) → `[Σ out_i, in]` (or `[in, Σ out_i]`, row by row).
    static func concatenateOutputs<T>(_ parts: [[T]], outFeatures: [Int], inFeatures: Int, layout: LinearWeights.Layout) -> [T] {
        guard parts.count > 1 else { return parts[0] }
        guard layout == .inOut else { return parts.flatMap { $0 } }
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for row in 0..<inFeatures {
            for (part, width) in zip(parts, outFeatures) { out += part[(row * width)..<((row + 1) * width)] }
        }
        return out
    }

    /// `[rows, columns]` → `[columns, rows]`.
    static func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        (0..<(rows * columns)).map { values[($0 % rows) * columns + $0 / rows] }
    }
}
