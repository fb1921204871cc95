/// The weights of one linear layer, `y = x · Wᵀ + b`, prepared once at load for the GEMM kernels.
///
/// `W` arrives in PyTorch's `[out, in]` layout. The optimised path packs it into the panel layout of
/// the micro-kernels; the unpacked copy is kept only where the naive twin needs it (tests).
public final class LinearWeights: Sendable {
    /// Input features (`in`).
    public let inFeatures: Int
    /// Output features (`out`).
    public let outFeatures: Int
    /// `[out, in]` row-major, as stored in the checkpoint.
    package let weight: [Float]
    /// `[out]`, or nil for a layer without bias.
    package let bias: [Float]?

    /// Prepares `weight` `[outFeatures, inFeatures]` (row-major) and optional `bias` `[outFeatures]`.
    /// - Precondition: the counts match the shape (the loader validates shapes before calling this).
    public init(weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures,
                     "LinearWeights: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        precondition(bias == nil || bias!.count == outFeatures,
                     "LinearWeights: bias of \(bias?.count ?? 0) for \(outFeatures) outputs")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }
}
