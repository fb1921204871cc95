import CKernels

/// The weights of one linear layer, `y = x · Wᵀ + b`, prepared once at load for the GEMM kernels.
///
/// `W` arrives in PyTorch's `[out, in]` layout (or ONNX MatMul's `[in, out]`, `Layout`) and is
/// packed at once into the panel layout of the micro-kernels (`ceil(out / 32)` panels of
/// `[in, 32]`, zero-padded); the unpacked copy is not kept, so a layer costs its weights once in
/// memory. int8 weights are either quantised here from fp32 or taken as an ONNX export stores them
/// (`init(quantized:…)`). Immutable after `init`, so it is shared freely between threads.
public final class LinearWeights: @unchecked Sendable {
    /// How the packed weights are stored and multiplied.
    public enum Precision: String, Sendable, CaseIterable {
        /// fp32 panels, fp32 FMA micro-kernels (the reference).
        case float32
        /// Per-output-channel int8 panels, activations quantised per row or per tensor (u8) on each
        /// call, int32 accumulation (`Int8Panels`; about a quarter of the fp32 memory).
        case int8
        /// bfloat16 panels, activations rounded to bf16 at each layer's input, fp32 accumulation
        /// (`BF16Panels`; half the fp32 memory). Runs only where the CPU has AVX512_BF16
        /// (`Kernels.supportedPrecisions`); loading a model in it elsewhere is an error.
        case bfloat16 = "bf16"
    }

    /// How a weight matrix is laid out in memory.
    public enum Layout: Sendable {
        /// `[out, in]` row-major: PyTorch's `nn.Linear.weight`, a conv weight `[out, c, kh, kw]`.
        case outIn
        /// `[in, out]` row-major: ONNX `MatMul` / `MatMulInteger` input B.
        case inOut
    }

    /// How int8 layers quantise their input on each call (u8 with a zero point, asymmetric).
    public enum ActivationQuantization: Sendable {
        /// One scale per row of the input (`Precision.int8` from fp32 weights).
        case perRow
        /// One scale for the whole input of the call, all rows together: onnxruntime's
        /// `DynamicQuantizeLinear`, as dynamic-int8 ONNX exports run it.
        case perTensor
    }

    /// Input features (`in`).
    public let inFeatures: Int
    /// Output features (`out`).
    public let outFeatures: Int
    /// `[out]`, or nil for a layer without bias.
    package let bias: [Float]?
    /// The element type of `packed`.
    public let precision: Precision
    /// `ck_packed_count(out, in)` floats, 64-byte aligned, written once in `init`; nil unless fp32.
    let packed: UnsafeMutablePointer<Float>?
    /// The int8 panels, scales and sums when `precision == .int8`.
    let quantized: Int8Panels?
    /// The bf16 panels when `precision == .bfloat16`.
    let bfloat16: BF16Panels?

    /// How the input is quantised when `precision == .int8`; nil for fp32.
    public var activationQuantization: ActivationQuantization? { quantized?.activationQuantization }

    /// Prepares `weight` `[outFeatures, inFeatures]` (row-major), or `[inFeatures, outFeatures]` with
    /// `layout: .inOut` (ONNX `MatMul`; packed without a transpose), and optional `bias` `[outFeatures]`.
    /// - Precondition: the counts match the shape (the loader validates shapes before calling this).
    public convenience init(
        weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int,
        layout: Layout = .outIn, precision: Precision = .float32
    ) {
        let storage = weight.withUnsafeBufferPointer { w in
            Self.storage(w, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout, precision: precision)
        }
        self.init(
            storage: (storage.0, storage.1), bfloat16: storage.2, bias: bias, outFeatures: outFeatures,
            inFeatures: inFeatures, precision: precision)
    }

    /// Prepares weights read straight from a buffer (e.g. a memory-mapped checkpoint), `[out, in]`,
    /// or `[in, out]` with `layout: .inOut` (ONNX `MatMul`; packed without a transpose).
    /// - Precondition: `weight.count == outFeatures · inFeatures`.
    public convenience init(
        weight: UnsafeBufferPointer<Float>, bias: [Float]?, outFeatures: Int, inFeatures: Int,
        layout: Layout = .outIn, precision: Precision = .float32
    ) {
        let storage = Self.storage(weight, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout, precision: precision)
        self.init(
            storage: (storage.0, storage.1), bfloat16: storage.2, bias: bias, outFeatures: outFeatures,
            inFeatures: inFeatures, precision: precision)
    }

