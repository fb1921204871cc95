import CKernels

/// The weights of one linear layer, `y = x · Wᵀ + b`, prepared once at load for the GEMM kernels.
///
/// `W` arrives in PyTorch's `[out, in]` layout and is packed at once into the panel layout of the
/// micro-kernels (`ceil(out / 32)` panels of `[in, 32]`, zero-padded); the unpacked copy is not
/// kept, so a layer costs its weights once in memory. Immutable after `init`, so it is shared
/// freely between threads.
public final class LinearWeights: @unchecked Sendable {
    /// How the packed weights are stored. Only fp32 today; bf16 and int8 panels would be further
    /// cases with their own micro-kernels.
    package enum Precision: Sendable {
        case float32
    }

    /// Input features (`in`).
    public let inFeatures: Int
    /// Output features (`out`).
    public let outFeatures: Int
    /// `[out]`, or nil for a layer without bias.
    package let bias: [Float]?
    /// The element type of `packed`.
    package let precision: Precision
    /// `ck_packed_count(out, in)` floats, 64-byte aligned, written once in `init`.
    let packed: UnsafeMutablePointer<Float>

    /// Prepares `weight` `[outFeatures, inFeatures]` (row-major) and optional `bias` `[outFeatures]`.
    /// - Precondition: the counts match the shape (the loader validates shapes before calling this).
    public convenience init(weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures,
                     "LinearWeights: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        self.init(bias: bias, outFeatures: outFeatures, inFeatures: inFeatures) { packed in
            weight.withUnsafeBufferPointer { w in
                ck_pack_weights(w.baseAddress, CInt(outFeatures), CInt(inFeatures), packed)
            }
        }
    }

    /// Prepares weights read straight from a buffer (e.g. a memory-mapped checkpoint), `[out, in]`.
    /// - Precondition: `weight.count == outFeatures · inFeatures`.
    public convenience init(weight: UnsafeBufferPointer<Float>, bias: [Float]?, outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures,
                     "LinearWeights: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        self.init(bias: bias, outFeatures: outFeatures, inFeatures: inFeatures) { packed in
            ck_pack_weights(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), packed)
        }
    }

    private init(bias: [Float]?, outFeatures: Int, inFeatures: Int, pack: (UnsafeMutablePointer<Float>) -> Void) {
        precondition(outFeatures >= 0 && inFeatures >= 0 && outFeatures <= Int(Int32.max) && inFeatures <= Int(Int32.max),
                     "LinearWeights: shape [\(outFeatures), \(inFeatures)] out of range")
        precondition(bias == nil || bias!.count == outFeatures,
                     "LinearWeights: bias of \(bias?.count ?? 0) for \(outFeatures) outputs")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
        self.precision = .float32
        let count = ck_packed_count(CInt(outFeatures), CInt(inFeatures))
        let raw = ck_aligned_alloc(count * MemoryLayout<Float>.stride)!
        packed = raw.bindMemory(to: Float.self, capacity: count)
        pack(packed)
    }

    deinit {
        ck_aligned_free(packed)
    }

    /// Bytes held by the packed weights and bias.
    public var byteCount: Int {
        ck_packed_count(CInt(outFeatures), CInt(inFeatures)) * MemoryLayout<Float>.stride
            + (bias?.count ?? 0) * MemoryLayout<Float>.stride
    }
}
