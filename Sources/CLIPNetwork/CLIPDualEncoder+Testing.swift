import TensorKernels

extension CLIPDualEncoder {
    /// Every linear layer by checkpoint scope (`vision_model.encoder.layers.0.mlp.fc1`; the fused
    /// projections as `…self_attn.qkv`, the patch embedding as `vision_model.embeddings.patch_embedding`),
    /// with its packed weights and whether its input is round-tripped through `DynamicQuantization`.
    package var linearLayers: [(name: String, weights: LinearWeights, roundTripsInput: Bool)] {
        var layers: [(String, CLIPLinear)] = []
        if let text = textTower {
            for (index, layer) in text.layers.enumerated() {
                layers += layer.linearLayers.map { ("text_model.encoder.layers.\(index).\($0.name)", $0.layer) }
            }
            layers.append(("text_projection", text.projection))
        }
        if let vision = visionTower {
            layers.append(("vision_model.embeddings.patch_embedding", vision.patchEmbedding))
            for (index, layer) in vision.layers.enumerated() {
                layers += layer.linearLayers.map { ("vision_model.encoder.layers.\(index).\($0.name)", $0.layer) }
            }
            layers.append(("visual_projection", vision.projection))
        }
        return layers.map { ($0.0, $0.1.weights, $0.1.roundTripsInput) }
    }
}
