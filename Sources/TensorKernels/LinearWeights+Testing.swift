/// Test hooks: int8 weights in a chosen packing, so that a CPU with VNNI also tests the AVX2 pairs
/// kernels (and one without it the quads layout on the portable tile).
extension LinearWeights {
    /// `init(weight:bias:outFeatures:inFeatures:precision: .int8)` packed in `int8Layout`.
    package convenience init(
        int8Weight weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int,
        int8Layout: Int8Layout
    ) {
        precondition(
            weight.count == outFeatures * inFeatures,
            "LinearWeights: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        let panels = weight.withUnsafeBufferPointer {
            Int8Panels(weight: $0, outFeatures: outFeatures, inFeatures: inFeatures, layout: int8Layout)
        }
        self.init(storage: (nil, panels), bias: bias, outFeatures: outFeatures, inFeatures: inFeatures, precision: .int8)
    }

    /// `init(quantized:scales:bias:outFeatures:inFeatures:layout:activationQuantization:)` packed in `int8Layout`.
    package convenience init(
        quantized: [Int8], scales: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int,
        layout: Layout, int8Layout: Int8Layout
    ) {
        precondition(
            quantized.count == outFeatures * inFeatures && (scales.count == 1 || scales.count == outFeatures),
            "LinearWeights: \(quantized.count) int8 weights, \(scales.count) scales for [\(outFeatures), \(inFeatures)]")
        let panels = quantized.withUnsafeBufferPointer {
            Int8Panels(
                quantized: $0, scales: scales, outFeatures: outFeatures, inFeatures: inFeatures, layout: layout,
                activationQuantization: .perTensor, packing: int8Layout)
        }
        self.init(storage: (nil, panels), bias: bias, outFeatures: outFeatures, inFeatures: inFeatures, precision: .int8)
    }

    /// The packing of int8 weights; nil for other precisions.
    package var int8Layout: Int8Layout? { quantized?.layout }
}