    /// The packed panels of `weight` in `layout` for `precision`.
    private static func storage(
        _ weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int, layout: Layout,
        precision: Precision
    ) -> Storage {
        precondition(
            weight.count == outFeatures * inFeatures,
            "LinearWeights: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        guard layout == .inOut && precision == .int8 else {
            return prepare(weight, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout, precision: precision)
        }
        // The per-channel quantiser reads [out, in] rows: transpose first (fp32 packs either layout).
        let rows = (0..<(outFeatures * inFeatures)).map { weight[($0 % inFeatures) * outFeatures + $0 / inFeatures] }
        return rows.withUnsafeBufferPointer {
            prepare($0, outFeatures: outFeatures, inFeatures: inFeatures, layout: .outIn, precision: precision)
        }
    }

    /// Output features per packed panel: parts of a fused layer pack side by side when all but the
    /// last have a multiple of it (`init(weightParts:…)`).
    package static let panelWidth = Int(CK_PANEL)

    /// Packs several `[out_i, in]` fp32 weights as one layer with their outputs concatenated
    /// (`q | k | v` fused), each read where it lies (a memory-mapped checkpoint): the same panels
    /// (fp32, or int8 quantised per output channel) as packing the concatenation, without building it.
    /// - Precondition: every part but the last has a multiple of `panelWidth`
    ///   outputs, and each part holds `outFeatures[i] · inFeatures` values.
    package convenience init(
        weightParts: [UnsafeBufferPointer<Float>], outFeatures: [Int], bias: [Float]?, inFeatures: Int,
        precision: Precision = .float32
    ) {
        precondition(
            weightParts.count == outFeatures.count && !weightParts.isEmpty,
            "LinearWeights: \(weightParts.count) parts for \(outFeatures.count) output groups")
        precondition(
            outFeatures.dropLast().allSatisfy { $0 % Self.panelWidth == 0 },
            "LinearWeights: parts of \(outFeatures) outputs do not end on panel boundaries")
        for (part, out) in zip(weightParts, outFeatures) {
            precondition(part.count == out * inFeatures, "LinearWeights: \(part.count) weights for [\(out), \(inFeatures)]")
        }
        let total = outFeatures.reduce(0, +)
        Self.checkShape(total, inFeatures)
        switch precision {
        case .int8:
            let panels = Int8Panels(weightParts: weightParts, outFeatures: outFeatures, inFeatures: inFeatures)
            self.init(storage: (nil, panels), bias: bias, outFeatures: total, inFeatures: inFeatures, precision: .int8)
            return
        case .bfloat16:
            let panels = BF16Panels(weightParts: weightParts, outFeatures: outFeatures, inFeatures: inFeatures)
            self.init(
                storage: (nil, nil), bfloat16: panels, bias: bias, outFeatures: total, inFeatures: inFeatures,
                precision: .bfloat16)
            return
        case .float32:
            break
        }
        let count = ck_packed_count(CInt(total), CInt(inFeatures))
        let packed = ck_weights_alloc(count * MemoryLayout<Float>.stride)!.bindMemory(to: Float.self, capacity: count)
        var panel = 0
        for (part, out) in zip(weightParts, outFeatures) {
            ck_pack_weights_strided(
                part.baseAddress, CInt(out), CInt(inFeatures), inFeatures, 1,
                packed + panel * inFeatures * Self.panelWidth)
            panel += out / Self.panelWidth
        }
        self.init(storage: (packed, nil), bias: bias, outFeatures: total, inFeatures: inFeatures, precision: .float32)
    }

    /// Packs int8 weights quantised elsewhere (an ONNX `MatMulInteger` / `ConvInteger` initializer,
    /// zero point already subtracted): `quantized` `[out, in]` or `[in, out]` (`layout`), `scales`
    /// `[out]` or `[1]` (per tensor), so that `W = quantized · scale`. The layer runs on the int8
    /// kernels with `activationQuantization` (by default per tensor: onnxruntime's integers).
    /// - Precondition: the counts match the shape.
    public convenience init(
        quantized: UnsafeBufferPointer<Int8>, scales: [Float], bias: [Float]?, outFeatures: Int,
        inFeatures: Int, layout: Layout = .outIn,
        activationQuantization: ActivationQuantization = .perTensor
    ) {
        Self.checkInt8(quantized.count, scales.count, outFeatures, inFeatures)
        let panels = Int8Panels(
            quantized: quantized, scales: scales, outFeatures: outFeatures, inFeatures: inFeatures,
            layout: layout, activationQuantization: activationQuantization)
        self.init(storage: (nil, panels), bias: bias, outFeatures: outFeatures, inFeatures: inFeatures, precision: .int8)
    }

