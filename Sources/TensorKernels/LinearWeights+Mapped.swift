/// Linear layers packed straight from a weight file's mapping: the fp32 weights of a safetensors
/// checkpoint go from the page cache into the panels with no intermediate copy (a 600 MB model
/// would otherwise hold each layer twice while it loads).
extension LinearWeights {
    /// The layer whose weight is `parts` (`[outFeatures[i], inFeatures]` each, PyTorch's `[out, in]`)
    /// with their outputs concatenated, packed where the values lie in the mapping; nil unless every
    /// part is aligned fp32 (`MappedTensor.isAlignedFloat32`: then the caller converts and copies).
    /// One part packs as `init(weight:…)`, several as `init(weightParts:…)` (side by side).
    /// - Precondition: part `i` holds `outFeatures[i] · inFeatures` values; with several parts, every
    ///   part but the last has a multiple of `panelWidth` outputs.
    package static func packing(
        mapped parts: [MappedTensor], outFeatures: [Int], bias: [Float]?, inFeatures: Int,
        precision: Precision = .float32
    ) -> LinearWeights? {
        precondition(
            !parts.isEmpty && parts.count == outFeatures.count,
            "LinearWeights: \(parts.count) mapped parts for \(outFeatures.count) output groups")
        return MappedTensor.withFloats(parts[...]) { buffers in
            guard buffers.count > 1 else {
                return LinearWeights(
                    weight: buffers[0], bias: bias, outFeatures: outFeatures[0], inFeatures: inFeatures,
                    precision: precision)
            }
            return LinearWeights(weightParts: buffers, outFeatures: outFeatures, bias: bias, inFeatures: inFeatures, precision: precision)
        }
    }
}
