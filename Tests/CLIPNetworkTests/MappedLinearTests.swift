import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// Linear layers packed straight from the fp32 file's mapping (`CLIPWeights.withMappedFloats`, no
/// intermediate copy) give exactly what packing copies gives, and check their values the same way.
@Suite struct MappedLinearTests {
    static let fixture = ModelFixture(name: "fashionclip-f32")

    /// The precisions this CPU runs (bf16 only with AVX512_BF16; its refusal elsewhere is
    /// `BF16AccuracyTests`' subject).
    @Test(arguments: LinearWeights.Precision.allCases.filter(Kernels.supportedPrecisions.contains))
    func mappedAndInMemoryWeightsGiveTheSameEmbeddings(precision: LinearWeights.Precision) throws {
        let mapped = try CLIPDualEncoder(directory: Self.fixture.directory, precision: precision)
        let url = Self.fixture.directory.appendingPathComponent("model.safetensors")
        let inMemory = try SafeTensorsFile(data: Data(contentsOf: url), path: url.path)
        let configuration = try CLIPConfiguration(contentsOf: Self.fixture.directory.appendingPathComponent("config.json"))
        let copied = try CLIPDualEncoder(configuration: configuration, weights: inMemory, precision: precision)
        let expected = try Self.fixture.expected()
        let pixels = try Self.fixture.pixelValues(expected)
        let sequences = try Self.fixture.sequences(expected)
        let images = try #require(mapped.visionTower).embeddings(pixels)
        let texts = try #require(mapped.textTower).embeddings(sequences)
        #expect(images.values == (try #require(copied.visionTower).embeddings(pixels)).values)
        #expect(texts.values == (try #require(copied.textTower).embeddings(sequences)).values)
    }

    @Test(arguments: [
        "vision_model.encoder.layers.1.mlp.fc2.weight",  // one part, packed from the mapping
        "vision_model.embeddings.patch_embedding.weight",  // the patch convolution as a GEMM
        "text_model.encoder.layers.0.self_attn.k_proj.weight",  // a fused part
        "visual_projection.weight"
    ])
    func nonFiniteLinearWeightIsNamed(key: String) throws {
        let scratch = try WeightLoadingTests.folder {
            $0[key]!.bytes.replaceSubrange(20..<24, with: SafeTensorsBuilder.float32Bytes([-.infinity]))
        }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.nonFiniteWeight(key: key, index: 5)) {
            try CLIPDualEncoder(directory: scratch.url)
        }
    }
}
