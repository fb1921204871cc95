import CLIPNetwork
import Foundation
import Testing

@Suite struct ModelFolderInfoTests {
    @Test func describesAFixtureFolder() throws {
        let info = ModelFolderInfo(directory: ModelFixture(name: "fashionclip-f32").directory, verify: true)
        #expect(info.isUsable && info.verified)
        let weights = try #require(info.weights)
        // sum(p.numel() for p in CLIPModel.parameters()) of the fixture, from transformers.
        #expect(weights.parameterCount == 829_265)
        #expect(weights.dtypes == ["F32": 78, "I64": 1])
        #expect(info.files.first { $0.name == "config.json" }?.present == true)
        #expect(info.files.first { $0.name == "onnx/model.onnx" }?.present == false)
        let text = info.rendered()
        #expect(text.contains("Text tower:   2 layers, hidden 16, 4 heads, intermediate 40, quick_gelu"))
        #expect(text.contains("highest token id"))
        #expect(text.contains("829,265 parameters"))
        let json = try JSONSerialization.jsonObject(with: info.json()) as? [String: Any]
        #expect((json?["configuration"] as? [String: Any])?["projection_dim"] as? Int == 24)
    }

    @Test func reportsBrokenFoldersWithoutThrowing() throws {
        let scratch = try ScratchModelFolder(copying: ModelFixture(name: "laion-f16").directory)
        defer { scratch.remove() }
        try scratch.write(config: #"{"vision_config": {"hidden_act": "swish"}}"#)
        try scratch.write(weights: Data([1, 2, 3]))
        let info = ModelFolderInfo(directory: scratch.url)
        #expect(!info.isUsable && info.configuration == nil && info.weights == nil)
        #expect(info.configurationError?.contains("swish") == true)
        #expect(info.weightsError?.contains("too short") == true)
        #expect(info.rendered().contains("unusable"))
    }
}