    /// `init(quantized:…)` from an array.
    public convenience init(
        quantized: [Int8], scales: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int,
        layout: Layout = .outIn, activationQuantization: ActivationQuantization = .perTensor
    ) {
        Self.checkInt8(quantized.count, scales.count, outFeatures, inFeatures)
        let panels = quantized.withUnsafeBufferPointer {
            Int8Panels(
                quantized: $0, scales: scales, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout,
                activationQuantization: activationQuantization)
        }
        self.init(storage: (nil, panels), bias: bias, outFeatures: outFeatures, inFeatures: inFeatures, precision: .int8)
    }

    private static func checkInt8(_ weights: Int, _ scales: Int, _ outFeatures: Int, _ inFeatures: Int) {
        precondition(weights == outFeatures * inFeatures, "LinearWeights: \(weights) int8 weights for [\(outFeatures), \(inFeatures)]")
        precondition(scales == 1 || scales == outFeatures, "LinearWeights: \(scales) scales for \(outFeatures) outputs")
        checkShape(outFeatures, inFeatures)
    }

    private static func checkShape(_ outFeatures: Int, _ inFeatures: Int) {
        precondition(
            outFeatures >= 0 && inFeatures >= 0 && outFeatures <= Int(Int32.max) && inFeatures <= Int(Int32.max),
            "LinearWeights: shape [\(outFeatures), \(inFeatures)] out of range")
    }

    /// One of: the fp32 panels, the int8 panels, the bf16 panels.
    typealias Storage = (UnsafeMutablePointer<Float>?, Int8Panels?, BF16Panels?)

    /// The packed fp32 or bf16 panels of `weight` in `layout`, or the int8 panels of `weight` `[out, in]`.
    private static func prepare(
        _ weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int, layout: Layout,
        precision: Precision
    ) -> Storage {
        checkShape(outFeatures, inFeatures)
        let (strideOut, strideIn) = layout == .outIn ? (inFeatures, 1) : (1, outFeatures)
        switch precision {
        case .float32:
            let count = ck_packed_count(CInt(outFeatures), CInt(inFeatures))
            let raw = ck_weights_alloc(count * MemoryLayout<Float>.stride)!
            let packed = raw.bindMemory(to: Float.self, capacity: count)
            ck_pack_weights_strided(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), strideOut, strideIn, packed)
            return (packed, nil, nil)
        case .int8:
            precondition(layout == .outIn, "LinearWeights: int8 quantisation reads [out, in]")
            return (nil, Int8Panels(weight: weight, outFeatures: outFeatures, inFeatures: inFeatures), nil)
        case .bfloat16:
            return (
                nil, nil,
                BF16Panels(
                    weight: weight, outFeatures: outFeatures, inFeatures: inFeatures,
                    strideOut: strideOut, strideIn: strideIn)
            )
        }
    }

    init(
        storage: (UnsafeMutablePointer<Float>?, Int8Panels?), bfloat16: BF16Panels? = nil, bias: [Float]?,
        outFeatures: Int, inFeatures: Int, precision: Precision
    ) {
        Self.checkShape(outFeatures, inFeatures)
        precondition(
            bias == nil || bias!.count == outFeatures,
            "LinearWeights: bias of \(bias?.count ?? 0) for \(outFeatures) outputs")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
        self.precision = precision
        (packed, quantized) = storage
        self.bfloat16 = bfloat16
    }

    deinit {
        if let packed { ck_weights_free(packed, ck_packed_count(CInt(outFeatures), CInt(inFeatures)) * MemoryLayout<Float>.stride) }
    }

    /// Bytes held by the packed weights and bias.
    public var byteCount: Int {
        (quantized?.byteCount ?? bfloat16?.byteCount ?? ck_packed_count(CInt(outFeatures), CInt(inFeatures)) * MemoryLayout<Float>.stride)
            + (bias?.count ?? 0) * MemoryLayout<Float>.stride
    }
}
